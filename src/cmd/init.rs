use std::path::PathBuf;
use std::process::ExitCode;

use super::{BAD_INPUT, Output};

#[derive(clap::Args)]
pub struct Args {
    /// Folder to create the project in (must be empty or absent).
    pub dir: PathBuf,
    /// Also write the built-in theme to themes/custom/ and choose it in
    /// book.toml, to edit (as `mdbook init --theme` does).
    #[arg(long)]
    pub theme: bool,
}

pub fn run(args: &Args, out: &Output) -> ExitCode {
    match upbook::scaffold::init_with(&args.dir, args.theme) {
        Ok(files) => {
            out.info(&format!(
                "Created a playbook project in {} ({files} files). Next: upbook serve {} \
                shows the playbook in your browser and rebuilds it on every save.",
                args.dir.display(),
                args.dir.display()
            ));
            ExitCode::SUCCESS
        }
        Err(d) => {
            eprintln!("{}", d.render(out.color));
            ExitCode::from(BAD_INPUT)
        }
    }
}
