//! A project can replace any built-in theme or process file with its own.

mod common;

use common::*;

#[test]
fn a_theme_file_in_the_project_replaces_the_built_in_one() {
    let (_tmp, project) = fixture("small");
    let theme = custom_theme(&project);
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
    let theme = custom_theme(&project);
    std::fs::write(
        theme.join("report.html"),
        "{% extends \"layout.html\" %}\n{% block content %}\n<p>{{ playbook.facts.customer }</p>\n{% endblock %}\n",
    )
    .unwrap();
    let out = upbook().arg("build").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("template error"), "{stderr}");
    assert!(stderr.contains("themes/custom/report.html:3:"), "{stderr}");
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

/// `themes/default/` is where upbook's own theme is written, not a
/// project's override: a project's copy is not read, and says so where it
/// differs, with what to do instead. The repository's own copy is the
/// built-in theme's source, so the root example builds without a word.
#[test]
fn a_themes_default_folder_is_not_read_and_a_changed_one_is_named() {
    let (_tmp, project) = example();
    let built = |project: &std::path::Path| {
        let out = upbook()
            .arg("build")
            .arg(project)
            .arg("--format")
            .arg("html")
            .assert()
            .success();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        (snapshot_dir(&project.join("book")), stderr)
    };
    let (plain, _) = built(&project);

    let ours = project.join("themes/default");
    for (name, text) in upbook::defaults::THEME {
        let path = ours.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let (same, stderr) = built(&project);
    assert_eq!(same, plain);
    assert!(!stderr.contains("warning"), "{stderr}");

    let css = read(ours.join("style.css"));
    let edited = css.replacen("\n", "\n.mine { color: red }\n", 3);
    std::fs::write(ours.join("style.css"), &edited).unwrap();
    let (still, stderr) = built(&project);
    assert_eq!(still, plain, "themes/default/ was read");
    let line = edited
        .lines()
        .position(|l| l == ".mine { color: red }")
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!("themes/default/style.css:{line}:1")),
        "{stderr}"
    );
    assert!(
        stderr.contains("differs from the built-in theme's style.css"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "copy the folder to themes/<name>/ and set `theme = \"<name>\"` under [output]"
        ),
        "{stderr}"
    );

    // The root example is checked the same way and says nothing.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = upbook().arg("check").arg(root).assert().success();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(!stderr.contains("themes/default"), "{stderr}");
}

/// `init --theme` writes the built-in theme out, chosen in `book.toml`:
/// as written it builds the same pages as a plain `init`, and an edit to
/// it shows.
#[test]
fn init_with_theme_writes_the_built_in_theme_to_edit() {
    let tmp = tempfile::TempDir::new().unwrap();
    let plain = tmp.path().join("plain");
    let themed = tmp.path().join("themed");
    upbook().arg("init").arg(&plain).assert().success();
    upbook()
        .args(["init", "--theme"])
        .arg(&themed)
        .assert()
        .success();
    assert!(read(themed.join("book.toml")).contains("[output]\ntheme = \"custom\"\n"));
    for (name, text) in upbook::defaults::THEME {
        assert_eq!(
            &read(themed.join("themes/custom").join(name)),
            text,
            "{name}"
        );
    }
    for project in [&plain, &themed] {
        upbook()
            .arg("build")
            .arg(project)
            .args(["--format", "html"])
            .assert()
            .success();
    }
    assert_eq!(
        snapshot_dir(&plain.join("book")),
        snapshot_dir(&themed.join("book"))
    );
    std::fs::write(
        themed.join("themes/custom/style.css"),
        "body { color: teal }\n",
    )
    .unwrap();
    upbook()
        .arg("build")
        .arg(&themed)
        .args(["--format", "html"])
        .assert()
        .success();
    assert_eq!(
        read(themed.join("book/draft/assets/style.css")),
        "body { color: teal }\n"
    );
}

/// The words a reader sees come from the theme's table of strings, for
/// the HTML, the PDF and the Word file alike, and a language is one more
/// file.
#[test]
fn a_theme_rewords_the_page_and_the_pdf_and_a_language_is_one_file() {
    let (_tmp, project) = example();
    let theme = custom_words(&project, "en", "no_return = \"Last safe point.\"\n");
    upbook().arg("build").arg(&project).assert().success();
    let page = read(project.join("book/draft/index.html"));
    assert!(page.contains("<strong>Last safe point.</strong>"), "HTML");
    assert!(!page.contains("Point of no return."), "HTML");
    let pdf = squeeze(&pdf_text(project.join("book/draft/playbook.pdf")));
    assert!(pdf.contains("Lastsafepoint."), "PDF");
    assert!(!pdf.contains("Pointofnoreturn."), "PDF");
    let word = common::word::unzip(&project.join("book/draft/playbook.docx"));
    let document = common::word::part(&word, "word/document.xml");
    assert!(document.contains(">Last safe point.<"), "Word");
    assert!(!document.contains("Point of no return."), "Word");
    // The strings files are read, not published.
    assert!(!project.join("book/draft/assets/strings").exists());

    edit(
        &project,
        "book.toml",
        "language = \"en\"",
        "language = \"de\"",
    );
    std::fs::write(
        theme.join("strings/de.toml"),
        "upgrade_steps = \"Upgrade-Schritte\"\nscript_copy = \"Kopieren\"\n",
    )
    .unwrap();
    upbook()
        .args(["build", "--format", "html"])
        .arg(&project)
        .assert()
        .success();
    let page = read(project.join("book/draft/index.html"));
    assert!(page.contains(">Upgrade-Schritte</h2>"), "{page}");
    assert!(page.contains("&quot;copy&quot;:&quot;Kopieren&quot;"));
    // What the German file does not give stays as the English file says.
    assert!(page.contains("<strong>Last safe point.</strong>"));

    std::fs::write(theme.join("strings/de.toml"), "upgrade_stpes = \"x\"\n").unwrap();
    let out = upbook().arg("check").arg(&project).assert().code(1);
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("themes/custom/strings/de.toml:1:1"),
        "{stderr}"
    );
    assert!(stderr.contains("did you mean `upgrade_steps`?"), "{stderr}");
}
