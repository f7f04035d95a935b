//! Switching context in the built binary, under tmux, against two moto servers standing for
//! two regions: each profile of the AWS config file names its own region and endpoint.
//! Switching shows the other server's clusters, and a profile that is read-only in the
//! ecsdeck config refuses scaling after the switch (boto3 confirms nothing changed); switching
//! back restores write access.

use crate::e2e_tmux::Screen;
use crate::support::Moto;

fn write(dir: &std::path::Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// Two moto servers (us-east-1 with east-cluster, us-west-2 with west-cluster), a profile for
/// each in the AWS files, `west` read-only in the ecsdeck config, and ecsdeck on `east`.
fn two_regions() -> (Moto, Moto, Screen, std::path::PathBuf) {
    let east = Moto::dedicated();
    let west = Moto::dedicated();
    east.fixture(&[
        "--region",
        "us-east-1",
        "fleet",
        "--cluster",
        "east-cluster",
    ]);
    west.fixture(&[
        "--region",
        "us-west-2",
        "fleet",
        "--cluster",
        "west-cluster",
    ]);
    let dir = std::env::temp_dir().join(format!("ecsdeck-ctx-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let aws_config = write(
        &dir,
        "aws-config",
        &format!(
            "[profile east]\nregion = us-east-1\nendpoint_url = {}\n\n\
             [profile west]\nregion = us-west-2\nendpoint_url = {}\n",
            east.endpoint, west.endpoint
        ),
    );
    let credentials = write(
        &dir,
        "aws-credentials",
        "[east]\naws_access_key_id = test\naws_secret_access_key = test\n\n\
         [west]\naws_access_key_id = test\naws_secret_access_key = test\n",
    );
    let ecsdeck_config = write(&dir, "ecsdeck.toml", "[profiles.west]\nread_only = true\n");
    let env: Vec<(String, String)> = [
        ("AWS_CONFIG_FILE", aws_config.as_str()),
        ("AWS_SHARED_CREDENTIALS_FILE", credentials.as_str()),
        ("AWS_EC2_METADATA_DISABLED", "true"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let screen = Screen::start(
        "ctx",
        &["--profile", "east", "--config", &ecsdeck_config],
        &env,
    );
    (east, west, screen, dir)
}

#[test]
fn ctx_moves_between_two_regions_and_applies_each_profiles_read_only() {
    let (_east, west, screen, dir) = two_regions();
    let first = screen.wait_for("east-cluster");
    assert!(
        first.contains("us-east-1") && !first.contains("READ-ONLY"),
        "{first}"
    );

    screen.keys(&[":", "ctx", "Enter"]);
    let list = screen.wait_for("read-only");
    assert!(
        list.contains("west") && list.contains("us-west-2"),
        "{list}"
    );
    // Profiles by name: east (current), west.
    screen.keys(&["g", "j", "Enter"]);
    let switched = screen.wait_for("west-cluster");
    assert!(!switched.contains("east-cluster"), "{switched}");
    assert!(
        switched.contains("us-west-2") && switched.contains("READ-ONLY"),
        "{switched}"
    );

    screen.keys(&["Enter"]);
    screen.wait_for("services(west-cluster)[1]");
    screen.keys(&["s"]);
    screen.wait_for("Read-only: scaling is blocked");
    let service = west.fixture(&[
        "--region",
        "us-west-2",
        "describe-service",
        "--cluster",
        "west-cluster",
        "--service",
        "svc-000",
    ]);
    assert_eq!(
        service["desiredCount"], 0,
        "nothing reached the read-only profile's account"
    );

    // Back to east: west-cluster does not exist there, so the path goes back to the clusters.
    screen.keys(&[":", "ctx", "Enter"]);
    screen.wait_for("read-only");
    screen.keys(&["g", "Enter"]);
    let back = screen.wait_for("does not exist");
    assert!(
        back.contains("east-cluster") && !back.contains("READ-ONLY"),
        "{back}"
    );
    screen.keys(&["Enter"]);
    screen.wait_for("services(east-cluster)[1]");
    screen.keys(&["s"]);
    screen.wait_for("scale east-cluster/svc-000");
    screen.keys(&["Escape"]);
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
    let _ = std::fs::remove_dir_all(&dir);
}

/// `--region a,b`: the clusters list spans both regions (moto keeps them apart, as AWS
/// does), and opening the other region's cluster moves the session there.
#[test]
fn two_regions_in_one_list_and_a_cluster_opened_where_it_lives() {
    let moto = Moto::dedicated();
    moto.fixture(&[
        "--region",
        "us-east-1",
        "fleet",
        "--cluster",
        "here-cluster",
    ]);
    moto.fixture(&[
        "--region",
        "us-west-2",
        "fleet",
        "--cluster",
        "there-cluster",
    ]);
    let screen = Screen::moto("regions", &moto, &["--region", "us-east-1,us-west-2"]);
    let list = screen.wait_until(|s| s.contains("here-cluster") && s.contains("there-cluster"));
    assert!(
        list.contains("REGION") && list.contains("us-west-2"),
        "{list}"
    );
    assert!(list.contains("region us-east-1"), "{list}");
    screen.keys(&["g", "j", "Enter"]);
    let opened = screen.wait_for("services(there-cluster)[1]");
    assert!(opened.contains("region us-west-2"), "{opened}");
    screen.keys(&["Escape"]);
    // Back in the list, both regions are still there; this one is now the session's.
    screen.wait_until(|s| s.contains("here-cluster") && s.contains("there-cluster"));
    screen.keys(&["C-c"]);
    screen.wait_for_exit();
}
