//! The staging run as data: the consultant records what happened on
//! Staging in `content/run.yaml`, and the playbook, each environment's
//! copy, the report, the PDFs and the change view all show it.

mod common;

use common::*;

const EPOCH: &str = "1767225600"; // 2026-01-01

#[test]
fn findings_tests_and_actual_dates_reach_every_output() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let book = project.join("book/draft");

    // The playbook: F-1's callout opens the section whose steps fix it,
    // and the section where it showed points there.
    let playbook = read(book.join("index.html"));
    let fix_section = section(&playbook, "upgrade-the-primary-domain-manager");
    assert!(
        fix_section.contains("id=\"known-issue-f-1\""),
        "{fix_section}"
    );
    let fix_text = words(fix_section);
    assert!(
        fix_text.contains(
            "Known issue F-1: The archive job fails with ArchivePathNotWritable Cause: Version 11.2 runs the archive job as the cxm user"
        ),
        "{fix_text}"
    );
    assert!(fix_text.contains("under /opt/cxm/archive"), "{fix_text}");
    assert!(fix_text.contains("retest: passed"), "{fix_text}");
    let tests_section = section(&playbook, "run-the-non-functional-tests");
    assert!(tests_section.contains("href=\"#known-issue-f-1\""));
    let tests_text = words(tests_section);
    assert!(
        tests_text.contains("The fix is applied in “Upgrade the Primary Domain Manager”"),
        "{tests_text}"
    );
    // The results table on the provider's copy has no column to fill in.
    assert!(tests_text.contains("T-2 Messages per second at least 1,800 1,840 2,010 Passed"));
    assert!(!tests_text.contains("Production result"));
    // Findings no step fixes form their own part.
    let known = words(section(&playbook, "known-issues"));
    assert!(known.contains("Known issue F-2"), "{known}");
    assert!(known.contains("Workaround: Reload the console"), "{known}");
    assert!(known.contains("Custom component · documented"), "{known}");
    assert!(playbook.contains("<a href=\"#known-issues\">Known issues</a>"));

    // Production's copy: its own values, and a column for its own results.
    let production = words(&read(book.join("production.html")));
    assert!(production.contains("under /srv/cxm/archive"));
    assert!(production.contains("Test Expected Before After Result Production result"));

    // The report: findings, tests, planned against actual, support.
    let report = words(&read(book.join("report.html")));
    for fact in [
        "Issues found and retests",
        "F-1 The archive job fails with ArchivePathNotWritable found in Run the non-functional tests Standard Fixed Passed Upgrade the Primary Domain Manager",
        "F-3 The kfl-route-audit plug-in logs deprecation warnings found in Run the non-functional tests Custom Documented Not run Known issues",
        "Test results",
        "C-3 Java runtime in Prepare the environment 17 or later 17.0.9 — Passed",
        "Broker 2 needed a second pass",
        "2026-12-16 – 2026-12-21 2026-12-16 – 2026-12-22 +1",
        "the work completes on 2027-01-08: the deadline still holds, with 15 business days to spare",
        "On-call support runs until 2027-01-14",
        "in the environment where Platinum Services did the upgrade, Staging",
        "that includes F-1, F-2",
        "Outside it: F-3 (a custom component: fixing and retesting covers standard components only)",
        "help with issues that show only in another environment, such as Production, is a paid engagement (Multiple Environment Assistance)",
    ] {
        assert!(report.contains(fact), "report lacks {fact:?}:\n{report}");
    }
    let svg = read(book.join("report.html"));
    assert!(
        svg.contains("class=\"actual late\""),
        "a late activity is drawn late"
    );

    // The PDFs say the same.
    let pdf = pdf_text(book.join("playbook.pdf"));
    assert!(pdf.contains("KnownissueF-1:ThearchivejobfailswithArchivePathNotWritable"));
    assert!(pdf.contains("KnownissueF-2"));
    let production_pdf = pdf_text(book.join("production.pdf"));
    assert!(production_pdf.contains("Productionresult"));
    let report_pdf = pdf_text(book.join("report.pdf"));
    for fact in [
        "Issuesfoundandretests",
        "Testresults",
        "Supportafterhand-off",
        "thedeadlinestillholds",
    ] {
        assert!(report_pdf.contains(fact), "report.pdf lacks {fact}");
    }
}

#[test]
fn holidays_are_skipped_like_weekends() {
    let (_tmp, project) = example();
    build_html(&project);
    let row = |project: &std::path::Path| {
        let report = words(&read(project.join("book/draft/report.html")));
        let at = report.find("Fix issues and retest Execution").unwrap();
        report[at..at + 80].to_string()
    };
    assert!(
        row(&project).contains("2026-12-28 – 2026-12-29"),
        "{}",
        row(&project)
    );
    // Without the Christmas holidays the same work falls on 24–25 December.
    edit(
        &project,
        "content/engagement.yaml",
        "  - { date: 2026-12-24, name: Christmas Eve }\n  - { date: 2026-12-25, name: Christmas Day }\n",
        "",
    );
    build_html(&project);
    assert!(
        row(&project).contains("2026-12-24 – 2026-12-25"),
        "{}",
        row(&project)
    );
}

#[test]
fn the_service_scope_rules_hold() {
    let (_tmp, project) = example();
    // The provider upgrading Production is outside the membership.
    edit(
        &project,
        "content/engagement.yaml",
        "    role: staging\n    upgraded_by: platinum",
        "    role: staging\n    upgraded_by: customer",
    );
    edit(
        &project,
        "content/engagement.yaml",
        "    role: production\n    upgraded_by: customer",
        "    role: production\n    upgraded_by: platinum",
    );
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: Multiple Environment Assistance exclusion applies: the membership covers one development or staging environment; upgrading Production is a paid engagement",
        ))
        .stderr(predicates::str::contains("content/engagement.yaml:36:18"));
    build_html(&project);
    let report = words(&read(project.join("book/draft/report.html")));
    assert!(report.contains("upgrading Production is a paid engagement"));
}

#[test]
fn open_findings_warn_and_a_final_release_carries_them_over() {
    let (_tmp, project) = example();
    reopen_f1(&project, "failed");
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: finding `F-1` is still open",
        ))
        .stderr(predicates::str::contains(
            "warning: the retest of finding `F-1` failed",
        ));
    // A final version with an open finding is refused until the customer's
    // acceptance of it is said.
    upbook()
        .args(["release", "--final", "--accepted-by", "Dana Weber"])
        .arg(&project)
        .arg("1.0")
        .assert()
        .code(1)
        .stderr(predicates::str::contains(
            "release 1.0 cannot be final while these are open: finding F-1",
        ))
        .stderr(predicates::str::contains("--accept-open"));
    upbook()
        .env("SOURCE_DATE_EPOCH", "1768176000") // 2026-01-12, a Monday
        .args([
            "release",
            "--final",
            "--accept-open",
            "--accepted-by",
            "Dana Weber",
        ])
        .arg(&project)
        .arg("1.0")
        .assert()
        .success();
    upbook().arg("build").arg(&project).assert().success();
    let cover = words(&read(project.join("book/v1.0/index.html")));
    assert!(cover.contains("Carried over, still open: F-1"), "{cover}");
    let report = words(&read(project.join("book/v1.0/report.html")));
    assert!(
        report.contains("Findings carried over, still open: F-1"),
        "{report}"
    );
    // On-call support runs a week from the delivery, not from the plan.
    assert!(
        report.contains(
            "On-call support runs until 2026-01-19, a week of business days after the final version was delivered on 2026-01-12"
        ),
        "{report}"
    );
    let draft = words(&read(project.join("book/draft/report.html")));
    assert!(draft.contains("delivered on 2026-01-12"), "{draft}");
    assert!(pdf_text(project.join("book/v1.0/playbook.pdf")).contains("Carriedover"));
    assert!(
        pdf_text(project.join("book/v1.0/report.pdf"))
            .contains("Findingscarriedover,stillopen:F-1")
    );
}

#[test]
fn a_finding_fixed_between_releases_shows_in_the_change_view() {
    let (_tmp, project) = example();
    reopen_f1(&project, "not-run");
    release_on(&project, "1.0");
    edit(
        &project,
        "content/run.yaml",
        "status: open",
        "status: fixed",
    );
    edit(
        &project,
        "content/run.yaml",
        "    retest: not-run\n  - id: F-2",
        "    retest: passed\n  - id: F-2",
    );
    release_on(&project, "1.1");
    build_html(&project);
    let changes = read(project.join("book/v1.1/changes.html"));
    let fix = section(&changes, "change-upgrade-the-primary-domain-manager");
    assert!(fix.contains("<del>open"), "{fix}");
    assert!(fix.contains("<ins>fixed"), "{fix}");
    assert!(fix.contains("<ins>passed"), "{fix}");
}

/// Marks the example's F-1 open again, with `retest` as its retest.
fn reopen_f1(project: &std::path::Path, retest: &str) {
    edit(project, "content/run.yaml", "status: fixed", "status: open");
    edit(
        project,
        "content/run.yaml",
        "    retest: passed\n  - id: F-2",
        &format!("    retest: {retest}\n  - id: F-2"),
    );
}

fn release_on(project: &std::path::Path, version: &str) {
    upbook()
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .arg("release")
        .arg(project)
        .arg(version)
        .assert()
        .success();
}

/// A finding seen only in another environment is outside after-sales
/// support: `check` and the report give the service's reason.
#[test]
fn a_finding_seen_only_elsewhere_is_outside_support() {
    let (_tmp, project) = example();
    edit(
        &project,
        "content/run.yaml",
        "    found_in: upgrade-the-primary-domain-manager\n",
        "    found_in: upgrade-the-primary-domain-manager\n    environment: Production\n",
    );
    upbook()
        .arg("check")
        .arg(&project)
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "warning: finding `F-2` is outside after-sales support: seen only in Production: \
            help with upgrade issues in other environments is a paid engagement (Multiple Environment Assistance)",
        ));
    upbook()
        .args(["build", "--format", "html"])
        .arg(&project)
        .assert()
        .success();
    let report = words(&read(project.join("book/draft/report.html")));
    assert!(report.contains("that includes F-1."), "{report}");
    assert!(
        report.contains("F-2 (seen only in Production: help with upgrade issues"),
        "{report}"
    );
}
