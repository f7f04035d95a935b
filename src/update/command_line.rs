//! The `:` command line. Unknown commands say so and change nothing.

use crate::domain::text::clean;
use crate::msg::Command;
use crate::state::{StatusLevel, UiState};
use crate::store::Store;
use crate::views::journal::Journal;
use crate::views::tasks::Tasks;
use crate::views::triage::Triage;
use crate::views::{View, ViewKind};

/// Runs a `:` command.
pub fn run(store: &mut Store, ui: &mut UiState, text: &str) -> Vec<Command> {
    let mut words = text.trim().trim_start_matches(':').split_whitespace();
    let Some(name) = words.next() else {
        return Vec::new();
    };
    let arg = words.next().map(str::to_string);
    let cluster = arg.clone().or_else(|| current_cluster(store, ui));
    let under_clusters = |view: ViewKind| vec![View::new(ViewKind::clusters()), View::new(view)];
    match name {
        "q" | "q!" | "quit" | "exit" => return vec![Command::Quit],
        "cl" | "clusters" | "cluster" => ui.replace_stack(vec![View::new(ViewKind::clusters())]),
        "svc" | "services" | "service" => match cluster {
            Some(cluster) => ui.replace_stack(under_clusters(ViewKind::services(cluster))),
            None => ui.set_status(
                StatusLevel::Warning,
                "Which cluster? Select one in :clusters, or type :svc CLUSTER.",
            ),
        },
        "tasks" | "task" => match cluster {
            Some(cluster) => ui.replace_stack(under_clusters(
                Tasks {
                    cluster,
                    service: None,
                    instance: None,
                }
                .into(),
            )),
            None => ui.set_status(
                StatusLevel::Warning,
                "Which cluster? Select one in :clusters, or type :tasks CLUSTER.",
            ),
        },
        "instances" | "instance" | "ci" => match cluster {
            Some(cluster) => ui.replace_stack(under_clusters(
                crate::views::instances::Instances {
                    cluster,
                    provider: None,
                }
                .into(),
            )),
            None => ui.set_status(
                StatusLevel::Warning,
                "Which cluster? Select one in :clusters, or type :instances CLUSTER.",
            ),
        },
        "capacity" | "cap" | "cp" => match cluster {
            Some(cluster) => ui.replace_stack(under_clusters(
                crate::views::capacity::Capacity { cluster }.into(),
            )),
            None => ui.set_status(
                StatusLevel::Warning,
                "Which cluster? Select one in :clusters, or type :capacity CLUSTER.",
            ),
        },
        "help" | "h" | "?" => ui.help_open = true,
        "journal" | "j" => ui.push(Journal),
        "pending" | "p" => ui.push(crate::views::pending::Pending),
        "forwards" | "pf" => ui.push(crate::views::forwards::Forwards),
        "budget" | "api" => ui.push(crate::views::budget::Budget),
        "ctx" | "context" | "profiles" | "profile" => super::context::open_list(ui),
        "taskdefs" | "td" | "taskdef" => ui.push(crate::views::taskdefs::Families {
            cluster: current_cluster(store, ui),
        }),
        "region" => return super::context::region_command(store, ui, arg.as_deref()),
        "triage" | "t" => {
            let cluster = match arg.as_deref() {
                Some("all") => None,
                Some(c) => Some(c.to_string()),
                None => current_cluster(store, ui),
            };
            ui.replace_stack(under_clusters(Triage { cluster }.into()));
        }
        other => ui.set_status(
            StatusLevel::Error,
            format!(
                "Unknown command \":{}\": try :clusters, :svc, :tasks, :triage, :ctx, :region, :help or :q.",
                clean(other)
            ),
        ),
    }
    Vec::new()
}

/// The cluster a `:svc`/`:tasks` without argument means: the one in the breadcrumbs, or the
/// one selected in the clusters list.
fn current_cluster(store: &Store, ui: &UiState) -> Option<String> {
    if let Some(c) = ui.current_cluster() {
        return Some(c.to_string());
    }
    if matches!(ui.top().kind, ViewKind::Clusters(_)) {
        return ui.selected_key(store);
    }
    None
}
