//! Files built into the binary: the service's process and FAQ, the default
//! theme and the example project `init` writes. Each can be overridden by a
//! project file of the same name.

pub const PROCESS_DATA: &str = "process.yaml";

/// Process text, in the order the appendix shows it.
pub const PROCESS_TEXT: &[(&str, &str)] = &[
    ("about.md", include_str!("../defaults/process/about.md")),
    ("request.md", include_str!("../defaults/process/request.md")),
    ("faq.md", include_str!("../defaults/process/faq.md")),
];

pub const PROCESS_YAML: &str = include_str!("../defaults/process/process.yaml");

pub const THEME: &[(&str, &str)] = &[
    (
        "playbook.html",
        include_str!("../themes/default/playbook.html"),
    ),
    ("report.html", include_str!("../themes/default/report.html")),
    ("review.html", include_str!("../themes/default/review.html")),
    (
        "versions.html",
        include_str!("../themes/default/versions.html"),
    ),
    (
        "changes.html",
        include_str!("../themes/default/changes.html"),
    ),
    ("layout.html", include_str!("../themes/default/layout.html")),
    ("style.css", include_str!("../themes/default/style.css")),
    ("book.js", include_str!("../themes/default/book.js")),
    ("favicon.svg", include_str!("../themes/default/favicon.svg")),
    ("reader.js", include_str!("../themes/default/reader.js")),
    ("search.js", include_str!("../themes/default/search.js")),
    ("common.typ", include_str!("../themes/default/common.typ")),
    (
        "playbook.typ",
        include_str!("../themes/default/playbook.typ"),
    ),
    ("report.typ", include_str!("../themes/default/report.typ")),
    ("changes.typ", include_str!("../themes/default/changes.typ")),
    ("strings/en.toml", crate::strings::ENGLISH),
];

/// The example project's `book.toml`: the repository root's own, which
/// `init --theme` adds a theme to.
pub const EXAMPLE_BOOK_TOML: &str = include_str!("../book.toml");

/// The rest of the example project: the repository root's own
/// `content/`, so `init` and the root example cannot drift apart (all
/// but the change requests, see [`INIT_REQUESTS`]).
pub const EXAMPLE: &[(&str, &str)] = &[
    (
        "content/engagement.yaml",
        include_str!("../content/engagement.yaml"),
    ),
    ("content/run.yaml", include_str!("../content/run.yaml")),
    (
        "content/notes/00-baseline.md",
        include_str!("../content/notes/00-baseline.md"),
    ),
    (
        "content/notes/01-prepare-environment.md",
        include_str!("../content/notes/01-prepare-environment.md"),
    ),
    (
        "content/notes/02-backup.md",
        include_str!("../content/notes/02-backup.md"),
    ),
    (
        "content/notes/03-upgrade-domain-manager.md",
        include_str!("../content/notes/03-upgrade-domain-manager.md"),
    ),
    (
        "content/notes/04-upgrade-brokers.md",
        include_str!("../content/notes/04-upgrade-brokers.md"),
    ),
    (
        "content/notes/05-reapply-settings.md",
        include_str!("../content/notes/05-reapply-settings.md"),
    ),
    (
        "content/notes/06-non-functional-tests.md",
        include_str!("../content/notes/06-non-functional-tests.md"),
    ),
    (
        "content/notes/07-fix-and-retest.md",
        include_str!("../content/notes/07-fix-and-retest.md"),
    ),
    (
        "content/notes/08-back-out.md",
        include_str!("../content/notes/08-back-out.md"),
    ),
];

/// The change requests `init` writes: none, with one shown in comments.
/// The root example's own requests are raised against its release 1.0,
/// which a new project does not have, and `check` refuses a request
/// against a release that does not exist.
pub const INIT_REQUESTS: (&str, &str) = (
    "content/reviews/change-requests.yaml",
    include_str!("../defaults/change-requests.yaml"),
);

/// The example's screenshot, a binary file.
pub const EXAMPLE_IMAGES: &[(&str, &[u8])] = &[(
    "content/notes/images/console-version.svg",
    include_bytes!("../content/notes/images/console-version.svg"),
)];
