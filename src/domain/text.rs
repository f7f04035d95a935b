//! The one sanitiser for text that comes from AWS: names, reasons, images, log lines.
//!
//! All of it is untrusted: an application (or an attacker who controls a request that gets
//! logged, or a tag) can write escape sequences that would move the cursor, retitle the
//! window, write the clipboard or clear the screen, and bidirectional or invisible format
//! characters that make a name read as another. Every such text passes through [`clean`]
//! once, before it is stored for drawing (log lines as they enter the buffer, table cells as
//! rows are built).

/// What a neutralised character is shown as: visible, so nothing silently disappears.
pub const PLACEHOLDER: char = '\u{fffd}';

/// Removes ANSI escape sequences (colours are dropped, not interpreted) and replaces every
/// other control character (C0, DEL, C1) and every bidi or invisible format character with
/// a visible placeholder. Tabs become four spaces; a trailing newline is dropped.
pub fn clean(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control introducers (8-bit CSI/OSC) are as dangerous as ESC.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' => out.push_str("    "),
            c if c.is_control() || is_format(c) => out.push(PLACEHOLDER),
            c => out.push(c),
        }
    }
    // Trailing newlines are how loggers end a line; they are not content.
    while out.ends_with(PLACEHOLDER) && message.ends_with(['\n', '\r']) {
        out.pop();
    }
    out
}

/// Unicode format characters (general category Cf) and the line/paragraph separators: bidi
/// embeddings, overrides and isolates (U+202A–202E, U+2066–2069), marks (U+200E/200F,
/// U+061C), zero-width characters, the BOM, interlinear annotation and tag characters.
/// The terminal would apply them (reordering or hiding text) rather than show them.
fn is_format(c: char) -> bool {
    matches!(
        c,
        '\u{00ad}'
            | '\u{0600}'..='\u{0605}'
            | '\u{061c}'
            | '\u{06dd}'
            | '\u{070f}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{2028}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{206f}'
            | '\u{feff}'
            | '\u{fff9}'..='\u{fffb}'
            | '\u{110bd}'
            | '\u{1d173}'..='\u{1d17a}'
            | '\u{e0001}'
            | '\u{e0020}'..='\u{e007f}'
    )
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn skip_escape(chars: &mut Chars) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        // OSC (title, hyperlinks, clipboard), DCS, SOS, PM, APC: a string up to BEL or ST.
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        // A two-character sequence (ESC c = reset, ESC 7/8, ...): drop the second char.
        Some(_) => {
            chars.next();
        }
        None => {}
    }
}

/// CSI: parameters and intermediates, then one final byte in 0x40..=0x7e.
fn skip_csi(chars: &mut Chars) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
    }
}

/// A control string ends with BEL or ST (ESC \ or 0x9c).
fn skip_string(chars: &mut Chars) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::clean;

    #[test]
    fn colours_are_dropped_and_text_kept() {
        assert_eq!(clean("\x1b[31mERROR\x1b[0m boom"), "ERROR boom");
        assert_eq!(clean("\x1b[1;38;5;196mred\x1b[m"), "red");
    }

    #[test]
    fn dangerous_sequences_are_neutralised() {
        let attacks = [
            "\x1b[2J\x1b[Hcleared",                    // clear screen, cursor home
            "\x1b]0;pwned\x07title",                   // window title (OSC, BEL)
            "\x1b]52;c;ZXZpbA==\x1b\\clip",            // clipboard write (OSC 52, ST)
            "\x1b[10Amoved",                           // cursor up
            "\x1bcreset",                              // full reset
            "\u{9b}2Jc1",                              // 8-bit CSI
            "\x1bP+q544e\x1b\\dcs",                    // DCS query
            "\x1b]8;;http://evil\x07link\x1b]8;;\x07", // hyperlink
        ];
        for a in attacks {
            let clean = clean(a);
            assert!(
                !clean.chars().any(|c| c.is_control() || c == '\u{1b}'),
                "{a:?} -> {clean:?}"
            );
        }
        assert_eq!(clean("\x1b]0;pwned\x07title"), "title");
        assert_eq!(clean("\x1b[2J\x1b[Hcleared"), "cleared");
    }

    #[test]
    fn other_controls_become_visible_and_newlines_are_trimmed() {
        assert_eq!(clean("a\rb\x08c\x00d"), "a�b�c�d");
        assert_eq!(clean("line\n"), "line");
        assert_eq!(clean("a\tb"), "a    b");
        assert_eq!(clean("unterminated \x1b["), "unterminated ");
    }

    #[test]
    fn bidi_and_invisible_format_characters_are_shown_not_applied() {
        // "user\u{202e}gpj.exe" would display as "userexe.jpg" in a terminal.
        assert_eq!(clean("user\u{202e}gpj.exe"), "user\u{fffd}gpj.exe");
        for c in [
            '\u{202a}',
            '\u{2066}',
            '\u{2069}',
            '\u{200e}',
            '\u{200b}',
            '\u{feff}',
            '\u{2028}',
            '\u{e0041}',
        ] {
            let out = clean(&format!("a{c}b"));
            assert_eq!(out, "a\u{fffd}b", "{:?}", c);
        }
        // Ordinary non-ASCII text is kept.
        assert_eq!(clean("Überweisung → 東京 ✓"), "Überweisung → 東京 ✓");
    }

    #[test]
    fn names_with_escape_sequences_are_neutralised() {
        assert_eq!(clean("ok\x1b[2Jname\r\n"), "okname");
        assert_eq!(clean("\x1b]0;pwned\x07"), "");
        assert_eq!(clean("a\nb"), "a\u{fffd}b");
    }
}
