//! The auto scaling dialogs: the min / max field, and what a confirmation of an auto
//! scaling change says besides the change and its CLI equivalent.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;

use super::dialog::{Hints, keys_line, popup, styled, text, with_field};
use crate::config::theme::Theme;
use crate::domain::mutation::Mutation;
use crate::state::dialog::ScalingRangeDialog;
use crate::store::Store;
use crate::views::services::find;

/// `a`: the range field, prefilled with the current `MIN MAX`.
pub(super) fn range(
    frame: &mut Frame,
    area: Rect,
    d: &mut ScalingRangeDialog,
    hints: &Hints,
    theme: &Theme,
) {
    let title = format!("auto scaling range of {}/{}", d.cluster, d.service);
    let inner = popup(frame, area, 76, 9, &title, theme);
    let before = vec![
        text(
            format!(
                "Auto scaling keeps the desired count between {} and {} now.",
                d.current.0, d.current.1
            ),
            theme,
        ),
        text(
            "A count outside the new range is moved into it by the scaler.",
            theme,
        ),
        text("New range, MIN MAX (0 to 5000):", theme),
    ];
    let after = vec![
        match &d.error {
            Some(e) => styled(format!("✖ {e}"), theme.failure),
            None => Line::default(),
        },
        keys_line(&hints.field, theme),
    ];
    with_field(frame, inner, before, &mut d.field, after, theme);
}

/// What the change does, in plain words, before it is confirmed.
pub(super) fn explain(
    store: &Store,
    mutation: &Mutation,
    hints: &Hints,
    theme: &Theme,
) -> Vec<Line<'static>> {
    match mutation {
        Mutation::SetScalingRange {
            cluster,
            service,
            to: (min, max),
            ..
        } => {
            let mut out = vec![text(
                "One call: RegisterScalableTarget with the new minimum and maximum.",
                theme,
            )];
            let desired = find(store, cluster, service).map(|s| s.desired_count);
            if let Some(desired) = desired.filter(|d| d < min || d > max) {
                out.push(styled(
                    format!(
                        "⚠ {service} wants {desired} tasks now: the scaler will move it to {}.",
                        desired.clamp(*min, *max)
                    ),
                    theme.warning,
                ));
            }
            out
        }
        Mutation::SetScalingSuspended {
            direction, suspend, ..
        } => {
            let what = match (direction, suspend) {
                (crate::domain::scaling::ScalingDirection::In, true) => {
                    "Scaling policies stop removing tasks until scale-in is resumed."
                }
                (crate::domain::scaling::ScalingDirection::Out, true) => {
                    "Scaling policies stop adding tasks until scale-out is resumed: load above target will not scale it out."
                }
                (_, false) => "Scaling policies act on the service again in this direction.",
            };
            vec![
                text(what, theme),
                styled(
                    "The other suspensions are sent as they are now (the whole SuspendedState).",
                    theme.muted,
                ),
            ]
        }
        Mutation::ScaleWidening {
            from,
            to,
            range_from,
            range_to,
            ..
        } => vec![
            text("Two calls, in this order:", theme),
            text(
                format!(
                    "  1. RegisterScalableTarget: range {}..{} → {}..{}",
                    range_from.0, range_from.1, range_to.0, range_to.1
                ),
                theme,
            ),
            text(format!("  2. UpdateService: desired {from} → {to}"), theme),
            styled(
                "If 1 fails, nothing changes. If 2 fails, the range stays widened and the desired count stays as it was: the journal and the status line say so.",
                theme.warning,
            ),
            keys_line(&hints.unwiden, theme),
        ],
        _ => Vec::new(),
    }
}
