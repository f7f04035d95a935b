//! `update`: the one place state changes. Messages in, commands out, no I/O — so every
//! behaviour of the dashboard can be tested by feeding messages.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use crate::action::Action;
use crate::command::Command;
use crate::log_view;
use crate::msg::Msg;
use crate::ops;
use crate::store::Store;
use crate::ui::panes;
use crate::view::{DescribeTarget, Input, InputKind, StatusLevel, UiState, View, ViewKind};

pub fn update(store: &mut Store, ui: &mut UiState, msg: Msg) -> Vec<Command> {
    match msg {
        Msg::Key(key) => on_key(store, ui, key),
        Msg::Paste(text) => {
            // One-line fields: a pasted newline must neither submit nor split the text, and
            // must not glue two numbers into one ("5\n6" stays refused, never 56).
            let flat: String = text
                .trim_end_matches(['\n', '\r'])
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            if let Some(input) = &mut ui.input {
                input.field.insert_str(flat);
                sync_live_filter(ui);
            } else {
                ops::on_paste(ui, &flat);
            }
            Vec::new()
        }
        Msg::Resize => Vec::new(),
        Msg::Tick {
            now,
            api_calls_last_minute,
        } => {
            ui.now = now;
            ui.api_calls_last_minute = api_calls_last_minute;
            ops::reconcile(store, ui);
            Vec::new()
        }
        Msg::FetchStarted(resource) => {
            store.start_loading(&resource);
            Vec::new()
        }
        Msg::Fetched {
            resource,
            result,
            at,
        } => {
            store.apply(&resource, result, at);
            ops::reconcile(store, ui);
            Vec::new()
        }
        Msg::MutationDone {
            id,
            mutation,
            result,
            entry,
        } => ops::on_mutation_done(store, ui, id, &mutation, result, entry),
        Msg::LogEvents { generation, events } => {
            log_view::on_events(store, ui, generation, events);
            Vec::new()
        }
        Msg::LogState { generation, state } => {
            log_view::on_state(store, generation, state);
            Vec::new()
        }
        Msg::LogsSaved(result) => {
            match result {
                Ok(path) => ui.set_status(
                    StatusLevel::Info,
                    format!("Saved the lines shown to {}", path.display()),
                ),
                Err(e) => {
                    ui.set_status(StatusLevel::Error, format!("Could not save the logs: {e}"))
                }
            }
            Vec::new()
        }
        Msg::Terminate => vec![Command::Quit],
    }
}

fn on_key(store: &mut Store, ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    if key.kind == KeyEventKind::Release {
        return Vec::new();
    }
    // Any key counts as someone watching: an idle log pane resumes its live tail.
    ui.last_key_at = ui.now;
    // ctrl-c always quits, whatever is open: the way out must never be blocked.
    if key.code == KeyCode::Char('c') && key.modifiers.contains(KeyModifiers::CONTROL) {
        return vec![Command::Quit];
    }
    if ui.input.is_some() {
        return on_input_key(store, ui, key);
    }
    if ui.dialog.is_some() {
        return ops::on_dialog_key(store, ui, key);
    }
    ui.status = None;
    if ui.help_open {
        return on_help_key(ui, key);
    }
    let Some(action) = ui.keymap.resolve(ui.top().key_context(), &key) else {
        return Vec::new();
    };
    perform(store, ui, action)
}

fn on_help_key(ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    match ui
        .keymap
        .resolve(crate::config::keymap::KeyContext::Help, &key)
    {
        Some(Action::Down) => ui.help_scroll += 1,
        Some(Action::Up) => ui.help_scroll = ui.help_scroll.saturating_sub(1),
        Some(Action::ForceQuit) => return vec![Command::Quit],
        Some(Action::Help | Action::Back | Action::Quit) => {
            ui.help_open = false;
            ui.help_scroll = 0;
        }
        _ => {}
    }
    Vec::new()
}

/// Keys typed into the open filter or command field.
fn on_input_key(store: &mut Store, ui: &mut UiState, key: KeyEvent) -> Vec<Command> {
    let Some(input) = &mut ui.input else {
        return Vec::new();
    };
    match key.code {
        KeyCode::Esc => {
            match input.kind {
                InputKind::Filter => ui.top_mut().filter.clear(),
                InputKind::Search => log_view::set_search(store, ui, "", false),
                InputKind::Command => {}
            }
            ui.input = None;
            Vec::new()
        }
        KeyCode::Enter => {
            let text = input.text();
            let kind = input.kind;
            ui.input = None;
            match kind {
                InputKind::Filter => {
                    ui.top_mut().filter = text.trim().to_string();
                    Vec::new()
                }
                InputKind::Command => run_command(store, ui, &text),
                InputKind::Search => {
                    log_view::set_search(store, ui, text.trim(), true);
                    Vec::new()
                }
            }
        }
        // Backspace on an empty field closes it, as in k9s and vim.
        KeyCode::Backspace if input.text().is_empty() => {
            ui.input = None;
            Vec::new()
        }
        _ => {
            input.field.input(key);
            sync_live_filter(ui);
            if let Some(input) = &ui.input
                && input.kind == InputKind::Search
            {
                let text = input.text();
                log_view::set_search(store, ui, text.trim(), false);
            }
            Vec::new()
        }
    }
}

/// The filter applies as you type.
fn sync_live_filter(ui: &mut UiState) {
    if let Some(input) = &ui.input
        && input.kind == InputKind::Filter
    {
        let text = input.text();
        ui.top_mut().filter = text;
    }
}

fn perform(store: &mut Store, ui: &mut UiState, action: Action) -> Vec<Command> {
    if let Some(commands) = log_view::perform(store, ui, action) {
        return commands;
    }
    match action {
        Action::Up => return move_selection(store, ui, -1),
        Action::Down => return move_selection(store, ui, 1),
        Action::PageUp => return move_selection(store, ui, -(ui.page_rows as i64)),
        Action::PageDown => return move_selection(store, ui, ui.page_rows as i64),
        Action::Top => return move_selection(store, ui, i64::MIN / 2),
        Action::Bottom => return move_selection(store, ui, i64::MAX / 2),
        Action::Open => open(store, ui),
        Action::Back => {
            if !ui.top().filter.is_empty() {
                ui.top_mut().filter.clear();
            } else {
                ui.pop_view();
                close_logs_if_left(store, ui);
            }
        }
        Action::Filter => {
            if !matches!(ui.top().kind, ViewKind::Describe { .. }) {
                let current = ui.top().filter.clone();
                ui.input = Some(Input::new(InputKind::Filter, &current));
            }
        }
        Action::CommandMode => ui.input = Some(Input::new(InputKind::Command, "")),
        Action::Help => ui.help_open = true,
        Action::Refresh => return vec![Command::RefreshNow],
        Action::Quit => {
            // `q` quits from the top view; deeper in, it goes back like esc.
            if !ui.pop_view() {
                return vec![Command::Quit];
            }
            close_logs_if_left(store, ui);
        }
        Action::ForceQuit => return vec![Command::Quit],
        Action::Describe => describe(store, ui),
        Action::TaskDefinition => task_definition(store, ui),
        Action::ToggleStopped => {
            let view = ui.top_mut();
            if matches!(view.kind, ViewKind::Tasks { .. }) {
                view.show_stopped = !view.show_stopped;
                view.selected = 0;
                view.selected_key = None;
                view.marked.clear();
            }
        }
        Action::Scale => ops::start_scale(store, ui),
        Action::Redeploy => ops::start_redeploy(store, ui),
        Action::Rollback => ops::start_rollback(store, ui),
        Action::StopTask => ops::start_stop(store, ui),
        Action::Logs => {
            if let ViewKind::ServiceDetail { cluster, service } = &ui.top().kind {
                let scope = crate::logs::LogScope::Service {
                    cluster: cluster.clone(),
                    service: service.clone(),
                };
                log_view::open_scope(store, ui, scope);
            } else {
                log_view::open(store, ui);
            }
        }
        Action::Metrics => {
            if let (ViewKind::Services { cluster }, Some(service)) =
                (&ui.top().kind, selected_key(store, ui))
            {
                let cluster = cluster.clone();
                ui.push(ViewKind::ServiceDetail { cluster, service });
            }
        }
        Action::Events => {
            let target = match &ui.top().kind {
                ViewKind::Services { cluster } => {
                    selected_key(store, ui).map(|s| (cluster.clone(), s))
                }
                ViewKind::ServiceDetail { cluster, service } => {
                    Some((cluster.clone(), service.clone()))
                }
                _ => None,
            };
            if let Some((cluster, service)) = target {
                ui.push(ViewKind::Events { cluster, service });
            }
        }
        Action::CycleRange => {
            let view = ui.top_mut();
            if matches!(view.kind, ViewKind::ServiceDetail { .. }) {
                view.range = view.range.next();
            }
        }
        // Log-pane actions outside a log pane (a rebinding could send them): nothing.
        Action::Wrap
        | Action::Timestamps
        | Action::Search
        | Action::NextMatch
        | Action::PrevMatch
        | Action::FilterMode
        | Action::ExpandJson
        | Action::SaveLogs
        | Action::ClearLogs
        | Action::Window(_) => {}
        Action::Mark => {
            if ops::toggle_mark(store, ui).is_some() {
                return move_selection(store, ui, 1);
            }
        }
    }
    Vec::new()
}

/// Leaving the log pane frees its buffer (the tailer stops with the focus).
fn close_logs_if_left(store: &mut Store, ui: &UiState) {
    if !ui
        .stack
        .iter()
        .any(|v| matches!(v.kind, ViewKind::Logs { .. }))
    {
        store.log = None;
    }
}

/// The keys of the rows the top view shows, in order (after its filter).
fn visible_keys(store: &Store, ui: &UiState) -> Vec<String> {
    panes::table(store, ui.top(), panes::TableContext::of(ui))
        .map(|m| m.rows.into_iter().map(|r| r.key).collect())
        .unwrap_or_default()
}

/// The key of the row under the cursor in the top view.
pub(crate) fn selected_key(store: &Store, ui: &UiState) -> Option<String> {
    let keys = visible_keys(store, ui);
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let view = ui.top();
    if refs.is_empty() {
        return None;
    }
    let i = crate::ui::table::selected_index(&refs, view.selected_key.as_deref(), view.selected);
    keys.get(i).cloned()
}

fn move_selection(store: &Store, ui: &mut UiState, delta: i64) -> Vec<Command> {
    if matches!(ui.top().kind, ViewKind::Describe { .. }) {
        let view = ui.top_mut();
        // The renderer clamps the scroll to the document's length.
        view.scroll = (view.scroll as i64).saturating_add(delta).max(0) as usize;
        return Vec::new();
    }
    let keys = visible_keys(store, ui);
    if keys.is_empty() {
        return Vec::new();
    }
    let refs: Vec<&str> = keys.iter().map(String::as_str).collect();
    let view = ui.top_mut();
    let current =
        crate::ui::table::selected_index(&refs, view.selected_key.as_deref(), view.selected);
    let last = keys.len() as i64 - 1;
    let next = (current as i64).saturating_add(delta).clamp(0, last) as usize;
    view.selected = next;
    view.selected_key = keys.get(next).cloned();
    Vec::new()
}

fn open(store: &Store, ui: &mut UiState) {
    let Some(key) = selected_key(store, ui) else {
        return;
    };
    let view = ui.top();
    let next = match &view.kind {
        ViewKind::Clusters => ViewKind::Services { cluster: key },
        ViewKind::Services { cluster } => ViewKind::Tasks {
            cluster: cluster.clone(),
            service: Some(key),
        },
        ViewKind::Tasks { .. } => {
            let Some((cluster, filter)) = view.task_filter() else {
                return;
            };
            let Some(task) = panes::containers::find_task(store, &cluster, &filter, &key) else {
                return;
            };
            ViewKind::Containers {
                task_definition_arn: task.task_definition_arn.clone(),
                cluster,
                filter,
                task_arn: key,
            }
        }
        ViewKind::Containers { .. } | ViewKind::Journal => return describe(store, ui),
        ViewKind::Triage { .. } => {
            // Jump to the service: its cluster's services list, with it selected.
            let Some((cluster, service)) = key.split_once('/') else {
                return;
            };
            let mut services = View::new(ViewKind::Services {
                cluster: cluster.to_string(),
            });
            services.selected_key = Some(service.to_string());
            ui.stack = vec![View::new(ViewKind::Clusters), services];
            return;
        }
        ViewKind::Describe { .. }
        | ViewKind::Logs { .. }
        | ViewKind::ServiceDetail { .. }
        | ViewKind::Events { .. } => return,
    };
    ui.push(next);
}

fn describe(store: &Store, ui: &mut UiState) {
    let Some(key) = selected_key(store, ui) else {
        return;
    };
    let view = ui.top();
    let target = match &view.kind {
        ViewKind::Clusters => DescribeTarget::Cluster { name: key },
        ViewKind::Services { cluster } => DescribeTarget::Service {
            cluster: cluster.clone(),
            name: key,
        },
        ViewKind::Tasks { .. } => {
            let Some((cluster, filter)) = view.task_filter() else {
                return;
            };
            DescribeTarget::Task {
                cluster,
                filter,
                arn: key,
            }
        }
        ViewKind::Containers {
            cluster,
            filter,
            task_arn,
            task_definition_arn,
        } => DescribeTarget::Container {
            cluster: cluster.clone(),
            filter: filter.clone(),
            task_arn: task_arn.clone(),
            task_definition_arn: task_definition_arn.clone(),
            name: key,
        },
        ViewKind::Journal => DescribeTarget::JournalEntry { key },
        ViewKind::Describe { .. }
        | ViewKind::Logs { .. }
        | ViewKind::ServiceDetail { .. }
        | ViewKind::Events { .. }
        | ViewKind::Triage { .. } => return,
    };
    ui.push(ViewKind::Describe { target });
}

fn task_definition(store: &Store, ui: &mut UiState) {
    let ViewKind::Services { cluster } = &ui.top().kind else {
        return;
    };
    let Some(name) = selected_key(store, ui) else {
        return;
    };
    let arn = store
        .services_of(cluster)
        .and_then(|l| l.value())
        .and_then(|v| v.iter().find(|s| s.service_name == name))
        .map(|s| s.task_definition.clone());
    if let Some(arn) = arn {
        ui.push(ViewKind::Describe {
            target: DescribeTarget::TaskDefinition { arn },
        });
    }
}

/// Runs a `:` command. Unknown commands say so and change nothing.
fn run_command(store: &Store, ui: &mut UiState, text: &str) -> Vec<Command> {
    let mut words = text.trim().trim_start_matches(':').split_whitespace();
    let Some(name) = words.next() else {
        return Vec::new();
    };
    let arg = words.next().map(str::to_string);
    let cluster = arg.clone().or_else(|| current_cluster(store, ui));
    match name {
        "q" | "q!" | "quit" | "exit" => return vec![Command::Quit],
        "cl" | "clusters" | "cluster" => ui.stack = vec![View::new(ViewKind::Clusters)],
        "svc" | "services" | "service" => match cluster {
            Some(cluster) => {
                ui.stack = vec![
                    View::new(ViewKind::Clusters),
                    View::new(ViewKind::Services { cluster }),
                ];
            }
            None => ui.set_status(
                StatusLevel::Warning,
                "Which cluster? Select one in :clusters, or type :svc CLUSTER.",
            ),
        },
        "tasks" | "task" => match cluster {
            Some(cluster) => {
                ui.stack = vec![
                    View::new(ViewKind::Clusters),
                    View::new(ViewKind::Tasks {
                        cluster,
                        service: None,
                    }),
                ];
            }
            None => ui.set_status(
                StatusLevel::Warning,
                "Which cluster? Select one in :clusters, or type :tasks CLUSTER.",
            ),
        },
        "help" | "h" | "?" => ui.help_open = true,
        "journal" | "j" => ui.push(ViewKind::Journal),
        "triage" | "t" => {
            let cluster = match arg.as_deref() {
                Some("all") => None,
                Some(c) => Some(c.to_string()),
                None => current_cluster(store, ui),
            };
            ui.stack = vec![View::new(ViewKind::Clusters), View::new(ViewKind::Triage { cluster })];
        }
        other => ui.set_status(
            StatusLevel::Error,
            format!(
                "Unknown command \":{}\": try :clusters, :services, :tasks, :triage, :journal, :help or :q.",
                crate::ui::format::clean(other)
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
    if matches!(ui.top().kind, ViewKind::Clusters) {
        return selected_key(store, ui);
    }
    None
}
