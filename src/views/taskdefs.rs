//! `:taskdefs`: the task definition families of the account (ACTIVE, every page); `Enter`
//! lists a family's revisions newest first — registered when, its image, cpu / memory, and
//! which services of the current cluster run it; `d` shows a revision's JSON; `space` on two
//! revisions shows what changes between them, with the rollback dialog's diff. Reading is
//! never blocked by read-only.

use super::describe::DescribeTarget;
use super::format::age_cell;
use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Effect, Freshness, RowContext, Selection, View, ViewKind, ViewSpec};
use crate::domain::diff::{self, DiffLine};
use crate::domain::ecs::{Service, task_definition_short};
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

/// The families list; `cluster` is where "in use" is looked for (the one `:taskdefs` was
/// opened from).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Families {
    pub cluster: Option<String>,
}

/// The ACTIVE revisions of one family, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revisions {
    pub family: String,
    pub cluster: Option<String>,
}

/// What changes from revision `from` to revision `to`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Compare {
    pub from: String,
    pub to: String,
}

/// The services of `cluster` (in the store) that run `wanted` in a deployment.
fn running(store: &Store, cluster: Option<&str>, wanted: impl Fn(&str) -> bool) -> Vec<String> {
    let Some(services) = cluster.and_then(|c| store.services_of(c)?.value()) else {
        return Vec::new();
    };
    services
        .iter()
        .filter(|s: &&Service| {
            wanted(&s.task_definition) || s.deployments.iter().any(|d| wanted(&d.task_definition))
        })
        .map(|s| s.service_name.clone())
        .collect()
}

fn services_of(cluster: &Option<String>) -> Vec<Resource> {
    cluster
        .iter()
        .map(|c| Resource::Services { cluster: c.clone() })
        .collect()
}

impl ViewSpec for Families {
    fn key_context(&self) -> KeyContext {
        KeyContext::TaskDefinitions
    }

    fn title(&self, _view: &View) -> String {
        match &self.cluster {
            Some(c) => format!("task definitions (in use in {c})"),
            None => "task definitions".to_string(),
        }
    }

    /// Listed only while open: the family list, and the services "in use" is read from.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        let mut out = vec![Resource::Families];
        out.extend(services_of(&self.cluster));
        out
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(Some(&store.families))
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![Column::new("FAMILY", 48, 0), Column::new("IN USE", 60, 1)];
        let rows = (ctx.store.families.value().into_iter().flatten())
            .map(|family| {
                let prefix = format!(":task-definition/{family}:");
                let users = running(ctx.store, self.cluster.as_deref(), |arn| {
                    arn.contains(&prefix)
                });
                TableRow {
                    key: family.clone(),
                    cells: vec![
                        Cell::new(family),
                        Cell::new(if users.is_empty() {
                            "-".to_string()
                        } else {
                            users.join(", ")
                        }),
                    ],
                    role: if users.is_empty() {
                        Role::Muted
                    } else {
                        Role::Text
                    },
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let family = on.key?.to_string();
        (action == Action::Open).then(|| {
            Effect::Push(
                Revisions {
                    family,
                    cluster: self.cluster.clone(),
                }
                .into(),
            )
        })
    }
}

impl ViewSpec for Revisions {
    fn key_context(&self) -> KeyContext {
        KeyContext::TaskDefinitions
    }

    /// Two marked revisions open their diff.
    fn marks_rows(&self) -> bool {
        true
    }

    fn title(&self, _view: &View) -> String {
        format!("revisions({})", self.family)
    }

    /// The revision list, and each revision drawn (registered at, image): a revision never
    /// changes, so each is described once.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        let mut out = vec![Resource::Revisions {
            family: self.family.clone(),
        }];
        out.extend(services_of(&self.cluster));
        out
    }

    fn derived_resources(&self, view: &View, _store: &Store) -> Vec<Resource> {
        (view.on_screen.iter())
            .map(|arn| Resource::TaskDefinition { arn: arn.clone() })
            .collect()
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.revisions.get(&self.family))
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " no ACTIVE revision"
    }

    fn table(&self, view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![
            Column::new("", 1, 0),
            Column::new("REVISION", 40, 0),
            Column::new("REGISTERED", 10, 1),
            Column::new("IMAGE", 70, 3),
            Column::new("CPU/MEM", 11, 4),
            Column::new("RUNNING IN", 50, 2),
        ];
        let revisions = ctx
            .store
            .revisions
            .get(&self.family)
            .and_then(|l| l.value());
        let rows = (revisions.into_iter().flatten())
            .map(|arn| {
                let definition = ctx.store.task_definition(arn).and_then(|l| l.value());
                let users = running(ctx.store, self.cluster.as_deref(), |a| a == arn);
                let image = (definition.and_then(|d| d.container_definitions.first()))
                    .map(|c| c.image.clone())
                    .unwrap_or_else(|| "…".to_string());
                let size = definition
                    .map(|d| {
                        let part = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                        format!("{}/{}", part(&d.cpu), part(&d.memory))
                    })
                    .unwrap_or_else(|| "…".to_string());
                TableRow {
                    key: arn.clone(),
                    cells: vec![
                        Cell::new(if view.marked.contains(arn) {
                            "●"
                        } else {
                            " "
                        }),
                        Cell::new(task_definition_short(arn)),
                        age_cell(definition.and_then(|d| d.registered_at), ctx.now),
                        Cell::new(image),
                        Cell::new(size),
                        Cell::new(if users.is_empty() {
                            "-".to_string()
                        } else {
                            users.join(", ")
                        }),
                    ],
                    role: if users.is_empty() {
                        Role::Text
                    } else {
                        Role::Info
                    },
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let arn = on.key?.to_string();
        matches!(action, Action::Open | Action::Describe)
            .then(|| Effect::Push(ViewKind::describe(DescribeTarget::TaskDefinition { arn })))
    }
}

impl Compare {
    /// The two marked revisions, older first (a diff reads "from the older to the newer").
    pub fn of(marked: &[String]) -> Option<Compare> {
        let [a, b] = marked else {
            return None;
        };
        let number = |arn: &str| arn.rsplit(':').next().and_then(|n| n.parse::<u64>().ok());
        let (from, to) = if number(a) <= number(b) {
            (a, b)
        } else {
            (b, a)
        };
        Some(Compare {
            from: from.clone(),
            to: to.clone(),
        })
    }
}

impl ViewSpec for Compare {
    fn key_context(&self) -> KeyContext {
        KeyContext::TaskDefinitions
    }

    fn title(&self, _view: &View) -> String {
        format!(
            "{} → {}",
            task_definition_short(&self.from),
            task_definition_short(&self.to)
        )
    }

    fn resources(&self, _view: &View) -> Vec<Resource> {
        [&self.from, &self.to]
            .into_iter()
            .map(|arn| Resource::TaskDefinition { arn: arn.clone() })
            .collect()
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(store.task_definition(&self.to))
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " loading both revisions… (or no difference in what a deploy changes)"
    }

    /// The rollback dialog's diff: images, cpu / memory, environment names, secrets by
    /// name, ports, command.
    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![Column::new("CHANGE", 200, 0)];
        let load = |arn: &str| ctx.store.task_definition(arn).and_then(|l| l.value());
        let lines = match (load(&self.from), load(&self.to)) {
            (Some(from), Some(to)) => diff::task_definitions(from, to),
            _ => Vec::new(),
        };
        let rows = lines
            .into_iter()
            .enumerate()
            .map(|(i, line)| {
                let (text, role) = match line {
                    DiffLine::Section(s) => (s, Role::Info),
                    DiffLine::Changed(s) => (format!("  ~ {s}"), Role::Warning),
                    DiffLine::Added(s) => (format!("  + {s}"), Role::Success),
                    DiffLine::Removed(s) => (format!("  - {s}"), Role::Failure),
                };
                TableRow {
                    key: i.to_string(),
                    cells: vec![Cell::new(text)],
                    role,
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }
}
