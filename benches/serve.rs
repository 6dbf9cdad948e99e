//! `cargo bench --bench serve`: how long after a note is saved the
//! rebuilt page is served, with `upbook serve` running on a generated
//! project of 1,000 notes (`UPBOOK_BENCH_SERVE_NOTES`), HTML only so the
//! PDF worker does not share the two cores with the rebuilds being timed.
//!
//! `UPBOOK_BENCH_SERVE_RELEASE=1` releases 1.0 first and
//! `UPBOOK_BENCH_SERVE_PDF=1` keeps PDFs on.
//!
//! Each of `UPBOOK_BENCH_RUNS` (default 20) saves appends a line to a
//! different note, then polls `/__upbook/state` every millisecond until
//! the build number moves (the moment open pages are told to reload),
//! then downloads the page and checks the line is on it.

mod corpus;
#[path = "../tests/common/serve_client.rs"]
mod serve_client;
mod settings;

use std::process::Stdio;
use std::time::{Duration, Instant};

use serve_client::get;

fn main() {
    let notes = settings::count("UPBOOK_BENCH_SERVE_NOTES", 1000);
    let runs = settings::count("UPBOOK_BENCH_RUNS", 20);
    let dir = std::env::temp_dir().join(format!("upbook-bench-serve-{}", std::process::id()));
    corpus::write(&dir, notes);
    // `UPBOOK_BENCH_SERVE_PDF=1` keeps PDFs on (laid out beside the
    // timed rebuilds); `UPBOOK_BENCH_SERVE_RELEASE=1` releases 1.0 first,
    // so every rebuild also has a change view to draw.
    if std::env::var_os("UPBOOK_BENCH_SERVE_PDF").is_none() {
        let toml = dir.join("book.toml");
        let text = std::fs::read_to_string(&toml).unwrap();
        std::fs::write(&toml, text.replace("[\"html\", \"pdf\"]", "[\"html\"]")).unwrap();
    }
    if std::env::var_os("UPBOOK_BENCH_SERVE_RELEASE").is_some() {
        upbook::project::release::create(&dir, "1.0", &Default::default())
            .unwrap_or_else(|d| panic!("release: {:?}", d.items));
    }

    let (mut child, base) = serve_client::spawn(&dir, &["--quiet"], Stdio::null());
    let started = Instant::now();
    while build(&base) < 1 {
        std::thread::sleep(Duration::from_millis(10));
    }
    println!(
        "upbook serve, {notes} notes: first build served after {:.2} s",
        started.elapsed().as_secs_f64()
    );

    let mut served = Vec::new();
    let mut downloaded = Vec::new();
    let mut rebuilt = Vec::new();
    for run in 0..runs {
        std::thread::sleep(Duration::from_millis(300));
        let before = build(&base);
        let note = dir.join(format!("content/notes/ch{:05}.md", 1 + run * notes / runs));
        let mut text = std::fs::read_to_string(&note).unwrap();
        let marker = format!("Benchmark edit number {run}.");
        text.push_str(&format!("\n{marker}\n"));
        let saved = Instant::now();
        std::fs::write(&note, text).unwrap();
        while build(&base) == before {
            assert!(saved.elapsed() < Duration::from_secs(30), "no rebuild");
            std::thread::sleep(Duration::from_millis(1));
        }
        served.push(saved.elapsed());
        let page = get(&base, "/draft/index.html").body;
        downloaded.push(saved.elapsed());
        assert!(
            String::from_utf8_lossy(&page).contains(&marker),
            "the page has the edit"
        );
        let state: serde_json::Value =
            serde_json::from_slice(&get(&base, "/__upbook/state").body).unwrap();
        rebuilt.push(Duration::from_secs_f64(
            state["last"]["took"].as_f64().unwrap_or(0.0) / 1000.0,
        ));
    }
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&dir);

    println!("{runs} saves, one note each; milliseconds");
    println!(
        "{:<44} {:>8} {:>8} {:>8}",
        "from the save to", "median", "min", "max"
    );
    for (label, times) in [
        ("the rebuild (server's own timing)", &mut rebuilt),
        ("the new page served, reload sent", &mut served),
        ("the page downloaded by a client", &mut downloaded),
    ] {
        times.sort();
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        println!(
            "{:<44} {:>8.1} {:>8.1} {:>8.1}",
            label,
            ms(times[times.len() / 2]),
            ms(times[0]),
            ms(times[times.len() - 1])
        );
    }
}

fn build(base: &str) -> u64 {
    let body = get(base, "/__upbook/state").body;
    serde_json::from_slice::<serde_json::Value>(&body)
        .ok()
        .and_then(|s| s["build"].as_u64())
        .unwrap_or(0)
}
