//! The auto scaling range (2..20, made by boto3) changed by keys in the built binary under tmux, against moto: the
//! detail pane (`m`), `a`, the new range typed, the confirmation naming the service with the
//! CLI command, `y`, and boto3 reports the new range. In read-only the same key is refused
//! and boto3 still reports the old one.

use std::time::{Duration, Instant};

use crate::e2e_tmux::Screen;
use crate::support::Moto;

fn range(moto: &Moto, cluster: &str) -> (i64, i64) {
    let target = crate::aws_scaling_moto::target_of(moto, cluster);
    let int = |k: &str| target[k].as_i64().unwrap_or(-1);
    (int("minCapacity"), int("maxCapacity"))
}

/// `a` once the pane has read the target (before that the key says to wait).
fn open_range_field(screen: &Screen) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        screen.keys(&["a"]);
        std::thread::sleep(Duration::from_millis(300));
        let text = screen.text();
        if text.contains("auto scaling range of") || text.contains("Read-only") {
            return text;
        }
        assert!(Instant::now() < deadline, "no range field:\n{text}");
    }
}

#[test]
fn change_the_auto_scaling_range_by_keys_and_boto3_reports_it() {
    let moto = Moto::shared();
    crate::aws_scaling_moto::scaled_fleet(moto, "e2e-scaling");
    let screen = Screen::moto("scaling", moto, &["--cluster", "e2e-scaling"]);
    screen.wait_for("services(e2e-scaling)");
    screen.wait_for("svc-000");
    screen.keys(&["m"]);
    screen.wait_for("detail(e2e-scaling/svc-000)");
    open_range_field(&screen);
    screen.keys(&[
        "End", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace",
    ]);
    screen.keys(&["3 30", "Enter"]);
    let dialog = screen.wait_for("e2e-scaling/svc-000 auto scaling range 2..20 → 3..30");
    assert!(dialog.contains("register-scalable-target"), "{dialog}");
    assert_eq!(range(moto, "e2e-scaling"), (2, 20), "nothing before y");
    screen.keys(&["y"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while range(moto, "e2e-scaling") != (3, 30) {
        assert!(Instant::now() < deadline, "boto3 never saw 3..30");
        std::thread::sleep(Duration::from_millis(200));
    }
    screen.wait_for("Done: e2e-scaling/svc-000 auto scaling range 2..20 → 3..30");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn read_only_refuses_a_range_change_and_nothing_changes() {
    let moto = Moto::shared();
    crate::aws_scaling_moto::scaled_fleet(moto, "e2e-scaling-ro");
    let screen = Screen::moto(
        "scaling-ro",
        moto,
        &["--cluster", "e2e-scaling-ro", "--read-only"],
    );
    screen.wait_for("services(e2e-scaling-ro)");
    screen.wait_for("svc-000");
    screen.keys(&["m"]);
    screen.wait_for("detail(e2e-scaling-ro/svc-000)");
    let text = open_range_field(&screen);
    assert!(
        text.contains("Read-only: changing auto scaling is blocked"),
        "{text}"
    );
    screen.keys(&["y"]);
    assert_eq!(range(moto, "e2e-scaling-ro"), (2, 20));
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}
