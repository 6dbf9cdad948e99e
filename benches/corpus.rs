//! A deterministic, generated engagement of N notes for benchmarks: each
//! note about 750 words with 6–9 steps, three code blocks and a table, the
//! same shape as the corpus the peers (mdBook, Hugo) were measured on.

use std::fmt::Write as _;
use std::fs;
use std::path::Path;

const WORDS: &[&str] = &[
    "broker",
    "queue",
    "channel",
    "domain",
    "manager",
    "host",
    "service",
    "restart",
    "verify",
    "backup",
    "restore",
    "archive",
    "config",
    "property",
    "listener",
    "port",
    "certificate",
    "rotate",
    "upgrade",
    "rollback",
    "health",
    "endpoint",
    "latency",
    "throughput",
    "partner",
    "delivery",
    "retry",
    "backoff",
    "threshold",
    "limit",
    "monitor",
    "alert",
    "log",
    "trace",
    "cluster",
    "node",
    "primary",
    "standby",
    "failover",
    "schema",
    "index",
    "store",
    "volume",
    "the",
    "a",
    "of",
    "to",
    "in",
    "on",
    "for",
    "with",
    "from",
    "after",
    "before",
    "until",
    "and",
    "or",
    "but",
    "if",
    "then",
    "when",
    "each",
    "every",
    "all",
    "this",
    "that",
    "is",
    "are",
    "must",
    "should",
    "may",
    "can",
    "will",
    "not",
    "never",
    "always",
];

const PHASES: &[&str] = &[
    "prepare-environment",
    "backup-configuration",
    "upgrade-environment",
    "test",
    "fix-and-retest",
];

#[path = "../tests/common/rng.rs"]
mod rng;
use rng::Rng;

impl Rng {
    fn word(&mut self) -> &'static str {
        WORDS[self.range(0, WORDS.len() - 1)]
    }
}

fn sentence(rng: &mut Rng, lo: usize, hi: usize) -> String {
    let n = rng.range(lo, hi);
    let mut words: Vec<String> = (0..n).map(|_| rng.word().to_string()).collect();
    match rng.range(0, 9) {
        0 => {
            let i = rng.range(0, n - 1);
            words[i] = format!("`{}`", words[i]);
        }
        1 => {
            let i = rng.range(0, n - 1);
            words[i] = format!("**{}**", words[i]);
        }
        _ => {}
    }
    let mut s = words.join(" ");
    if let Some(first) = s.get(0..1) {
        s.replace_range(0..1, &first.to_uppercase());
    }
    s.push('.');
    s
}

fn paragraph(rng: &mut Rng, words: usize) -> String {
    let mut out = Vec::new();
    let mut count = 0;
    while count < words {
        let s = sentence(rng, 8, 18);
        count += s.split(' ').count();
        out.push(s);
    }
    out.join(" ")
}

pub fn note(k: usize, n: usize, edited: bool) -> String {
    let mut rng = Rng(42 * 1_000_003 + k as u64);
    let mut s = String::new();
    let phase = PHASES[k % PHASES.len()];
    let _ = writeln!(
        s,
        "---\ntitle: \"Procedure {k}: {} the {}\"\nid: ch{k:05}\nphase: {phase}\norder: {k}\n---\n",
        rng.word(),
        rng.word()
    );
    s.push_str("## Overview\n\n");
    for p in 0..3 {
        s.push_str(&paragraph(&mut rng, 100));
        if p == 0 {
            let j = rng.range(1, n);
            let _ = write!(s, " See [procedure {j}](#ch{j:05}).");
        }
        if edited && p == 1 {
            s.push_str(" This sentence was added in review.");
        }
        s.push_str("\n\n");
    }
    s.push_str("## Prerequisites\n\n");
    for _ in 0..rng.range(3, 5) {
        let _ = writeln!(s, "- {}", sentence(&mut rng, 5, 10));
    }
    s.push_str("\n## Procedure\n\n");
    let steps = rng.range(6, 9);
    let code_at = [1, 3, 5];
    for i in 0..steps {
        let _ = writeln!(s, "{}. {}", i + 1, sentence(&mut rng, 8, 16));
        if let Some(pos) = code_at.iter().position(|&c| c == i) {
            s.push('\n');
            match pos {
                0 => {
                    let _ = write!(
                        s,
                        "   ```bash\n   set -euo pipefail\n   ssh {{{{ env.dm_host }}}} sudo systemctl restart cxm-svc-{k}\n   for host in $(cat hosts.txt); do\n     ssh \"$host\" journalctl -u cxm-svc-{k} -n 50\n   done\n   ```\n\n"
                    );
                }
                1 => {
                    let _ = write!(
                        s,
                        "   ```yaml\n   service: svc-{k}\n   replicas: {}\n   strategy: {{ maxSurge: 1, maxUnavailable: 0 }}\n   target: \"{{{{ target_version }}}}\"\n   ```\n\n",
                        rng.range(2, 12)
                    );
                }
                _ => {
                    let _ = write!(
                        s,
                        "   ```xml\n   <config version=\"{}\">\n     <service name=\"svc-{k}\"><timeout unit=\"s\">{}</timeout></service>\n   </config>\n   ```\n\n",
                        rng.range(1, 9),
                        rng.range(5, 120)
                    );
                }
            }
        }
    }
    s.push_str("\n## Parameters\n\n| Parameter | Default | Range | Notes |\n|---|---|---|---|\n");
    for _ in 0..5 {
        let _ = writeln!(
            s,
            "| `{}_{}` | {} | {}-{} | {} |",
            rng.word(),
            rng.word(),
            rng.range(1, 500),
            rng.range(0, 10),
            rng.range(100, 1000),
            sentence(&mut rng, 4, 8)
        );
    }
    s.push_str("\n## Verification\n\n");
    s.push_str(&paragraph(&mut rng, 60));
    s.push_str("\n\n> [!NOTE]\n> ");
    s.push_str(&sentence(&mut rng, 8, 14));
    s.push('\n');
    s
}

const ENGAGEMENT: &str = r#"customer: Synthetic Logistics Ltd
current_version: "10.0"
target_version: "11.0"
dates:
  earliest_start: 2027-01-04
  ideal_start: 2027-01-11
  deadline: 2027-03-31
  deadline_reason: Benchmark corpus
access_acknowledged: true
environments:
  - name: Staging
    role: staging
    upgraded_by: platinum
    vars: { dm_host: stg-dm01 }
  - name: Production
    role: production
    upgraded_by: customer
    vars: { dm_host: prd-dm01 }
contacts:
  - { name: Bench Mark, role: Customer IT lead, email: bench@example.com }
"#;

/// Writes a project of `n` notes into `dir`.
pub fn write(dir: &Path, n: usize) {
    write_with_edits(dir, n, 0);
}

/// Like `write`, with every `every`-th note edited (0: none), for the
/// change view benchmark: 1,000 notes with every 5th edited is 200 edits.
pub fn write_with_edits(dir: &Path, n: usize, every: usize) {
    let _ = fs::remove_dir_all(dir);
    fs::create_dir_all(dir.join("content/notes")).unwrap();
    fs::write(
        dir.join("book.toml"),
        "[book]\ntitle = \"Synthetic playbook\"\n\n[output]\nformats = [\"html\", \"pdf\"]\n",
    )
    .unwrap();
    fs::write(dir.join("content/engagement.yaml"), ENGAGEMENT).unwrap();
    for k in 1..=n {
        fs::write(
            dir.join(format!("content/notes/ch{k:05}.md")),
            note(k, n, every > 0 && k % every == 0),
        )
        .unwrap();
    }
}

// Only the build benchmark compares with the peers; the serve one shares
// this module.
#[allow(dead_code)]
/// The same notes as mdBook and Hugo sources and as one Markdown file
/// (for pandoc and Typst), for measuring the peers in the same run:
/// `DIR/mdbook`, `DIR/hugo` and `DIR/single/book.md`, the layout of the
/// shared corpus generator. Front matter and `{{ ... }}` values are
/// turned into plain text, and links between notes into each tool's own.
pub fn write_peers(dir: &Path, n: usize) {
    let book = dir.join("mdbook");
    let site = dir.join("hugo");
    let _ = fs::remove_dir_all(&book);
    let _ = fs::remove_dir_all(&site);
    let _ = fs::remove_dir_all(dir.join("single"));
    fs::create_dir_all(dir.join("single")).unwrap();
    let mut single = String::from("---\ntitle: Synthetic playbook\nlang: en\n---\n\n");
    fs::create_dir_all(book.join("src")).unwrap();
    fs::create_dir_all(site.join("content/notes")).unwrap();
    fs::create_dir_all(site.join("layouts/_default")).unwrap();
    fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Synthetic playbook\"\n\n[output.html]\n",
    )
    .unwrap();
    fs::write(
        site.join("hugo.toml"),
        "title = \"Synthetic playbook\"\ndisableKinds = [\"taxonomy\", \"term\", \"RSS\", \"sitemap\"]\n[markup.goldmark.renderer]\nunsafe = false\n",
    )
    .unwrap();
    let page = "<!DOCTYPE html><html><head><title>{{ .Title }}</title></head><body>{{ block \"main\" . }}{{ end }}</body></html>\n";
    fs::write(site.join("layouts/_default/baseof.html"), page).unwrap();
    fs::write(
        site.join("layouts/_default/single.html"),
        "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}{{ end }}\n",
    )
    .unwrap();
    fs::write(
        site.join("layouts/_default/list.html"),
        "{{ define \"main\" }}<ul>{{ range .Pages }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n",
    )
    .unwrap();
    fs::write(
        site.join("content/_index.md"),
        "---\ntitle: Playbook\n---\n",
    )
    .unwrap();
    let mut summary = String::from("# Summary\n\n");
    for k in 1..=n {
        let text = note(k, n, false);
        let (front, body) = text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
            .unwrap_or(("", &text));
        let title = front
            .lines()
            .find_map(|l| l.strip_prefix("title: "))
            .unwrap_or("Note")
            .trim_matches('"');
        let body = body
            .replace("{{ env.dm_host }}", "stg-dm01")
            .replace("{{ target_version }}", "11.0");
        let _ = writeln!(summary, "- [{title}](ch{k:05}.md)");
        // Each link is `(#chNNNNN)`: rewritten where it is found.
        let linked = |to: &dyn Fn(&str) -> String| {
            let mut out = String::with_capacity(body.len());
            let mut rest = body.as_str();
            while let Some(at) = rest.find("(#ch") {
                out.push_str(&rest[..at]);
                let id = &rest[at + 2..at + 9];
                out.push('(');
                out.push_str(&to(id));
                rest = &rest[at + 9..];
            }
            out.push_str(rest);
            out
        };
        fs::write(
            book.join(format!("src/ch{k:05}.md")),
            format!("# {title}\n\n{}", linked(&|id| format!("{id}.md"))),
        )
        .unwrap();
        let _ = write!(single, "# {title} {{#ch{k:05}}}\n\n{body}\n");
        fs::write(
            site.join(format!("content/notes/ch{k:05}.md")),
            format!(
                "---\ntitle: \"{title}\"\nweight: {k}\n---\n{}",
                linked(&|id| format!("../{id}/"))
            ),
        )
        .unwrap();
    }
    fs::write(book.join("src/SUMMARY.md"), summary).unwrap();
    fs::write(dir.join("single/book.md"), single).unwrap();
}
