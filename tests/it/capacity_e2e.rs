//! `:capacity` in the built binary under tmux: against moto, the Auto Scaling group provider
//! boto3 created with its group's bounds and instances; on the demo, `C` on the EC2 cluster
//! and `enter` to the hosts of its Auto Scaling group provider.

use crate::e2e_tmux::Screen;
use crate::support::Moto;

#[test]
fn the_provider_and_group_boto3_created_are_shown() {
    let moto = Moto::shared();
    moto.fixture(&[
        "capacity",
        "--cluster",
        "cap-e2e",
        "--provider",
        "cap-e2e-asg",
        "--min",
        "1",
        "--desired",
        "3",
        "--max",
        "5",
    ]);
    let screen = Screen::moto("capacity", moto, &["--cluster", "cap-e2e"]);
    screen.wait_for("services(cap-e2e)");
    screen.keys(&[":", "capacity", "Enter"]);
    let shown = screen.wait_for("1/3/5");
    for needle in [
        "capacity(cap-e2e)[3]",
        "cap-e2e-asg",
        "Auto Scaling",
        "on → 90%",
    ] {
        assert!(shown.contains(needle), "{needle}: {shown}");
    }
    assert!(
        shown.contains("FARGATE_SPOT") && shown.contains("Fargate Spot"),
        "{shown}"
    );
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}

#[test]
fn c_on_the_ec2_cluster_then_enter_lists_the_providers_hosts() {
    let screen = Screen::start("capacity-demo", &["--demo", "--seed", "3"], &[]);
    screen.wait_for("batch-ec2");
    screen.keys(&["/", "batch", "Enter"]);
    screen.wait_for("clusters[1]");
    screen.keys(&["C"]);
    let shown = screen.wait_for("2/9/10");
    assert!(shown.contains("capacity(batch-ec2)[1]"), "{shown}");
    assert!(
        shown.contains("129%"),
        "the reservation over its target: {shown}"
    );
    screen.keys(&["Enter"]);
    screen.wait_for("instances(batch-ec2 · batch-ec2-asg)[7]");
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}
