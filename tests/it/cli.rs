//! The command line's own outputs: shell completions and the man page generated from the CLI
//! definition, and `--version` naming the commit it was built from.

use ecsdeck::cli::{Tool, run_tool};

fn output(tool: Tool) -> String {
    let mut out = Vec::new();
    run_tool(&tool, &mut out).expect("written");
    String::from_utf8(out).expect("utf-8")
}

#[test]
fn completions_for_every_shell_know_the_flags() {
    use clap_complete::Shell;
    for shell in [Shell::Bash, Shell::Zsh, Shell::Fish, Shell::PowerShell] {
        let script = output(Tool::Completions { shell });
        assert!(script.contains("ecsdeck"), "{shell}: {script}");
        for flag in ["profile", "region", "read-only", "demo"] {
            assert!(script.contains(flag), "{shell} lacks --{flag}");
        }
    }
}

#[test]
fn the_man_page_is_roff_with_every_flag() {
    let page = output(Tool::Man);
    assert!(page.contains(".TH ecsdeck 1"), "{page}");
    for flag in [
        "\\-\\-profile",
        "\\-\\-endpoint\\-url",
        "\\-\\-read\\-only",
        "completions",
    ] {
        assert!(page.contains(flag), "the man page lacks {flag}");
    }
}

#[test]
fn version_names_the_commit() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .arg("--version")
        .output()
        .expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("ecsdeck 0."), "{text}");
    assert!(text.contains("(commit "), "{text}");
    let man = std::process::Command::new(env!("CARGO_BIN_EXE_ecsdeck"))
        .arg("man")
        .output()
        .expect("runs");
    assert!(man.status.success());
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH ecsdeck 1"));
}
