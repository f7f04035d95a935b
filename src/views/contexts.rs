//! `:ctx`: the profiles of the AWS config and credentials files — name, region, how each gets
//! credentials, and whether ecsdeck treats it as read-only — and `Enter` switches to one.
//!
//! The view carries what it was opened from (the current profile and region, the read-only
//! rules), so its rows need nothing else than the profile list in the store.

use super::table::{Cell, Column, Role, TableModel, TableRow};
use super::{Effect, Freshness, RowContext, Selection, View, ViewSpec};
use crate::backend::ContextTarget;
use crate::config::ReadOnlyPolicy;
use crate::keymap::{Action, KeyContext};
use crate::store::{Resource, Store};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Contexts {
    /// The profile in use, marked `*` (None in the demo's own fleet, which is no profile).
    pub current_profile: Option<String>,
    /// The region in use: a profile whose files name no region is opened in it.
    pub current_region: String,
    pub read_only: ReadOnlyPolicy,
}

impl ViewSpec for Contexts {
    fn key_context(&self) -> KeyContext {
        KeyContext::Contexts
    }

    fn title(&self, _view: &View) -> String {
        "profiles".to_string()
    }

    /// Read from the files (no AWS call), again every clusters interval while open.
    fn resources(&self, _view: &View) -> Vec<Resource> {
        vec![Resource::Profiles]
    }

    fn freshness(&self, _view: &View, store: &Store) -> Freshness {
        Freshness::of(Some(&store.profiles))
    }

    fn empty_text(&self, _view: &View) -> &'static str {
        " no profile in ~/.aws/config or ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE)"
    }

    fn table(&self, _view: &View, ctx: &RowContext) -> Option<TableModel> {
        let columns = vec![
            Column::new("", 1, 0),
            Column::new("PROFILE", 30, 0),
            Column::new("REGION", 16, 1),
            Column::new("CREDENTIALS", 12, 2),
            Column::new("ACCESS", 10, 1),
        ];
        let rows = (ctx.store.profiles.value().into_iter().flatten())
            .map(|p| {
                let is_current = self.current_profile.as_deref() == Some(p.name.as_str());
                let region = match &p.region {
                    Some(r) => Cell::new(r),
                    None => Cell::with_role(format!("({})", self.current_region), Role::Muted),
                };
                let access = if self.read_only.for_profile(Some(&p.name)) {
                    Cell::with_role("read-only", Role::Warning)
                } else {
                    Cell::new("read-write")
                };
                TableRow {
                    key: p.name.clone(),
                    cells: vec![
                        Cell::new(if is_current { "*" } else { " " }),
                        Cell::new(&p.name),
                        region,
                        Cell::new(p.credentials.label()),
                        access,
                    ],
                    role: if is_current { Role::Info } else { Role::Text },
                }
            })
            .collect();
        Some(TableModel::new(columns, rows))
    }

    fn on_action(&self, action: Action, on: &Selection) -> Option<Effect> {
        let name = on.key?;
        if action != Action::Open {
            return None;
        }
        let profile = on.store.profiles.value()?.iter().find(|p| p.name == name)?;
        Some(Effect::SwitchContext(ContextTarget {
            profile: Some(profile.name.clone()),
            region: (profile.region.clone()).unwrap_or_else(|| self.current_region.clone()),
        }))
    }
}
