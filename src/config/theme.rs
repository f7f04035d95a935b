//! Themes: semantic colour roles loaded from TOML (`themes/*.toml` built in, or user files).

use std::path::{Path, PathBuf};
use std::str::FromStr;

use ratatui::style::Color;
use serde::Deserialize;

/// Colours by role. Panes never pick raw colours: they ask for `success`, `failure`, ...
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Theme {
    pub text: Color,
    pub muted: Color,
    pub border: Color,
    pub highlight: Color,
    /// Background of the selected row.
    pub selection: Color,
    pub header: Color,
    pub success: Color,
    pub warning: Color,
    pub failure: Color,
    pub info: Color,
}

/// The built-in themes, embedded so the binary works from anywhere.
const BUILT_IN: &[(&str, &str)] = &[
    ("default", include_str!("../../themes/default.toml")),
    ("light", include_str!("../../themes/light.toml")),
];

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    text: String,
    muted: String,
    border: String,
    highlight: String,
    selection: String,
    header: String,
    success: String,
    warning: String,
    failure: String,
    info: String,
}

impl Default for Theme {
    fn default() -> Self {
        // The embedded default always parses (a unit test checks it); fall back to plain
        // terminal colours rather than panicking if someone breaks it.
        Theme::parse(BUILT_IN[0].1, "default").unwrap_or(Theme {
            text: Color::Reset,
            muted: Color::DarkGray,
            border: Color::DarkGray,
            highlight: Color::Cyan,
            selection: Color::Blue,
            header: Color::Cyan,
            success: Color::Green,
            warning: Color::Yellow,
            failure: Color::Red,
            info: Color::Magenta,
        })
    }
}

impl Theme {
    /// Names of the built-in themes.
    pub fn built_in_names() -> Vec<&'static str> {
        BUILT_IN.iter().map(|(name, _)| *name).collect()
    }

    /// Loads a theme by name: a built-in, a file `<config dir>/themes/NAME.toml`, or a path.
    pub fn load(name: &str, config_dir: Option<&Path>) -> Result<Theme, String> {
        if let Some((_, text)) = BUILT_IN.iter().find(|(n, _)| *n == name) {
            return Theme::parse(text, name);
        }
        let path = if name.ends_with(".toml") || name.contains('/') {
            PathBuf::from(name)
        } else {
            match config_dir {
                Some(dir) => dir.join("themes").join(format!("{name}.toml")),
                None => PathBuf::from(format!("{name}.toml")),
            }
        };
        let text = std::fs::read_to_string(&path).map_err(|e| {
            format!(
                "Theme \"{name}\" not found ({}: {e}); built-in themes: {}.",
                path.display(),
                Theme::built_in_names().join(", ")
            )
        })?;
        Theme::parse(&text, &path.display().to_string())
    }

    /// Parses a theme file; `source` names it in error messages.
    pub fn parse(text: &str, source: &str) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text)
            .map_err(|e| format!("Theme {source} is invalid: {}", one_line(&e.to_string())))?;
        let color = |role: &str, value: &str| {
            Color::from_str(value).map_err(|_| {
                format!("Theme {source} is invalid: {role} = \"{value}\" is not a colour (use \"#rrggbb\" or a name like \"red\").")
            })
        };
        Ok(Theme {
            text: color("text", &file.text)?,
            muted: color("muted", &file.muted)?,
            border: color("border", &file.border)?,
            highlight: color("highlight", &file.highlight)?,
            selection: color("selection", &file.selection)?,
            header: color("header", &file.header)?,
            success: color("success", &file.success)?,
            warning: color("warning", &file.warning)?,
            failure: color("failure", &file.failure)?,
            info: color("info", &file.info)?,
        })
    }
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_ins_parse() {
        for (name, text) in BUILT_IN {
            assert!(Theme::parse(text, name).is_ok(), "{name}");
        }
        assert!(Theme::load("light", None).is_ok());
    }

    #[test]
    fn invalid_files_give_a_clear_message() {
        let bad_colour = BUILT_IN[0].1.replace("#e06c75", "not-a-colour");
        let e = Theme::parse(&bad_colour, "x.toml")
            .err()
            .unwrap_or_default();
        assert!(e.contains("failure = \"not-a-colour\""), "{e}");
        let missing = "text = \"red\"";
        let e = Theme::parse(missing, "y.toml").err().unwrap_or_default();
        assert!(e.contains("y.toml is invalid"), "{e}");
        let e = Theme::load("no-such-theme", None).err().unwrap_or_default();
        assert!(e.contains("built-in themes: default, light"), "{e}");
    }
}
