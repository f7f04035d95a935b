//! Log messages are untrusted: an application (or an attacker who controls a request that
//! gets logged) can write escape sequences that would move the cursor, retitle the window,
//! clear the screen or worse. Every message is neutralised once, when it enters the buffer.

/// Removes ANSI escape sequences (colours are dropped, not interpreted) and replaces every
/// other control character with a visible placeholder. Tabs become spaces.
pub fn neutralise(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut chars = message.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            // C1 control introducers (8-bit CSI/OSC) are as dangerous as ESC.
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' => out.push_str("    "),
            c if c.is_control() => out.push('�'),
            c => out.push(c),
        }
    }
    // Trailing newlines are how loggers end a line; they are not content.
    while out.ends_with('�') && message.ends_with(['\n', '\r']) {
        out.pop();
    }
    out
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
    use super::neutralise;

    #[test]
    fn colours_are_dropped_and_text_kept() {
        assert_eq!(neutralise("\x1b[31mERROR\x1b[0m boom"), "ERROR boom");
        assert_eq!(neutralise("\x1b[1;38;5;196mred\x1b[m"), "red");
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
            let clean = neutralise(a);
            assert!(
                !clean.chars().any(|c| c.is_control() || c == '\u{1b}'),
                "{a:?} -> {clean:?}"
            );
        }
        assert_eq!(neutralise("\x1b]0;pwned\x07title"), "title");
        assert_eq!(neutralise("\x1b[2J\x1b[Hcleared"), "cleared");
    }

    #[test]
    fn other_controls_become_visible_and_newlines_are_trimmed() {
        assert_eq!(neutralise("a\rb\x08c\x00d"), "a�b�c�d");
        assert_eq!(neutralise("line\n"), "line");
        assert_eq!(neutralise("a\tb"), "a    b");
        assert_eq!(neutralise("unterminated \x1b["), "unterminated ");
    }
}
