//! No input panics: arbitrary bytes and mutations of the example's own
//! files, fed to every loader, must end in diagnostics, never a panic.
//!
//! A bounded run is part of `cargo test`. A longer one:
//!
//! ```sh
//! UPBOOK_FUZZ_CASES=20000 cargo test --release --test fuzz -- --nocapture
//! ```
//!
//! `UPBOOK_FUZZ_SEED` starts from another seed; a failure prints the seed
//! and case that reproduce it.

use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use upbook::project::release::{ReleaseOptions, create};

mod common;

use common::rng::Rng;

/// Pieces that reach deep into YAML, TOML, front matter, Markdown and the
/// playbook's own syntax, so mutations get past the first parse error.
const TOKENS: &[&str] = &[
    "\n",
    ":",
    ": ",
    "- ",
    "---\n",
    "\n---\n",
    "{{ ",
    " }}",
    "{{ env.",
    "{{ customer }}",
    "[",
    "]",
    "{",
    "}",
    "\"",
    "'",
    "#",
    "&a ",
    "*a",
    "!!binary ",
    "~",
    "null",
    "1e999",
    "-1",
    "18446744073709551616",
    "2026-02-30",
    "2027-13-01",
    "0000-00-00",
    "\t",
    "\r\n",
    "\u{0}",
    "\u{feff}",
    "é",
    "𝄞",
    "\\",
    "|\n",
    ">-\n",
    "1. ",
    "\n1. ",
    "```\n",
    "`",
    "![x](",
    ")",
    "../",
    "/etc/passwd",
    "::: {only=\"x\"}\n",
    "<script>",
    "&amp;",
    "[output]\n",
    "dir = ",
    "id: ",
    "phase: ",
    "order: ",
    "section: ",
    "status: applied\n",
    "applied_in: ",
    "raised_against: ",
    "environments:\n",
    "version = ",
    "digest = ",
    "> ",
    "> [!NOTE]\n> ",
    "*a ",
    "b* ",
    "[x ",
    "](#a)",
    "::: {each-host=\"Message broker\"}\n",
    ":::\n",
    "\u{202E}",
    "\u{2069}",
    "(//evil.example/x)",
];

fn mutate(rng: &mut Rng, original: &[u8]) -> Vec<u8> {
    let mut bytes = original.to_vec();
    if rng.below(20) == 0 {
        // Arbitrary bytes, not derived from the file at all.
        let len = rng.below(512);
        return (0..len).map(|_| rng.next() as u8).collect();
    }
    for _ in 0..=rng.below(4) {
        let at = rng.below(bytes.len() + 1);
        match rng.below(7) {
            5 => {
                // One token many times: nesting and size past every limit.
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                let times = 1 + rng.below(5_000);
                bytes.splice(at..at, token.repeat(times));
            }
            0 if !bytes.is_empty() => {
                let i = rng.below(bytes.len());
                bytes[i] ^= 1 << rng.below(8);
            }
            1 | 2 => {
                let token = TOKENS[rng.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.below(64)).min(bytes.len());
                bytes.drain(at..end);
            }
            4 => {
                let end = (at + rng.below(128)).min(bytes.len());
                let copy = bytes[at..end].to_vec();
                let to = rng.below(bytes.len() + 1);
                bytes.splice(to..to, copy);
            }
            _ => bytes.truncate(at),
        }
    }
    bytes
}

/// The example project with one release, so release files are fuzzed too.
fn project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("p");
    upbook::scaffold::init(&root).unwrap();
    create(&root, "1.0", &ReleaseOptions::default())
        .unwrap_or_else(|d| panic!("release: {:?}", d.items));
    (tmp, root)
}

fn cases(default: usize) -> usize {
    std::env::var("UPBOOK_FUZZ_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(default)
}

fn seed() -> u64 {
    std::env::var("UPBOOK_FUZZ_SEED")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0x5eed)
}

/// Every file a user or `upbook release` writes, one at a time, mutated
/// and checked as a whole project: all loaders and the cross-file rules.
#[test]
fn mutated_project_files_give_diagnostics_never_a_panic() {
    let (_tmp, root) = project();
    let files: Vec<&str> = vec![
        "book.toml",
        "content/engagement.yaml",
        "content/notes/02-backup.md",
        "content/notes/04-upgrade-brokers.md",
        "content/reviews/change-requests.yaml",
        "content/run.yaml",
        "releases/1.0/release.toml",
        "releases/1.0/playbook.json",
    ];
    let originals: Vec<Vec<u8>> = files
        .iter()
        .map(|f| fs::read(root.join(f)).unwrap())
        .collect();
    let total = cases(240);
    let mut rejected = 0;
    for case in 0..total {
        let which = case % files.len();
        let mut rng = Rng(seed() ^ (case as u64).wrapping_mul(0x2545_F491_4F6C_DD1D));
        let bytes = mutate(&mut rng, &originals[which]);
        fs::write(root.join(files[which]), &bytes).unwrap();
        let outcome = catch_unwind(AssertUnwindSafe(|| upbook::check(&root)));
        fs::write(root.join(files[which]), &originals[which]).unwrap();
        let (checked, diags) = outcome.unwrap_or_else(|_| {
            panic!(
                "check panicked on case {case} (seed {}) mutating {}: {:?}",
                seed(),
                files[which],
                String::from_utf8_lossy(&bytes)
            )
        });
        if checked.is_none() {
            rejected += 1;
            assert!(
                diags.has_errors(),
                "case {case}: rejected without an error for {}",
                files[which]
            );
        }
    }
    eprintln!("{total} mutated projects checked, {rejected} rejected with diagnostics");
    // Most mutations break something; if none did, the files were not
    // really fed to the loaders.
    assert!(rejected > total / 4, "only {rejected} of {total} rejected");
}

/// Each loader on its own, with many more inputs than whole projects
/// allow: arbitrary bytes and mutations of a valid file.
#[test]
fn loaders_survive_arbitrary_bytes() {
    use upbook::diagnostic::Diagnostics;
    use upbook::diagnostic::SourceFile;
    let (_tmp, root) = project();
    let seeds: Vec<(&str, Vec<u8>)> = [
        "book.toml",
        "content/engagement.yaml",
        "content/reviews/change-requests.yaml",
        "releases/1.0/playbook.json",
    ]
    .iter()
    .map(|f| (*f, fs::read(root.join(f)).unwrap()))
    .collect();
    let total = cases(240) * 8;
    for case in 0..total {
        let (name, original) = &seeds[case % seeds.len()];
        let mut rng = Rng(seed().wrapping_add(case as u64));
        let bytes = mutate(&mut rng, original);
        let run = || {
            let Ok(file) = SourceFile::from_bytes(Path::new(name), bytes.clone()) else {
                return;
            };
            let mut diags = Diagnostics::default();
            match *name {
                "book.toml" => {
                    let _ = upbook::load::config::parse(&file);
                }
                "content/engagement.yaml" => {
                    let _ = upbook::load::engagement::load(&file, &mut diags);
                }
                "content/reviews/change-requests.yaml" => {
                    let _ = upbook::load::change_requests::load(&file, &mut diags);
                }
                _ => {
                    if let Ok(mut playbook) =
                        serde_json::from_slice::<upbook::model::Playbook>(&bytes)
                    {
                        playbook.restore_scope();
                        let _ = playbook.reference();
                    }
                }
            }
        };
        if catch_unwind(AssertUnwindSafe(run)).is_err() {
            panic!(
                "{name} panicked on case {case} (seed {}): {:?}",
                seed(),
                String::from_utf8_lossy(&bytes)
            );
        }
    }
    eprintln!("{total} inputs fed to single loaders");
}

/// Notes nested and repeated around every limit, in-process (a stack
/// overflow would end the test run): up to the limit `check` accepts
/// them, past it `check` refuses them with an error, and no depth, however
/// far past, takes it down.
#[test]
fn nested_and_huge_notes_are_accepted_up_to_the_limits_and_refused_past_them() {
    use common::nested;
    use upbook::limits::{BLOCK_DEPTH, DIV_DEPTH, INLINE_DEPTH};
    let (_tmp, root) = project();
    type Generator = fn(usize) -> String;
    let generators: [(&str, Generator, usize); 9] = [
        ("quotes", nested::quotes, BLOCK_DEPTH),
        ("lists", nested::lists, BLOCK_DEPTH),
        ("numbered", nested::numbered, BLOCK_DEPTH),
        ("callouts", nested::callouts, BLOCK_DEPTH),
        ("mixed", nested::mixed, BLOCK_DEPTH - 1),
        ("emphasis", nested::emphasis, INLINE_DEPTH),
        ("inlines", nested::inlines, INLINE_DEPTH),
        ("divs", nested::divs, DIV_DEPTH),
        ("each-host", nested::each_host, DIV_DEPTH),
    ];
    let note = root.join("content/notes/99-deep.md");
    for (name, generate, limit) in generators {
        let mut depths = vec![1, limit - 1, limit, limit + 1, 2 * limit, 2_000];
        if name != "numbered" && name != "mixed" && name != "callouts" {
            // Their text grows with the square of the depth.
            depths.push(20_000);
        }
        for depth in depths {
            fs::write(&note, nested::note("Deep", &generate(depth))).unwrap();
            let (checked, diags) = upbook::check(&root);
            let errors: Vec<_> = diags.items.iter().filter(|d| d.is_error()).collect();
            // `each-host` copies also stop at the steps they multiply to.
            let fits = depth <= limit
                && (name != "each-host"
                    || 3u64
                        .checked_pow(depth as u32)
                        .is_some_and(|n| n <= upbook::limits::COPY_STEPS));
            if fits {
                assert!(checked.is_some(), "{name} at {depth} refused: {errors:?}");
            } else {
                assert!(checked.is_none(), "{name} at {depth} accepted");
                assert!(
                    errors.iter().any(|d| d.path.as_deref()
                        == Some(Path::new("content/notes/99-deep.md"))
                        && d.line.is_some()),
                    "{name} at {depth}: no error located in the note: {errors:?}"
                );
            }
        }
    }
}
