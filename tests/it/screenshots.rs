//! The README's screenshots are the product's own frames: every SVG committed in
//! `screenshots/` must be what the code draws now, and each scene must show what its
//! caption promises (data, not "loading…").

use std::path::Path;

use ecsdeck::screenshots::{self, Shot};

const REGENERATE: &str = "Regenerate them with `cargo run --example screenshots` and commit \
                          screenshots/ (SVG and PNG).";

fn render() -> Vec<Shot> {
    match screenshots::render_all() {
        Ok(shots) => shots,
        Err(e) => panic!("rendering the screenshots failed: {e}"),
    }
}

/// The committed SVGs that differ from `shots` (or are missing), in words.
fn stale(dir: &Path, shots: &[Shot]) -> Vec<String> {
    shots
        .iter()
        .filter_map(|shot| {
            let path = dir.join(format!("{}.svg", shot.name));
            match std::fs::read_to_string(&path) {
                Ok(committed) if committed == shot.svg => None,
                Ok(_) => Some(format!(
                    "{} differs from what the code draws",
                    path.display()
                )),
                Err(e) => Some(format!("{} cannot be read ({e})", path.display())),
            }
        })
        .collect()
}

#[test]
fn committed_screenshots_match_what_the_code_draws() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    let shots = render();
    let stale = stale(&dir, &shots);
    assert!(
        stale.is_empty(),
        "The screenshots are out of date:\n  {}\n{REGENERATE}",
        stale.join("\n  ")
    );
}

#[test]
fn the_check_sees_a_changed_screenshot() {
    let shots = render();
    let dir = std::env::temp_dir().join(format!("ecsdeck-shots-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for shot in &shots {
        std::fs::write(dir.join(format!("{}.svg", shot.name)), &shot.svg).unwrap();
    }
    assert!(stale(&dir, &shots).is_empty());
    let first = &shots[0];
    let edited = first.svg.replacen("<text", "<text opacity=\"0.5\"", 1);
    std::fs::write(dir.join(format!("{}.svg", first.name)), edited).unwrap();
    let found = stale(&dir, &shots);
    std::fs::remove_dir_all(&dir).unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].contains(first.name), "{found:?}");
}

#[test]
fn every_scene_shows_its_subject_and_renders_the_same_twice() {
    let shots = render();
    let text = |name: &str| -> &str {
        match shots.iter().find(|s| s.name == name) {
            Some(shot) => &shot.text,
            None => panic!("no screenshot {name}"),
        }
    };
    let expectations: &[(&str, &[&str])] = &[
        ("clusters", &["prod-payments", "staging", "batch-ec2"]),
        ("services", &["⚠ 1", "IN_PROGRESS", "4/5"]),
        (
            "stopped-tasks",
            &["STOPPED", "Essential container in task exited"],
        ),
        ("containers", &["containers(", "RUNNING"]),
        ("logs", &["find /error", "Match ", "ERROR"]),
        (
            "service-detail",
            &["CPU", "Deployments", "PRIMARY", "IN_PROGRESS"],
        ),
        ("triage", &["triage(prod-payments)", "OOM-killed"]),
        ("rollback", &["Changes ledger-sync:", "~ image", "- env"]),
        (
            "scale",
            &["Auto scaling keeps this service between 4 and 6"],
        ),
        ("help", &["Global", "roll back"]),
        ("services-light", &["⚠ 1", "session-service"]),
    ];
    assert_eq!(shots.len(), expectations.len());
    for (name, wanted) in expectations {
        let screen = text(name);
        assert!(
            !screen.contains("loading"),
            "{name} is still loading:\n{screen}"
        );
        for want in *wanted {
            assert!(screen.contains(want), "{name} lacks {want:?}:\n{screen}");
        }
    }
    // Sparklines (block elements) and charts (braille) are drawn, not left blank.
    let has = |name: &str, range: std::ops::RangeInclusive<char>| {
        text(name).chars().any(|c| range.contains(&c))
    };
    assert!(has("services", '▁'..='█'), "{}", text("services"));
    assert!(
        has("service-detail", '\u{2801}'..='\u{28ff}'),
        "{}",
        text("service-detail")
    );
    let again = render();
    for (a, b) in shots.iter().zip(&again) {
        assert!(a.svg == b.svg, "{} differs between two renderings", a.name);
    }
}

#[test]
fn the_readme_shows_every_screenshot() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    assert!(readme.contains("cargo run --example screenshots"));
    for scene in screenshots::SCENES {
        let png = format!("screenshots/{}.png", scene.name);
        assert!(
            readme.contains(&format!("]({png})")),
            "README.md does not show {png}"
        );
        assert!(root.join(&png).is_file(), "{png} is missing. {REGENERATE}");
    }
}
