//! Drain by keys in the built binary under tmux, against moto: `:instances`, `D`, the
//! confirmation naming the host and the CLI command, `y`, and boto3 reports DRAINING. In
//! read-only the same keys are refused and boto3 still reports ACTIVE.

use std::time::{Duration, Instant};

use crate::e2e_tmux::Screen;
use crate::support::Moto;

/// Registers `count` EC2 hosts in a new cluster; returns (container instance ARN, EC2 id)
/// in the order the view lists them (by EC2 instance id).
fn hosts(moto: &Moto, cluster: &str, count: usize) -> Vec<(String, String)> {
    let mut hosts = crate::aws_instances_moto::hosts(moto, cluster, count, 0).instances;
    hosts.sort_by(|a, b| a.1.cmp(&b.1));
    hosts
}

/// The status boto3 reports for one container instance.
fn status(moto: &Moto, cluster: &str, arn: &str) -> String {
    (crate::aws_instances_moto::statuses(moto, cluster).into_iter())
        .find(|(a, _)| a == arn)
        .map(|(_, status)| status)
        .unwrap_or_default()
}

#[test]
fn drain_an_instance_by_keys_and_boto3_reports_draining() {
    let moto = Moto::shared();
    let hosts = hosts(moto, "e2e-hosts", 2);
    let (arn, ec2) = hosts[0].clone();
    let screen = Screen::moto("drain", moto, &["--cluster", "e2e-hosts"]);
    screen.wait_for("services(e2e-hosts)");
    screen.keys(&[":", "instances e2e-hosts", "Enter"]);
    let listed = screen.wait_for("instances(e2e-hosts)[2]");
    assert!(listed.contains(&ec2), "{listed}");
    assert!(listed.contains("4096 free"), "{listed}");

    screen.keys(&["D"]);
    let dialog = screen.wait_for(&format!("e2e-hosts: drain 1 container instance {ec2}"));
    assert!(
        dialog.contains("aws ecs update-container-instances-state --cluster e2e-hosts"),
        "{dialog}"
    );
    assert_eq!(
        status(moto, "e2e-hosts", &arn),
        "ACTIVE",
        "nothing before y"
    );
    screen.keys(&["y"]);
    let deadline = Instant::now() + Duration::from_secs(30);
    while status(moto, "e2e-hosts", &arn) != "DRAINING" {
        assert!(Instant::now() < deadline, "boto3 never saw DRAINING");
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(status(moto, "e2e-hosts", &hosts[1].0), "ACTIVE");
    screen.wait_for("Done: e2e-hosts: drain 1 container instance");
    // The row says DRAINING once the view has polled it again.
    screen.wait_for("DRAINING");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn read_only_refuses_a_drain_and_nothing_changes() {
    let moto = Moto::shared();
    let hosts = hosts(moto, "e2e-hosts-ro", 1);
    let screen = Screen::moto(
        "drain-ro",
        moto,
        &["--cluster", "e2e-hosts-ro", "--read-only"],
    );
    screen.wait_for("services(e2e-hosts-ro)");
    screen.keys(&[":", "instances e2e-hosts-ro", "Enter"]);
    screen.wait_for("instances(e2e-hosts-ro)[1]");
    screen.keys(&["D"]);
    screen.wait_for("Read-only: draining container instances is blocked");
    screen.keys(&["y"]);
    assert_eq!(status(moto, "e2e-hosts-ro", &hosts[0].0), "ACTIVE");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}
