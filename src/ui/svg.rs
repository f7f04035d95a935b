//! A drawn frame as an SVG image: the README's screenshots are rendered by the product itself
//! (through ratatui's `TestBackend`), so they cannot drift from what the dashboard draws.
//!
//! Every cell keeps its column: each run of same-styled cells is one `<text>` whose glyphs
//! get an explicit `x` each, so box-drawing and braille line up whatever font the viewer
//! substitutes. Backgrounds are rectangles per run. The output depends only on the buffer
//! and the canvas (numbers are written from integers), so the same frame gives the same bytes.

use std::fmt::Write as _;

use ratatui::buffer::{Buffer, Cell};
use ratatui::style::{Color, Modifier};

/// A cell's width in tenths of a pixel (8.4 px: DejaVu Sans Mono's advance at 14 px).
const CELL_WIDTH_TENTHS: u32 = 84;
/// A row's height in pixels.
const LINE_HEIGHT: u32 = 16;
/// Where the baseline sits below a row's top, in pixels.
const BASELINE: u32 = 13;
const FONT_SIZE: u32 = 14;
/// The margin around the terminal, in pixels.
const PADDING: u32 = 12;
const FONT_FAMILY: &str = "DejaVu Sans Mono, Menlo, Consolas, monospace";

/// What the terminal itself would supply: the colours `Color::Reset` stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Canvas {
    /// The default text colour (a theme's `text`).
    pub foreground: Color,
    /// The terminal's background (themes have no role for it: the terminal owns it).
    pub background: Color,
}

/// The look of one cell, as drawn: colours resolved, reverse video applied.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Look {
    fill: String,
    background: String,
    bold: bool,
    dim: bool,
    italic: bool,
    underline: bool,
    crossed: bool,
    hidden: bool,
}

impl Look {
    fn of(cell: &Cell, canvas: &Canvas) -> Look {
        let mut fill = hex(cell.fg, canvas.foreground);
        let mut background = hex(cell.bg, canvas.background);
        let m = cell.modifier;
        if m.contains(Modifier::REVERSED) {
            std::mem::swap(&mut fill, &mut background);
        }
        Look {
            fill,
            background,
            bold: m.contains(Modifier::BOLD),
            dim: m.contains(Modifier::DIM),
            italic: m.contains(Modifier::ITALIC),
            underline: m.contains(Modifier::UNDERLINED),
            crossed: m.contains(Modifier::CROSSED_OUT),
            hidden: m.contains(Modifier::HIDDEN),
        }
    }

    /// The `<text>` attributes beyond position.
    fn text_attributes(&self) -> String {
        let mut out = format!(" fill=\"{}\"", self.fill);
        if self.bold {
            out.push_str(" font-weight=\"bold\"");
        }
        if self.italic {
            out.push_str(" font-style=\"italic\"");
        }
        if self.dim {
            out.push_str(" fill-opacity=\"0.6\"");
        }
        match (self.underline, self.crossed) {
            (true, true) => out.push_str(" text-decoration=\"underline line-through\""),
            (true, false) => out.push_str(" text-decoration=\"underline\""),
            (false, true) => out.push_str(" text-decoration=\"line-through\""),
            (false, false) => {}
        }
        out
    }
}

/// A pixel position from tenths, written without float formatting (`25.2`, `16`).
fn pixels(tenths: u32) -> String {
    match tenths % 10 {
        0 => (tenths / 10).to_string(),
        rest => format!("{}.{rest}", tenths / 10),
    }
}

fn cell_x(column: u16) -> String {
    pixels(PADDING * 10 + u32::from(column) * CELL_WIDTH_TENTHS)
}

/// The whole buffer as a standalone SVG document.
pub fn to_svg(buffer: &Buffer, canvas: &Canvas) -> String {
    let area = buffer.area;
    let width = pixels(PADDING * 20 + u32::from(area.width) * CELL_WIDTH_TENTHS);
    let height = PADDING * 2 + u32::from(area.height) * LINE_HEIGHT;
    let background = hex(canvas.background, Color::Black);
    let mut rects = String::new();
    let mut texts = String::new();
    for row in 0..area.height {
        let cells: Vec<&Cell> = (0..area.width)
            .filter_map(|column| buffer.cell((area.x + column, area.y + row)))
            .collect();
        let looks: Vec<Look> = cells.iter().map(|c| Look::of(c, canvas)).collect();
        write_backgrounds(&mut rects, row, &looks, &background);
        write_texts(&mut texts, row, &cells, &looks);
    }
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"{FONT_FAMILY}\" \
         font-size=\"{FONT_SIZE}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"{background}\"/>\n\
         <g shape-rendering=\"crispEdges\">\n{rects}</g>\n\
         <g xml:space=\"preserve\">\n{texts}</g>\n</svg>\n"
    )
}

/// One rectangle per run of cells whose background is not the canvas's.
fn write_backgrounds(out: &mut String, row: u16, looks: &[Look], canvas: &str) {
    let y = PADDING + u32::from(row) * LINE_HEIGHT;
    let mut column = 0;
    while column < looks.len() {
        let colour = &looks[column].background;
        let run = looks[column..]
            .iter()
            .take_while(|l| &l.background == colour)
            .count();
        if colour != canvas {
            let _ = writeln!(
                out,
                "<rect x=\"{}\" y=\"{y}\" width=\"{}\" height=\"{LINE_HEIGHT}\" fill=\"{colour}\"/>",
                cell_x(column as u16),
                pixels(run as u32 * CELL_WIDTH_TENTHS),
            );
        }
        column += run;
    }
}

/// One `<text>` per run of same-looking cells, each glyph at its cell's x. Blank cells are
/// left out (their positions are explicit anyway); a cell holding more than one character
/// (a base and its combining marks) gets a `<text>` of its own so the marks stay on it.
fn write_texts(out: &mut String, row: u16, cells: &[&Cell], looks: &[Look]) {
    let y = PADDING + u32::from(row) * LINE_HEIGHT + BASELINE;
    let mut column = 0;
    while column < cells.len() {
        let look = &looks[column];
        let single = |c: &Cell| c.symbol().chars().count() <= 1;
        let run = if single(cells[column]) {
            (column..cells.len())
                .take_while(|&i| &looks[i] == look && single(cells[i]))
                .count()
        } else {
            1
        };
        if !look.hidden {
            write_run(out, y, column, &cells[column..column + run], look);
        }
        column += run;
    }
}

fn write_run(out: &mut String, y: u32, first: usize, cells: &[&Cell], look: &Look) {
    let mut xs = Vec::new();
    let mut text = String::new();
    for (offset, cell) in cells.iter().enumerate() {
        let symbol = cell.symbol();
        if symbol.is_empty() || (symbol == " " && !look.underline) {
            continue;
        }
        xs.push(cell_x((first + offset) as u16));
        escape_into(&mut text, symbol);
    }
    if xs.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<text x=\"{}\" y=\"{y}\"{}>{text}</text>",
        xs.join(" "),
        look.text_attributes()
    );
}

/// XML-escapes text; characters XML 1.0 cannot carry (controls) become U+FFFD.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => out.push('\u{fffd}'),
            c => out.push(c),
        }
    }
}

/// `#rrggbb` for a colour; `Reset` is `default` (itself never `Reset` in practice).
pub fn hex(color: Color, default: Color) -> String {
    let (r, g, b) = rgb(color).or_else(|| rgb(default)).unwrap_or((0, 0, 0));
    format!("#{r:02x}{g:02x}{b:02x}")
}

/// The 16 named colours as a modern terminal shows them (VS Code's palette).
fn rgb(color: Color) -> Option<(u8, u8, u8)> {
    Some(match color {
        Color::Reset => return None,
        Color::Rgb(r, g, b) => (r, g, b),
        Color::Indexed(i) => return Some(indexed(i)),
        Color::Black => (0x00, 0x00, 0x00),
        Color::Red => (0xcd, 0x31, 0x31),
        Color::Green => (0x0d, 0xbc, 0x79),
        Color::Yellow => (0xe5, 0xe5, 0x10),
        Color::Blue => (0x24, 0x72, 0xc8),
        Color::Magenta => (0xbc, 0x3f, 0xbc),
        Color::Cyan => (0x11, 0xa8, 0xcd),
        Color::Gray => (0xe5, 0xe5, 0xe5),
        Color::DarkGray => (0x66, 0x66, 0x66),
        Color::LightRed => (0xf1, 0x4c, 0x4c),
        Color::LightGreen => (0x23, 0xd1, 0x8b),
        Color::LightYellow => (0xf5, 0xf5, 0x43),
        Color::LightBlue => (0x3b, 0x8e, 0xea),
        Color::LightMagenta => (0xd6, 0x70, 0xd6),
        Color::LightCyan => (0x29, 0xb8, 0xdb),
        Color::White => (0xff, 0xff, 0xff),
    })
}

/// xterm's 256-colour palette: the 16 named colours, a 6×6×6 cube, then 24 greys.
fn indexed(i: u8) -> (u8, u8, u8) {
    const NAMED: [Color; 16] = [
        Color::Black,
        Color::Red,
        Color::Green,
        Color::Yellow,
        Color::Blue,
        Color::Magenta,
        Color::Cyan,
        Color::Gray,
        Color::DarkGray,
        Color::LightRed,
        Color::LightGreen,
        Color::LightYellow,
        Color::LightBlue,
        Color::LightMagenta,
        Color::LightCyan,
        Color::White,
    ];
    match i {
        0..=15 => rgb(NAMED[usize::from(i)]).unwrap_or((0, 0, 0)),
        16..=231 => {
            let level = |v: u8| if v == 0 { 0 } else { 55 + v * 40 };
            let n = i - 16;
            (level(n / 36), level(n / 6 % 6), level(n % 6))
        }
        _ => {
            let grey = 8 + (i - 232) * 10;
            (grey, grey, grey)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    const CANVAS: Canvas = Canvas {
        foreground: Color::Rgb(0xd8, 0xde, 0xe9),
        background: Color::Rgb(0x22, 0x26, 0x30),
    };

    #[test]
    fn colours_resolve_to_hex() {
        assert_eq!(hex(Color::Rgb(1, 2, 255), Color::Black), "#0102ff");
        assert_eq!(hex(Color::Reset, Color::Rgb(9, 9, 9)), "#090909");
        assert_eq!(hex(Color::Indexed(196), Color::Black), "#ff0000");
        assert_eq!(hex(Color::Indexed(232), Color::Black), "#080808");
        assert_eq!(
            hex(Color::Indexed(9), Color::Black),
            hex(Color::LightRed, Color::Black)
        );
    }

    #[test]
    fn runs_keep_their_columns_and_text_is_escaped() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 6, 1));
        buffer.set_string(0, 0, "a<&", Style::default());
        buffer.set_string(4, 0, "│⣿", Style::default().bg(Color::Rgb(1, 1, 1)));
        let svg = to_svg(&buffer, &CANVAS);
        assert!(svg.contains(">a&lt;&amp;</text>"), "{svg}");
        assert!(svg.contains("x=\"12 20.4 28.8\""), "{svg}");
        assert!(svg.contains("x=\"45.6 54\""), "{svg}");
        assert!(
            svg.contains("width=\"16.8\" height=\"16\" fill=\"#010101\""),
            "{svg}"
        );
        assert_eq!(svg, to_svg(&buffer, &CANVAS), "same buffer, same bytes");
    }

    #[test]
    fn reverse_video_swaps_the_colours_and_bold_is_kept() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 2, 1));
        let style = Style::default()
            .fg(Color::Rgb(0xff, 0, 0))
            .add_modifier(Modifier::REVERSED | Modifier::BOLD);
        buffer.set_string(0, 0, "x", style);
        let svg = to_svg(&buffer, &CANVAS);
        assert!(
            svg.contains("fill=\"#222630\" font-weight=\"bold\">x<"),
            "{svg}"
        );
        assert!(svg.contains("fill=\"#ff0000\"/>"), "{svg}");
    }
}
