//! The help screen, generated from the keymap so it always tells the truth.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::config::theme::Theme;
use crate::keymap::{Action, KeyContext, Keymap};

/// The commands of `:` mode, for the help screen.
pub const COMMANDS: &[(&str, &str)] = &[
    (":cl :clusters", "all clusters"),
    (":svc [CLUSTER]", "services"),
    (":tasks [CLUSTER]", "all tasks"),
    (":ci :instances", "EC2 hosts"),
    (":cap :capacity", "providers"),
    (":triage [all]", "worst first"),
    (":journal", "actions taken"),
    (":pending", "in flight"),
    (":forwards", "port forwards"),
    (":budget", "API calls"),
    (":taskdefs", "task defs"),
    (":ctx", "AWS profile"),
    (":region NAME", "region"),
    (":help", "this screen"),
    (":q :quit", "quit"),
];

/// What the help screen shows: the keymap, and whether mutating keys are offered.
pub struct HelpScreen<'a> {
    pub keymap: &'a Keymap,
    pub scroll: usize,
    pub read_only: bool,
}

fn section(help: &HelpScreen, context: KeyContext, theme: &Theme) -> Vec<Line<'static>> {
    let mut actions: Vec<(Action, Vec<String>)> = Vec::new();
    // Read-only: what would be refused is not offered.
    let offered = help
        .keymap
        .of_context(context)
        .filter(|b| !(help.read_only && b.action.is_mutating()));
    for b in offered {
        // The seven window keys read better as one line.
        let action = match b.action {
            Action::Window(_) => Action::Window(0),
            other => other,
        };
        match actions.iter_mut().find(|(a, _)| *a == action) {
            Some((_, keys)) => keys.push(b.chord.display()),
            None => actions.push((action, vec![b.chord.display()])),
        }
    }
    if actions.is_empty() {
        return Vec::new();
    }
    actions.sort_by_key(|(a, _)| Action::ALL.iter().position(|x| x == a));
    let mut lines = vec![Line::from(Span::styled(
        context.title().to_string(),
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    ))];
    for (action, keys) in actions {
        let (keys, label) = match action {
            Action::Window(_) => (
                format!(
                    "{}-{}",
                    keys.first().cloned().unwrap_or_default(),
                    keys.last().cloned().unwrap_or_default()
                ),
                "history: tail…3h".to_string(),
            ),
            _ => (keys.join(" "), action.label().to_string()),
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {keys:<14}"),
                Style::default().fg(theme.highlight),
            ),
            Span::styled(label, Style::default().fg(theme.text)),
        ]));
    }
    lines.push(Line::default());
    lines
}

/// The title: what the screen is and how to use it, from the bindings.
fn title(help: &HelpScreen) -> String {
    let hint = help.keymap.hint(
        KeyContext::Help,
        &[
            (&[Action::Down, Action::Up], "scroll"),
            (&[Action::Back], "closes"),
        ],
    );
    let mode = if help.read_only { "READ-ONLY · " } else { "" };
    format!(" {mode}help · {hint} ")
}

pub fn render(frame: &mut Frame, area: Rect, help: HelpScreen, theme: &Theme) {
    let popup = centered(area, 118, 30);
    frame.render_widget(Clear, popup);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(Style::default().fg(theme.highlight))
        .title(title(&help));
    let inner = block.inner(popup);
    frame.render_widget(block, popup);

    let mut left = section(&help, KeyContext::Global, theme);
    left.push(Line::from(Span::styled(
        "Commands",
        Style::default()
            .fg(theme.header)
            .add_modifier(Modifier::BOLD),
    )));
    for (cmd, what) in COMMANDS {
        left.push(Line::from(vec![
            Span::styled(format!("  {cmd:<17}"), Style::default().fg(theme.highlight)),
            Span::styled(what.to_string(), Style::default().fg(theme.text)),
        ]));
    }
    let mut middle = Vec::new();
    for ctx in [
        KeyContext::List,
        KeyContext::Clusters,
        KeyContext::Services,
        KeyContext::Tasks,
        KeyContext::Containers,
        KeyContext::Instances,
        KeyContext::Detail,
        KeyContext::Triage,
    ] {
        middle.extend(section(&help, ctx, theme));
    }
    let mut right = section(&help, KeyContext::Logs, theme);
    right.extend(section(&help, KeyContext::Dialog, theme));
    right.extend(section(&help, KeyContext::DialogField, theme));
    let [l, m, r] = Layout::horizontal([
        Constraint::Ratio(1, 3),
        Constraint::Ratio(1, 3),
        Constraint::Ratio(1, 3),
    ])
    .areas(inner);
    let scroll = help.scroll.min(u16::MAX as usize) as u16;
    frame.render_widget(Paragraph::new(left).scroll((scroll, 0)), l);
    frame.render_widget(Paragraph::new(middle).scroll((scroll, 0)), m);
    frame.render_widget(Paragraph::new(right).scroll((scroll, 0)), r);
}

fn centered(area: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + (area.height - height) / 2,
        width,
        height,
    }
}
