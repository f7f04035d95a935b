//! Copying with OSC 52: the terminal itself puts the text on the clipboard. It works over
//! SSH (the escape sequence travels with the screen) and inside tmux when tmux lets
//! programs set the clipboard (`set -g set-clipboard on`). Nothing answers: whether the
//! terminal accepted the text is not knowable, so the status line says what was sent.

use std::io::Write;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

/// Above about this many bytes of escape sequence, tmux and some terminals drop (or cut) a
/// clipboard write: the status line warns when a copy is larger.
pub const LARGE: usize = 100_000;

/// The escape sequence that sets the clipboard to `text`: `ESC ] 52 ; c ; BASE64 BEL`.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", STANDARD.encode(text))
}

/// Writes the sequence to the terminal and flushes it. Called by the app between frames,
/// so it never lands in the middle of a frame's output.
pub fn copy(out: &mut impl Write, text: &str) -> std::io::Result<()> {
    out.write_all(osc52(text).as_bytes())?;
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sequence_is_exactly_osc_52_with_base64_and_bel() {
        assert_eq!(osc52("hello"), "\x1b]52;c;aGVsbG8=\x07");
        let arn = "arn:aws:ecs:eu-west-1:123456789012:service/prod/checkout-api";
        assert_eq!(
            osc52(arn).as_bytes(),
            b"\x1b]52;c;YXJuOmF3czplY3M6ZXUtd2VzdC0xOjEyMzQ1Njc4OTAxMjpzZXJ2aWNlL3Byb2QvY2hlY2tvdXQtYXBp\x07"
        );
        assert_eq!(osc52(""), "\x1b]52;c;\x07");
    }

    #[test]
    fn escape_sequences_in_the_text_cannot_reach_the_terminal() {
        let sequence = osc52("bad\x1b]0;title\x07\n");
        let body = &sequence[7..sequence.len() - 1];
        assert!(
            body.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"+/=".contains(&b))
        );
    }

    #[test]
    fn copy_writes_the_sequence_and_flushes() {
        let mut out: Vec<u8> = Vec::new();
        copy(&mut out, "héllo").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(out, b"\x1b]52;c;aMOpbGxv\x07");
    }
}
