//! What the selected row is, for the keys that hand it to something outside ecsdeck: `O`
//! opens its page in the AWS console, `c` copies its ARN (or its name). Each view kind says
//! what its rows are (`ViewSpec::subject`); the helpers here serve the kinds that show the
//! same resource (a service is a row of services and of triage, and what events and the
//! detail pane are about).

use crate::domain::console::Page;
use crate::domain::ecs::{arn_tail, task_definition_short};
use crate::store::Store;

/// The resource a row stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subject {
    /// What it is, in words: `service`, `task`, `log group`.
    pub kind: &'static str,
    /// What it is called, as the lists show it: `checkout-api`, `0f3a9c1b`, `api:42`.
    pub name: String,
    /// Its ARN, when it has one and the store knows it.
    pub arn: Option<String>,
    /// Its page in the AWS console, if it has one.
    pub page: Option<Page>,
    /// What `c` copies when that is not its own ARN or name (a container: its task's ARN).
    pub clip: Option<Clip>,
}

/// Text for the clipboard, and what it is in words for the status line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clip {
    pub text: String,
    /// `the ARN of service checkout-api`.
    pub what: String,
}

impl Subject {
    /// What `c` copies: the ARN when there is one (what the aws CLI and IAM policies take),
    /// else the name.
    pub fn clip(&self) -> Clip {
        if let Some(clip) = &self.clip {
            return clip.clone();
        }
        match &self.arn {
            Some(arn) => Clip {
                text: arn.clone(),
                what: format!("the ARN of {} {}", self.kind, self.name),
            },
            None => Clip {
                text: self.name.clone(),
                what: format!("the name of {} {}", self.kind, self.name),
            },
        }
    }
}

/// A cluster, with its ARN when the clusters list has it.
pub fn cluster(store: &Store, name: &str) -> Subject {
    let arn = store
        .clusters
        .value()
        .and_then(|v| v.iter().find(|c| c.cluster_name == name))
        .map(|c| c.cluster_arn.clone());
    Subject {
        kind: "cluster",
        name: name.to_string(),
        arn,
        page: Some(Page::Cluster {
            cluster: name.to_string(),
        }),
        clip: None,
    }
}

/// A service of a cluster, with its ARN when the services list has it.
pub fn service(store: &Store, cluster: &str, name: &str) -> Subject {
    // A row listed but not described yet already has its ARN, from the listing.
    let listed = || {
        let resource = crate::store::Resource::Services {
            cluster: cluster.to_string(),
        };
        let rows = store.list_rows.get(&resource)?;
        (rows.undescribed.iter())
            .find(|arn| crate::store::list_rows::row_key(&resource, arn) == name)
            .cloned()
    };
    let arn = super::services::find(store, cluster, name)
        .map(|s| s.service_arn.clone())
        .or_else(listed);
    Subject {
        kind: "service",
        name: name.to_string(),
        arn,
        page: Some(Page::Service {
            cluster: cluster.to_string(),
            service: name.to_string(),
        }),
        clip: None,
    }
}

/// A task, by its ARN (the tasks list's row key).
pub fn task(cluster: &str, task_arn: &str) -> Subject {
    Subject {
        kind: "task",
        name: arn_tail(task_arn).chars().take(8).collect(),
        arn: Some(task_arn.to_string()),
        page: Some(Page::task(cluster, task_arn, None)),
        clip: None,
    }
}

/// A task definition revision, by its ARN.
pub fn task_definition(arn: &str) -> Subject {
    Subject {
        kind: "task definition",
        name: task_definition_short(arn).to_string(),
        arn: arn.starts_with("arn:").then(|| arn.to_string()),
        page: Page::task_definition(arn),
        clip: None,
    }
}
