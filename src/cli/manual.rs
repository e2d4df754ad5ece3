//! `pkigen completions SHELL` and `pkigen man`: generated from the clap definition itself,
//! so they cannot drift from the flags.

use super::args::Cli;
use clap::CommandFactory;
use clap_complete::Shell;
use pkigen::Error;
use std::path::{Path, PathBuf};

/// Man pages are documentation anyone may read.
const PAGE_MODE: u32 = 0o644;

/// The completion script for `shell`.
pub fn completions(shell: Shell) -> Vec<u8> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "pkigen", &mut script);
    script
}

/// The man page, roff source for section 1.
pub fn man_page() -> std::io::Result<Vec<u8>> {
    let mut page = Vec::new();
    clap_mangen::Man::new(Cli::command()).render(&mut page)?;
    Ok(page)
}

/// Every man page, as (file name, roff source): `pkigen.1`, the same page [`man_page`]
/// prints, then `pkigen-SUB.1` for each subcommand, as git names its pages. `help` has no
/// page: it only repeats the others.
pub fn man_pages() -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let mut pages = vec![("pkigen.1".to_string(), man_page()?)];
    // Built, each subcommand knows its page name (`pkigen-scenario`) and its usage line
    // (`pkigen scenario`), and has the global flags (`--quiet`).
    let mut root = Cli::command().disable_help_subcommand(true);
    root.build();
    let source = format!("pkigen {}", root.get_version().unwrap_or_default());
    for sub in root.get_subcommands().filter(|s| !s.is_hide_set()) {
        let man = clap_mangen::Man::new(sub.clone()).source(source.clone());
        let mut page = Vec::new();
        man.render(&mut page)?;
        pages.push((man.get_filename(), page));
    }
    Ok(pages)
}

/// Writes `pages` into `dir`, creating it, and returns their paths. Each page replaces any
/// earlier one in one rename, so a reader or a failure never leaves half a page.
pub fn write_pages(dir: &Path, pages: &[(String, Vec<u8>)]) -> Result<Vec<PathBuf>, Error> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::NotAFolder {
            path: dir.to_path_buf(),
        });
    }
    std::fs::create_dir_all(dir).map_err(|e| Error::unwritable(dir, e))?;
    let mut written = Vec::new();
    for (name, roff) in pages {
        let target = dir.join(name);
        pkigen::fixtures::output::replace_file(&target, roff, PAGE_MODE, &target)?;
        written.push(target);
    }
    Ok(written)
}
