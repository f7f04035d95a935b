//! Properties over many generated inputs (a seeded generator, so a failure reproduces):
//! random keys through `update` on the demo fleet never panic and never empty the view
//! stack; arbitrary bytes as config, theme and key names never panic; arbitrary text never
//! reaches the terminal with ESC, C1 or bidi controls in it.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use ecsdeck::backend::Connection;
use ecsdeck::backend::demo::{DemoBackend, DemoFleet};
use ecsdeck::config::Config;
use ecsdeck::config::theme::Theme;
use ecsdeck::domain::text::clean;
use ecsdeck::keymap::{KeyChord, Keymap};
use ecsdeck::msg::Msg;
use ecsdeck::state::UiState;
use ecsdeck::store::Store;

/// SplitMix64: small, seeded, good enough to spread inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }
}

/// Keys a user could press: every bound key and then some.
fn random_key(rng: &mut Rng) -> KeyEvent {
    const CHARS: &[char] = &[
        'j', 'k', 'g', 'G', 'q', 'd', 't', 's', 'r', 'R', 'x', 'l', 'm', 'e', 'h', '/', ':', '?',
        'y', 'n', 'N', 'w', 'F', 'J', 'c', '0', '3', '6', ' ', '>', '<', 'o', 'a', 'z', '!', '5',
    ];
    const SPECIAL: &[KeyCode] = &[
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Backspace,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Tab,
    ];
    match rng.below(10) {
        0..=6 => KeyEvent::new(KeyCode::Char(rng.pick(CHARS)), KeyModifiers::NONE),
        7 | 8 => KeyEvent::new(rng.pick(SPECIAL), KeyModifiers::NONE),
        // ctrl-r, ctrl-k, ctrl-s, ctrl-b, ctrl-f (never ctrl-c: it would only quit).
        _ => KeyEvent::new(
            KeyCode::Char(rng.pick(&['r', 'k', 's', 'b', 'f'])),
            KeyModifiers::CONTROL,
        ),
    }
}

#[tokio::test]
async fn random_keys_on_the_demo_fleet_never_panic_and_never_empty_the_stack() {
    let now = chrono::DateTime::<chrono::Utc>::from_timestamp(1_795_000_000, 0).unwrap_or_default();
    let backend = DemoBackend::from_fleet(DemoFleet::generate(3, now));
    let mut rng = Rng(0x00ec_5dec);
    for _ in 0..40 {
        let mut store = Store::default();
        let mut ui = UiState::new(Connection::default(), Keymap::default(), now);
        for step in 0..150 {
            // Feed what the screen asks for, as the poller would.
            if step % 10 == 0 {
                for resource in ui.focus(&store) {
                    let result = ecsdeck::poller::fetch_resource(&backend, &resource).await;
                    ecsdeck::update::update(
                        &mut store,
                        &mut ui,
                        Msg::Fetched {
                            resource,
                            result,
                            at: now,
                        },
                    );
                }
            }
            let commands =
                ecsdeck::update::update(&mut store, &mut ui, Msg::Key(random_key(&mut rng)));
            assert!(!ui.stack.is_empty());
            // Rows and selection stay consistent whatever was pressed.
            let _ = ui.selected_key(&store);
            if commands.contains(&ecsdeck::msg::Command::Quit) {
                break;
            }
        }
    }
}

/// Arbitrary bytes, biased towards the characters config and theme files are made of.
fn random_text(rng: &mut Rng, max: usize) -> String {
    const PIECES: &[&str] = &[
        "[",
        "]",
        "=",
        "\"",
        "'",
        "\n",
        "keys",
        "theme",
        "read_only",
        "true",
        "profiles.",
        "x",
        "ctrl-",
        "alt-",
        "shift-",
        "#ff00ff",
        "refresh",
        "{",
        "}",
        ",",
        " ",
        "\u{0}",
        "\u{1b}",
        "é",
        "9999999999999999999999",
        "-1",
        "[[",
        "]]",
        "\\",
        "\u{202e}",
    ];
    let mut out = String::new();
    for _ in 0..rng.below(max) {
        if rng.below(4) == 0 {
            let byte = (rng.next() & 0xff) as u8;
            out.push_str(&String::from_utf8_lossy(&[byte]));
        } else {
            out.push_str(rng.pick(PIECES));
        }
    }
    out
}

#[test]
fn arbitrary_config_theme_and_key_text_never_panics() {
    let mut rng = Rng(42);
    for _ in 0..3_000 {
        let text = random_text(&mut rng, 40);
        let config = Config::parse(&text, "fuzz.toml");
        // Whatever it says, a file that is not understood never turns read-only off.
        if config.unreadable.is_some() {
            assert!(config.read_only_for(None));
        }
        let _ = Theme::parse(&text, "fuzz-theme.toml");
        let _ = KeyChord::parse(&text);
        let keys = format!(
            "[keys]\n{} = \"{}\"\n",
            random_text(&mut rng, 4),
            random_text(&mut rng, 4)
        );
        let _ = Config::parse(&keys, "fuzz-keys.toml");
    }
}

/// Characters that must never reach the terminal from untrusted text.
fn forbidden(c: char) -> bool {
    c == '\u{1b}'
        || c.is_control()
        || ('\u{80}'..='\u{9f}').contains(&c)
        || ('\u{202a}'..='\u{202e}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
        || matches!(
            c,
            '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{200b}'..='\u{200d}' | '\u{feff}'
        )
}

#[test]
fn arbitrary_log_lines_never_carry_escape_c1_or_bidi_controls() {
    let mut rng = Rng(7);
    let alphabet: Vec<char> = (0u32..0x300)
        .chain(0x2000..0x2070)
        .chain([0xfeff, 0x061c, 0x1f600, 0xe0041])
        .filter_map(char::from_u32)
        .collect();
    for _ in 0..20_000 {
        let line: String = (0..rng.below(60)).map(|_| rng.pick(&alphabet)).collect();
        let shown = clean(&line);
        assert!(!shown.chars().any(forbidden), "{line:?} -> {shown:?}");
    }
}
