//! `:forwards`: the port forwards started this session — local → remote, through which task
//! and container, since when, and how they are doing. `ctrl-k` stops one. All of them end
//! when ecsdeck quits, with their Session Manager sessions terminated.

use super::format::age_cell;
use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Freshness, RowContext, View, ViewSpec};
use crate::keymap::KeyContext;
use crate::store::{ForwardState, Resource, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forwards;

impl ViewSpec for Forwards {
    fn key_context(&self) -> KeyContext {
        KeyContext::Forwards
    }

    fn title(&self, _view: &View) -> String {
        "port forwards".to_string()
    }

    /// Local data: the forwards are ecsdeck's own processes.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        Vec::new()
    }

    fn freshness(&self, _view: &View, _store: &Store) -> Freshness {
        Freshness::default()
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " no port forward (F on a task or container starts one)"
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![
            Column::new("LOCAL", 16, 0),
            Column::new("REMOTE", 32, 0),
            Column::new("TASK", 8, 1),
            Column::new("CONTAINER", 20, 2),
            Column::new("SINCE", 6, 3),
            Column::new("STATE", 40, 0),
        ];
        let rows = ctx
            .store
            .forwards
            .iter()
            .rev()
            .map(|f| {
                let (state, role) = match &f.state {
                    ForwardState::Starting => ("starting".to_string(), Role::Warning),
                    // The demo's forwards are local echo ports: say so where they are listed.
                    ForwardState::Running if f.session_id.starts_with("demo-") => (
                        "forwarding (demo stand-in: a local echo port)".to_string(),
                        Role::Success,
                    ),
                    ForwardState::Running => ("forwarding".to_string(), Role::Success),
                    ForwardState::Stopping => ("stopping".to_string(), Role::Warning),
                    ForwardState::Ended(how) => (format!("ended: {how}"), Role::Muted),
                };
                let plan = &f.plan;
                let remote = match &plan.remote_host {
                    Some(host) => format!("{host}:{}", plan.remote_port),
                    None => format!("container port {}", plan.remote_port),
                };
                let task: String = crate::domain::ecs::arn_tail(&plan.through.task_arn)
                    .chars()
                    .take(8)
                    .collect();
                TableRow {
                    key: f.id.to_string(),
                    cells: vec![
                        Cell::new(format!("localhost:{}", plan.local_port)),
                        Cell::new(remote),
                        Cell::new(task),
                        Cell::new(&plan.through.container),
                        age_cell(Some(f.since), ctx.now),
                        Cell::with_role(state, role),
                    ],
                    role: Role::Text,
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }
}
