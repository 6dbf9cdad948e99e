//! The example read as the administrator who runs it: in every
//! environment's copy, each command runs on the host that holds its files,
//! every archive a restore reads is one a backup step wrote on that host,
//! and each broker gets its settings back before it rejoins.

use std::path::Path;

use upbook::model::document::Block;
use upbook::model::engagement::Environment;

/// One shell command as typed: continuation lines joined, a `for host in`
/// loop unrolled, and shell variables set in the block filled in (all but
/// `BACKUP_DATE`, which stands for the same day in every step).
#[derive(Debug)]
struct Command {
    section: String,
    line: String,
}

impl Command {
    /// The host an `ssh HOST ...` command runs on.
    fn host(&self) -> Option<&str> {
        let rest = self.line.strip_prefix("ssh ")?;
        rest.split_whitespace().next().map(|h| h.trim_matches('"'))
    }

    /// The archives this command reads or writes with `tar`, by flag.
    fn archives(&self, flags: &[&str]) -> Vec<String> {
        let words: Vec<&str> = self.line.split_whitespace().collect();
        words
            .windows(2)
            .filter(|w| flags.contains(&w[0]))
            .map(|w| w[1].trim_matches('"').to_string())
            .collect()
    }
}

fn commands(env: &Environment) -> Vec<Command> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (checked, diags) = upbook::check(root);
    let checked = checked.unwrap_or_else(|| panic!("the example does not check: {diags:?}"));
    let copy = checked.draft.for_environment(Some(env));
    let mut out = Vec::new();
    for section in copy
        .phases
        .iter()
        .flat_map(|p| &p.sections)
        .chain(&copy.back_out)
    {
        let mut code = Vec::new();
        collect(&section.blocks, &mut code);
        for block in code {
            for line in unroll(&block) {
                out.push(Command {
                    section: section.id.clone(),
                    line,
                });
            }
        }
    }
    out
}

fn collect(blocks: &[Block], out: &mut Vec<String>) {
    for block in blocks {
        match block {
            Block::Code { language, code } if language.as_deref() == Some("bash") => {
                out.push(code.clone())
            }
            Block::Steps { steps } => steps.iter().for_each(|s| collect(&s.blocks, out)),
            Block::Callout { blocks, .. } | Block::Quote { blocks } => collect(blocks, out),
            _ => {}
        }
    }
}

/// The commands of one code block, in the order they run.
fn unroll(code: &str) -> Vec<String> {
    let joined = code.replace("\\\n", " ");
    let lines: Vec<String> = joined
        .lines()
        .map(|l| l.split(" # ").next().unwrap().trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = &lines[i];
        if let Some(list) = line
            .strip_prefix("for host in ")
            .and_then(|l| l.strip_suffix("; do"))
        {
            let end = i + lines[i..].iter().position(|l| l == "done").expect("done");
            for host in list.split_whitespace() {
                let mut vars = vec![("host".to_string(), host.to_string())];
                for body in &lines[i + 1..end] {
                    if let Some((name, value)) = assignment(body) {
                        let value = fill(&value, &vars);
                        vars.push((name, value));
                    } else {
                        out.push(fill(body, &vars));
                    }
                }
            }
            i = end + 1;
        } else {
            out.push(line.clone());
            i += 1;
        }
    }
    out
}

fn assignment(line: &str) -> Option<(String, String)> {
    let (name, value) = line.split_once('=')?;
    let plain = !name.is_empty() && name.chars().all(|c| c.is_ascii_lowercase());
    plain.then(|| (name.to_string(), value.to_string()))
}

fn fill(line: &str, vars: &[(String, String)]) -> String {
    let mut line = line.to_string();
    for (name, value) in vars.iter().rev() {
        line = line.replace(&format!("\"${name}\""), value);
        line = line.replace(&format!("${name}"), value);
    }
    line
}

fn environments() -> Vec<Environment> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let (checked, _) = upbook::check(root);
    checked.unwrap().draft.engagement.environments
}

#[test]
fn every_command_on_installed_files_runs_on_a_host_of_its_copy() {
    for env in environments() {
        let hosts: Vec<&str> = env.hosts.iter().map(|h| h.name.as_str()).collect();
        for c in commands(&env) {
            let touches = ["install_dir", "backup_dir"]
                .iter()
                .any(|v| c.line.contains(env.vars[*v].as_str()));
            if touches {
                let host = c.host();
                assert!(
                    host.is_some_and(|h| hosts.contains(&h)),
                    "{} ({}): runs on the workstation, not on a host of the copy: {}",
                    env.name,
                    c.section,
                    c.line
                );
            }
        }
    }
}

#[test]
fn every_restore_reads_an_archive_its_host_wrote() {
    for env in environments() {
        let commands = commands(&env);
        let mut written: Vec<(String, String)> = Vec::new();
        let mut restores = 0;
        for c in &commands {
            let host = c.host().unwrap_or("the workstation").to_string();
            for archive in c.archives(&["-czf"]) {
                assert!(
                    archive.contains(&format!("-{host}-")),
                    "{}: {host}'s archive {archive} is not named after it",
                    env.name
                );
                assert!(
                    !written.iter().any(|(_, a)| *a == archive),
                    "{}: two backups write {archive}",
                    env.name
                );
                written.push((host.clone(), archive));
            }
            let backups = c.archives(&["-xzf", "-xzOf"]);
            for archive in backups
                .into_iter()
                .filter(|a| a.starts_with(&env.vars["backup_dir"]))
            {
                restores += 1;
                assert!(
                    !archive.contains('*') && !archive.contains('?'),
                    "{}: a pattern may match another host's archive: {archive}",
                    env.name
                );
                assert!(
                    written.contains(&(host.clone(), archive.clone())),
                    "{} ({}): {host} reads {archive}, which no earlier backup wrote there",
                    env.name,
                    c.section
                );
                assert!(archive.contains(&format!("cxm-{}-", checked_version())));
            }
        }
        let hosts = env.hosts.len();
        assert_eq!(written.len(), hosts, "{}: one archive per host", env.name);
        assert!(
            restores >= hosts,
            "{}: the back-out restores every host",
            env.name
        );
    }
}

fn checked_version() -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    upbook::check(root)
        .0
        .unwrap()
        .draft
        .engagement
        .current_version
}

#[test]
fn each_broker_gets_its_settings_back_before_it_rejoins() {
    for env in environments() {
        let upgrade: Vec<Command> = commands(&env)
            .into_iter()
            .filter(|c| c.section == "upgrade-the-message-brokers")
            .collect();
        let brokers: Vec<&str> = env
            .hosts
            .iter()
            .filter(|h| h.role == "Message broker")
            .map(|h| h.name.as_str())
            .collect();
        let at = |host: &str, what: &str| {
            upgrade
                .iter()
                .position(|c| c.host() == Some(host) && c.line.contains(what))
                .unwrap_or_else(|| panic!("{}: no `{what}` on {host}", env.name))
        };
        let mut last_start = None;
        for broker in &brokers {
            let stop = at(broker, "systemctl stop cxm-broker");
            let settings = at(broker, "tee -a");
            let start = at(broker, "systemctl start cxm-broker");
            assert!(
                stop < settings && settings < start,
                "{}: {broker}",
                env.name
            );
            assert!(
                last_start.is_none_or(|s| s < stop),
                "{}: {broker} stops before the broker before it is back",
                env.name
            );
            last_start = Some(start);
        }
    }
}
