//! The commands and options of `upbook`, as its `-h` lists them.

use super::common::upbook;

/// One command as `-h` describes it.
pub struct Cli {
    /// `["requests", "import"]`; empty for `upbook` itself.
    pub path: Vec<String>,
    /// Other names for the last word of `path` (`[aliases: …]` in the
    /// parent's list).
    pub aliases: Vec<String>,
    /// `--out`, `-p`, … as listed under "Options:".
    pub options: Vec<String>,
    /// The subcommands listed under "Commands:", with their aliases.
    pub subcommands: Vec<(String, Vec<String>)>,
}

fn help(path: &[String], aliases: Vec<String>) -> Cli {
    let out = upbook().args(path).arg("-h").output().expect("upbook -h");
    assert!(out.status.success(), "upbook {path:?} -h failed");
    parse_help(
        path,
        aliases,
        &String::from_utf8(out.stdout).expect("utf-8 help"),
    )
}

pub fn parse_help(path: &[String], aliases: Vec<String>, text: &str) -> Cli {
    let mut cli = Cli {
        path: path.to_vec(),
        aliases,
        options: Vec::new(),
        subcommands: Vec::new(),
    };
    let mut heading = "";
    for line in text.lines() {
        if !line.starts_with(' ') {
            heading = line;
            continue;
        }
        let item = line.trim_start();
        match heading {
            "Commands:" if !line.starts_with("   ") => {
                let name = item.split_whitespace().next().unwrap_or("");
                let aliases = item
                    .find("[alias")
                    .map(|at| {
                        let list = &item[at..];
                        list[list.find(':').unwrap() + 1..]
                            .trim_end_matches(']')
                            .split(',')
                            .map(|a| a.trim().to_string())
                            .collect()
                    })
                    .unwrap_or_default();
                if !name.is_empty() && name != "help" {
                    cli.subcommands.push((name.to_string(), aliases));
                }
            }
            "Options:" if item.starts_with('-') => {
                let words = item.split("  ").next().unwrap_or("");
                for word in words.split([',', ' ']) {
                    if word.starts_with('-') {
                        cli.options.push(word.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    cli
}

/// Every command, from `upbook` down.
pub fn commands() -> Vec<Cli> {
    let mut found = Vec::new();
    let mut todo = vec![(Vec::<String>::new(), Vec::new())];
    while let Some((path, aliases)) = todo.pop() {
        let cli = help(&path, aliases);
        for (sub, aliases) in &cli.subcommands {
            let mut child = path.clone();
            child.push(sub.clone());
            todo.push((child, aliases.clone()));
        }
        found.push(cli);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    /// clap's way of listing an alias, as `upbook changes` will have `diff`.
    #[test]
    fn help_is_read_with_aliases_and_short_options() {
        let text = "Usage: upbook [OPTIONS] <COMMAND>\n\nCommands:\n  \
            changes  Show what changed [aliases: diff]\n  \
            help     Print this message\n\nOptions:\n  \
            -p, --port <PORT>  Port [default: 3000]\n      \
            --open             Open it\n";
        let cli = parse_help(&[], Vec::new(), text);
        assert_eq!(
            cli.subcommands,
            [("changes".to_string(), vec!["diff".to_string()])]
        );
        assert_eq!(cli.options, ["-p", "--port", "--open"]);
    }
}
