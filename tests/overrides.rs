//! A project can replace any built-in theme or process file with its own.

mod common;

use common::*;

#[test]
fn a_theme_file_in_the_project_replaces_the_built_in_one() {
    let (_tmp, project) = fixture("small");
    let theme = project.join("themes/default");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(theme.join("style.css"), "body { color: rebeccapurple; }\n").unwrap();
    std::fs::write(
        theme.join("report.html"),
        "{% extends \"layout.html\" %}{% block content %}<p>Custom report for {{ playbook.facts.customer }}</p>{% endblock %}",
    )
    .unwrap();
    upbook().arg("build").arg(&project).assert().success();
    let css = read(project.join("book/draft/assets/style.css"));
    assert_eq!(css, "body { color: rebeccapurple; }\n");
    let report = visible_text(&read(project.join("book/draft/report.html")));
    assert!(report.contains("Custom report for Fixture Freight"));
    // The playbook still uses the built-in template.
    assert!(read(project.join("book/draft/index.html")).contains("id=\"step-1\""));
}

#[test]
fn a_template_error_names_the_template_file_and_line() {
    let (_tmp, project) = fixture("small");
    let theme = project.join("themes/default");
    std::fs::create_dir_all(&theme).unwrap();
    std::fs::write(
        theme.join("report.html"),
        "{% extends \"layout.html\" %}\n{% block content %}\n<p>{{ playbook.facts.customer }</p>\n{% endblock %}\n",
    )
    .unwrap();
    let out = upbook().arg("build").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("template error"), "{stderr}");
    assert!(stderr.contains("themes/default/report.html:3:"), "{stderr}");
    assert!(!project.join("book").exists());
}

#[test]
fn a_process_override_changes_every_sentence_that_states_the_figure() {
    let (_tmp, project) = fixture("small");
    let built_in = read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("defaults/process/process.yaml"),
    );
    let overridden = built_in
        .replace("duration: 1-2 weeks", "duration: 2-3 weeks")
        .replace("plan: 4 days", "plan: 9 days");
    assert_ne!(built_in, overridden);
    std::fs::create_dir_all(project.join("content/process")).unwrap();
    std::fs::write(project.join("content/process/process.yaml"), overridden).unwrap();
    upbook().arg("build").arg(&project).assert().success();
    let playbook = visible_text(&read(project.join("book/draft/index.html")));
    assert!(!playbook.contains("1–2 weeks"), "old figure left");
    // The about page, the FAQ and the process table all say the new figure.
    assert!(playbook.matches("2–3 weeks").count() >= 3, "{playbook}");
    let report = visible_text(&read(project.join("book/draft/report.html")));
    assert!(report.contains("2–3 weeks"));
}

#[test]
fn a_broken_process_override_is_located() {
    let (_tmp, project) = fixture("small");
    let built_in = read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("defaults/process/process.yaml"),
    );
    std::fs::create_dir_all(project.join("content/process")).unwrap();
    std::fs::write(
        project.join("content/process/process.yaml"),
        built_in.replace("duration: 2 days\n", "duration: 2 fortnights\n"),
    )
    .unwrap();
    let out = upbook().arg("check").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("expected a duration like"), "{stderr}");
    assert!(stderr.contains("content/process/process.yaml:"), "{stderr}");
}
