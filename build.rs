//! Records the commit ecsdeck is built from, for `--version`: `0.1.0 (3f2a9c1d4e5b)`, with
//! `-dirty` when the work tree had changes. Outside a git checkout (a crates.io tarball) the
//! version says so instead of failing the build.

use std::process::Command;

fn main() {
    let git = |args: &[&str]| {
        Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|o| o.status.success())
            .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string())
    };
    let commit = git(&["rev-parse", "--short=12", "HEAD"]).filter(|c| !c.is_empty());
    let dirty =
        git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let described = match commit {
        Some(c) if dirty => format!("commit {c}-dirty"),
        Some(c) => format!("commit {c}"),
        None => "commit unknown: not built from a git checkout".to_string(),
    };
    println!("cargo:rustc-env=ECSDECK_COMMIT={described}");
    // Rebuilt when the checkout moves to another commit (or the index changes).
    for path in [".git/HEAD", ".git/index", ".git/refs/heads"] {
        if std::path::Path::new(path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
}
