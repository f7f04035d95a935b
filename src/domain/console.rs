//! Addresses of AWS console pages (`O`): where a cluster, service, task, task definition,
//! log group or alarm is shown in the browser. Pure string building, so every shape is
//! unit-tested here; the console's URLs are not an API, and when AWS moves a page this is
//! the one file to change.
//!
//! Shapes (as the console links to itself): `…/ecs/v2/clusters/C/services?region=R`,
//! `…/ecs/v2/clusters/C/services/S/health?region=R`,
//! `…/ecs/v2/clusters/C/tasks/ID/configuration?region=R[&selectedContainer=N]`,
//! `…/ecs/v2/task-definitions/FAMILY/REV/containers?region=R`,
//! `…/cloudwatch/home?region=R#logsV2:log-groups/log-group/G[/log-events/S]` (G and S
//! URI-encoded twice with `%` written `$`: `/` is `$252F`),
//! `…/cloudwatch/home?region=R#alarmsV2:alarm/NAME` (NAME URI-encoded).

/// A page of the AWS console.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Cluster {
        cluster: String,
    },
    /// The service's health tab: the first thing to look at when it misbehaves.
    Service {
        cluster: String,
        service: String,
    },
    /// A task's configuration tab, with one container's details open when named.
    Task {
        cluster: String,
        task_id: String,
        container: Option<String>,
    },
    TaskDefinition {
        family: String,
        revision: String,
    },
    /// A log group, or one stream of it. `region` is set when the group is in another
    /// region than the connection's (awslogs-region).
    LogGroup {
        group: String,
        stream: Option<String>,
        region: Option<String>,
    },
    Alarm {
        name: String,
    },
}

impl Page {
    /// A task's page from its ARN (`…:task/CLUSTER/ID`, or the old `…:task/ID`).
    pub fn task(cluster: &str, task_arn: &str, container: Option<&str>) -> Page {
        Page::Task {
            cluster: cluster.to_string(),
            task_id: super::ecs::arn_tail(task_arn).to_string(),
            container: container.map(str::to_string),
        }
    }

    /// A task definition's page from its ARN or `family:revision`; None without a revision.
    pub fn task_definition(arn: &str) -> Option<Page> {
        let (family, revision) = super::ecs::task_definition_short(arn).rsplit_once(':')?;
        (!family.is_empty() && !revision.is_empty()).then(|| Page::TaskDefinition {
            family: family.to_string(),
            revision: revision.to_string(),
        })
    }

    /// What the page shows, in words, for the status line: `service checkout-api`.
    pub fn describe(&self) -> String {
        match self {
            Page::Cluster { cluster } => format!("cluster {cluster}"),
            Page::Service { service, .. } => format!("service {service}"),
            Page::Task {
                task_id, container, ..
            } => {
                let id: String = task_id.chars().take(8).collect();
                match container {
                    Some(c) => format!("task {id} (container {c})"),
                    None => format!("task {id}"),
                }
            }
            Page::TaskDefinition { family, revision } => {
                format!("task definition {family}:{revision}")
            }
            Page::LogGroup {
                group,
                stream: Some(stream),
                ..
            } => format!("log stream {stream} of {group}"),
            Page::LogGroup { group, .. } => format!("log group {group}"),
            Page::Alarm { name } => format!("alarm {name}"),
        }
    }

    /// The page's address in `region` (the connection's), in the region's partition.
    pub fn url(&self, region: &str) -> String {
        let region = match self {
            Page::LogGroup {
                region: Some(own), ..
            } => own.as_str(),
            _ => region,
        };
        let base = format!("https://{}", host(region));
        let region = region_param(region);
        match self {
            Page::Cluster { cluster } => {
                format!(
                    "{base}/ecs/v2/clusters/{}/services?region={region}",
                    seg(cluster)
                )
            }
            Page::Service { cluster, service } => format!(
                "{base}/ecs/v2/clusters/{}/services/{}/health?region={region}",
                seg(cluster),
                seg(service)
            ),
            Page::Task {
                cluster,
                task_id,
                container,
            } => {
                let selected = container
                    .as_ref()
                    .map(|c| format!("&selectedContainer={}", seg(c)))
                    .unwrap_or_default();
                format!(
                    "{base}/ecs/v2/clusters/{}/tasks/{}/configuration?region={region}{selected}",
                    seg(cluster),
                    seg(task_id)
                )
            }
            Page::TaskDefinition { family, revision } => format!(
                "{base}/ecs/v2/task-definitions/{}/{}/containers?region={region}",
                seg(family),
                seg(revision)
            ),
            Page::LogGroup { group, stream, .. } => {
                let stream = stream
                    .as_ref()
                    .map(|s| format!("/log-events/{}", dollar(s)))
                    .unwrap_or_default();
                format!(
                    "{base}/cloudwatch/home?region={region}#logsV2:log-groups/log-group/{}{stream}",
                    dollar(group)
                )
            }
            Page::Alarm { name } => format!(
                "{base}/cloudwatch/home?region={region}#alarmsV2:alarm/{}",
                seg(name)
            ),
        }
    }
}

/// The console's host for a region: GovCloud and China are separate partitions with
/// consoles of their own.
fn host(region: &str) -> String {
    let region = region_param(region);
    let domain = if region.starts_with("us-gov-") {
        "console.amazonaws-us-gov.com"
    } else if region.starts_with("cn-") {
        "console.amazonaws.cn"
    } else {
        "console.aws.amazon.com"
    };
    if region.is_empty() {
        domain.to_string()
    } else {
        format!("{region}.{domain}")
    }
}

/// A region as it may appear in a host name: letters, digits and `-` only (it comes from a
/// flag or a profile, and must not be able to change which host the URL points at).
fn region_param(region: &str) -> String {
    region
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase()
}

/// Characters `encodeURIComponent` leaves alone: what the console's own links leave alone.
fn unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b)
}

/// One path segment or query value, percent-encoded like `encodeURIComponent`.
fn seg(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The CloudWatch console's encoding inside `#logsV2:`: URI-encoded twice, `%` written `$`
/// (`/aws/ecs` → `$252Faws$252Fecs`).
fn dollar(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for b in text.bytes() {
        if unreserved(b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("$25{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str = "eu-west-1";

    #[test]
    fn cluster_opens_its_services() {
        let page = Page::Cluster {
            cluster: "prod".into(),
        };
        assert_eq!(
            page.url(R),
            "https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services?region=eu-west-1"
        );
        assert_eq!(page.describe(), "cluster prod");
    }

    #[test]
    fn service_opens_its_health_tab() {
        let page = Page::Service {
            cluster: "prod".into(),
            service: "checkout-api".into(),
        };
        assert_eq!(
            page.url(R),
            "https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/\
             checkout-api/health?region=eu-west-1"
        );
        assert_eq!(page.describe(), "service checkout-api");
    }

    #[test]
    fn task_opens_its_configuration_by_id_from_either_arn_format() {
        let new = "arn:aws:ecs:eu-west-1:123456789012:task/prod/0f3a9c1b2d4e5f60";
        let old = "arn:aws:ecs:eu-west-1:123456789012:task/0f3a9c1b2d4e5f60";
        let expected = "https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/tasks/\
                        0f3a9c1b2d4e5f60/configuration?region=eu-west-1";
        assert_eq!(Page::task("prod", new, None).url(R), expected);
        assert_eq!(Page::task("prod", old, None).url(R), expected);
        let page = Page::task("prod", new, Some("app"));
        assert_eq!(page.url(R), format!("{expected}&selectedContainer=app"));
        assert_eq!(page.describe(), "task 0f3a9c1b (container app)");
    }

    #[test]
    fn task_definition_opens_its_revision() {
        let arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/checkout-api:43";
        let page = Page::task_definition(arn);
        assert_eq!(
            page.as_ref().map(|p| p.url(R)).as_deref(),
            Some(
                "https://eu-west-1.console.aws.amazon.com/ecs/v2/task-definitions/\
                 checkout-api/43/containers?region=eu-west-1"
            )
        );
        assert_eq!(
            page.map(|p| p.describe()).as_deref(),
            Some("task definition checkout-api:43")
        );
        assert_eq!(Page::task_definition("checkout-api"), None);
        assert_eq!(Page::task_definition("checkout-api:"), None);
    }

    #[test]
    fn log_group_slashes_are_written_dollar_252f() {
        let page = Page::LogGroup {
            group: "/ecs/checkout-api".into(),
            stream: None,
            region: None,
        };
        assert_eq!(
            page.url(R),
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1\
             #logsV2:log-groups/log-group/$252Fecs$252Fcheckout-api"
        );
        assert_eq!(page.describe(), "log group /ecs/checkout-api");
    }

    #[test]
    fn log_stream_and_a_group_in_another_region() {
        let page = Page::LogGroup {
            group: "/ecs/api#blue".into(),
            stream: Some("ecs/app/0f3a9c".into()),
            region: Some("us-east-1".into()),
        };
        assert_eq!(
            page.url(R),
            "https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1\
             #logsV2:log-groups/log-group/$252Fecs$252Fapi$2523blue/log-events/\
             ecs$252Fapp$252F0f3a9c"
        );
    }

    #[test]
    fn alarm_name_is_uri_encoded() {
        let page = Page::Alarm {
            name: "checkout-api CPU > 90%".into(),
        };
        assert_eq!(
            page.url(R),
            "https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1\
             #alarmsV2:alarm/checkout-api%20CPU%20%3E%2090%25"
        );
    }

    #[test]
    fn govcloud_and_china_have_consoles_of_their_own() {
        let page = Page::Cluster {
            cluster: "prod".into(),
        };
        assert_eq!(
            page.url("us-gov-west-1"),
            "https://us-gov-west-1.console.amazonaws-us-gov.com/ecs/v2/clusters/prod/services\
             ?region=us-gov-west-1"
        );
        assert_eq!(
            page.url("cn-northwest-1"),
            "https://cn-northwest-1.console.amazonaws.cn/ecs/v2/clusters/prod/services\
             ?region=cn-northwest-1"
        );
        let logs = Page::LogGroup {
            group: "/ecs/x".into(),
            stream: None,
            region: Some("cn-north-1".into()),
        };
        assert!(logs.url(R).starts_with(
            "https://cn-north-1.console.amazonaws.cn/cloudwatch/home?region=cn-north-1#"
        ));
    }

    #[test]
    fn names_cannot_leave_their_segment_and_regions_cannot_change_the_host() {
        let page = Page::Service {
            cluster: "a/b".into(),
            service: "x?y#z".into(),
        };
        assert_eq!(
            page.url("evil.com/x"),
            "https://evilcomx.console.aws.amazon.com/ecs/v2/clusters/a%2Fb/services/\
             x%3Fy%23z/health?region=evilcomx"
        );
        assert!(page.url("").starts_with("https://console.aws.amazon.com/"));
    }
}
