//! A playbook the customer can run Production from: each environment's
//! copy holds its own content, a step per host, the back-out plan and a
//! checklist, and none of the provider's staging record.

mod common;

use common::*;

/// The step labels of a page, in order (`1`, `2`, ..., `B1`, ...).
fn steps(html: &str) -> Vec<String> {
    html.match_indices("<li class=\"step")
        .filter_map(|(i, _)| {
            let rest = &html[i..];
            let at = rest.find("data-step=\"")? + "data-step=\"".len();
            Some(rest[at..at + rest[at..].find('"')?].to_string())
        })
        .collect()
}

#[test]
fn each_copy_has_its_own_steps_numbered_without_a_gap() {
    let (_tmp, project) = example();
    build_html(&project);
    let staging = read(project.join("book/draft/index.html"));
    let production = read(project.join("book/draft/production.html"));
    let expect = |n: u32, back: u32| {
        (1..=n)
            .map(|i| i.to_string())
            .chain((1..=back).map(|i| format!("B{i}")))
            .collect::<Vec<_>>()
    };
    // Staging: two brokers and the staging-only retest; Production: three
    // brokers, no retest.
    assert_eq!(steps(&staging), expect(35, 9));
    assert_eq!(steps(&production), expect(39, 11));

    // One step per broker of the copy's environment, in the order listed.
    let prod_text = words(&production);
    let order: Vec<usize> = ["kfl-prd-br01", "kfl-prd-br02", "kfl-prd-br03"]
        .iter()
        .map(|b| {
            prod_text
                .find(&format!("Stop the broker on {b}"))
                .unwrap_or_else(|| panic!("no step for {b}"))
        })
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "{order:?}");
    let prod_steps = words(&production[production.find("id=\"part-steps\"").unwrap()..]);
    assert!(
        !prod_steps.contains("kfl-stg-"),
        "a staging host in Production's steps"
    );
    assert!(!prod_text.contains("{{"), "an unfilled value");
    let stg_text = words(&staging);
    assert!(stg_text.contains("Stop the broker on kfl-stg-br02"));
    assert!(!stg_text.contains("Stop the broker on kfl-stg-br03"));

    // The staging-only note is in Staging's copy only.
    assert!(staging.contains("id=\"fix-issues-found-and-retest\""));
    assert!(!production.contains("id=\"fix-issues-found-and-retest\""));
}

#[test]
fn customer_copies_leave_out_the_providers_staging_record() {
    let (_tmp, project) = example();
    build_html(&project);
    let staging = read(project.join("book/draft/index.html"));
    let production = read(project.join("book/draft/production.html"));
    assert!(staging.contains("in the service, this is done by"));
    assert!(!production.contains("in the service, this is done by"));
    assert!(production.contains("<p class=\"phase-meta\">Execution milestone</p>"));
    // Who does what: the staging plan's dates only in Staging's copy.
    assert!(words(section(&staging, "who-does-what")).contains("2026-12-16 – 2026-12-21"));
    assert!(!words(section(&production, "who-does-what")).contains("2026-12-16"));
    // Tasks ticked on Staging are still to do in Production.
    assert!(staging.contains(
        "<input type=\"checkbox\" aria-label=\"Archives written, one per host\" checked=\"\" disabled=\"\">"
    ));
    assert!(!production.contains("checked=\"\" disabled"));
    assert_eq!(
        production
            .matches("<input type=\"checkbox\" aria-label=")
            .count(),
        3
    );
}

#[test]
fn a_customers_printed_copy_has_room_for_its_own_dates() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let staging = pdf_text(project.join("book/draft/playbook.pdf"));
    let production = pdf_text(project.join("book/draft/production.pdf"));
    // The provider's staging dates, and who does each phase in the
    // service, only in the provider's copy; the customer's has a column
    // to write down when each activity was done.
    assert!(staging.contains("DurationPlanned"), "{staging}");
    assert!(staging.contains("2026-12-16–2026-12-21"));
    assert!(staging.contains("Executionmilestone·intheservice,thisisdoneby:PlatinumConsultant"));
    assert!(production.contains("DonebyDoneon"), "{production}");
    assert!(!production.contains("2026-12-16"));
    assert!(production.contains("Executionmilestone"));
    assert!(!production.contains("thisisdoneby"));
}

#[test]
fn the_back_out_plan_and_the_point_of_no_return() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let production = read(project.join("book/draft/production.html"));
    // Its own part after the upgrade steps, before the appendix.
    let back_out = production.find("id=\"back-out\"").expect("a back-out part");
    assert!(production.find("id=\"part-steps\"").unwrap() < back_out);
    assert!(back_out < production.find("id=\"part-process\"").unwrap());
    assert!(words(&production).contains("Back out to 10.0.3"));
    // Step 1 of the Domain Manager note is the point of no return: step 18
    // in Production (which has more broker steps before it than Staging).
    let text = words(&production);
    assert!(text.contains("Point of no return: step 18 ."), "{text}");
    let step = section(&production, "step-18");
    assert!(step.contains("Run the upgrade in unattended mode"));
    assert!(step.contains("href=\"#back-out\""));
    let staging = words(&read(project.join("book/draft/index.html")));
    assert!(staging.contains("Point of no return: step 16 ."));

    // The PDF: B-numbered steps with boxes, and a bookmark for the part.
    let pdf = pdf_text(project.join("book/draft/production.pdf"));
    assert!(pdf.contains("BacktoutTo10.0.3") || pdf.contains("Backoutto10.0.3"));
    assert!(pdf.contains("B2Stopthebrokeronkfl-prd-br01"), "{pdf}");
    assert!(pdf.contains("B1Setthedateofthebackup"), "{pdf}");
    assert!(pdf.contains("B11"));
    assert!(pdf.contains("Pointofnoreturn:step18."));
}

#[test]
fn the_checklist_is_there_for_every_step_and_waits_for_its_script() {
    let (_tmp, project) = example();
    build_html(&project);
    let production = read(project.join("book/draft/production.html"));
    // Each step's box is labelled with its number and kept per customer,
    // version and copy.
    assert!(production.contains(
        "<label class=\"step-check\" hidden><input type=\"checkbox\" data-step=\"12\"><span class=\"visually-hidden\">Step 12 done</span></label>"
    ));
    assert!(production.contains("data-step=\"B3\""));
    assert!(
        production
            .contains("data-checklist=\"Kestrel Freight Logistics AG|draft|production.html\"")
    );
    assert!(production.contains("id=\"execution-log\""));
    let script = read(project.join("book/draft/assets/book.js"));
    assert!(script.contains("localStorage.setItem(key, new Date().toISOString())"));
}

#[test]
fn a_role_some_environment_lacks_can_say_so_instead() {
    let (_tmp, project) = example();
    // Staging has no standby Domain Manager; Production gets one.
    edit(
        &project,
        "content/engagement.yaml",
        "      - { name: kfl-prd-dm01, role: Primary Domain Manager }",
        "      - { name: kfl-prd-dm01, role: Primary Domain Manager }\n      - { name: kfl-prd-dm02, role: Standby Domain Manager }",
    );
    edit(
        &project,
        "content/notes/03-upgrade-domain-manager.md",
        "4. Check the version it runs",
        "::: {each-host=\"Standby Domain Manager\" when-none=\"There is no standby Domain Manager here.\"}\n5. Upgrade the standby on `{{ host.name }}` the same way.\n:::\n\n6. Check the version it runs",
    );
    build_html(&project);
    let staging = words(&read(project.join("book/draft/index.html")));
    let production = words(&read(project.join("book/draft/production.html")));
    assert!(staging.contains("There is no standby Domain Manager here."));
    assert!(!staging.contains("Upgrade the standby"));
    assert!(production.contains("Upgrade the standby on kfl-prd-dm02 the same way."));
    assert!(!production.contains("There is no standby"));
}

#[test]
fn a_customers_copy_tells_its_own_run() {
    let (_tmp, project) = example();
    upbook().arg("build").arg(&project).assert().success();
    let production = read(project.join("book/draft/production.html"));
    let staging = read(project.join("book/draft/index.html"));
    let phase = |title: &str| format!("<h3 class=\"phase-title\">{title}<");
    // The main phase is titled for the reader's run, in the contents too;
    // the provider's copy keeps the service's title.
    assert!(production.contains(&phase("Upgrade Production")));
    assert!(staging.contains(&phase("Upgrade the development or staging environment")));
    assert!(!staging.contains("Upgrade Production"));
    let sidebar = &production[..production.find("<main").unwrap()];
    assert!(words(sidebar).contains("Upgrade Production"));
    let pdf = pdf_text(project.join("book/draft/production.pdf"));
    assert!(pdf.contains("UpgradeProduction"));
    // Scope counts this copy's steps and says why they are more.
    let scope = words(section(&production, "scope"));
    let count = steps(&production)
        .iter()
        .filter(|s| !s.starts_with('B'))
        .count();
    assert!(
        scope.contains(&format!("in {count} numbered steps")),
        "{scope}"
    );
    assert!(scope.contains("each of Production's 4 hosts (Staging has 3)"));
    assert!(!scope.contains("are what worked there"));
    // Who does what in this run: the customer every phase, the provider
    // on call; the service's own table stays in the appendix.
    let who = words(section(&production, "who-does-what"));
    assert!(
        who.contains(
            "In this run Kestrel Freight Logistics AG does every step: \
             Dana Weber (Customer IT lead) and Piotr Nowak (CX Messenger administrator)."
        ),
        "{who}"
    );
    assert!(!who.contains("Jonas Brandt"), "{who}");
    assert!(who.contains("Upgrade Production Execution Kestrel Freight Logistics AG"));
    assert!(who.contains("On-call support Post Execution Platinum Services"));
    assert!(!who.contains("Platinum Consultant"), "{who}");
    assert!(words(section(&staging, "who-does-what")).contains("Planned"));
    // The prerequisites name the version and leave the download to the
    // steps that do it.
    let before = words(section(&production, "prerequisites"));
    assert!(before.contains("CX Messenger 11.2"), "{before}");
    assert!(!before.contains("latest release"), "{before}");
}
