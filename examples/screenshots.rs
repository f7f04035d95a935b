//! Writes the README's screenshots: `cargo run --example screenshots` renders every scene of
//! `ecsdeck::screenshots` (the demo fleet at a fixed seed and clock) into `screenshots/` as
//! SVG, and rasterises each SVG to PNG with resvg (pure Rust, no browser) for places that
//! do not show SVG. The SVGs are what the test compares; the PNGs follow from them.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use resvg::{tiny_skia, usvg};

/// The monospace fonts the SVGs ask for, in their order, then whatever the system has.
const FONTS: [&str; 3] = ["DejaVu Sans Mono", "Menlo", "Consolas"];
/// PNGs are drawn at twice the SVG's size, so text stays sharp on high-density screens.
const PNG_SCALE: f32 = 2.0;

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots");
    std::fs::create_dir_all(&dir)
        .map_err(|e| format!("Could not create {}: {e}.", dir.display()))?;
    let options = options()?;
    for shot in ecsdeck::screenshots::render_all()? {
        let svg = dir.join(format!("{}.svg", shot.name));
        write(&svg, shot.svg.as_bytes())?;
        let png = dir.join(format!("{}.png", shot.name));
        write(&png, &rasterise(&shot.svg, &options)?)?;
        println!("{} and {}", svg.display(), png.display());
    }
    Ok(())
}

fn write(path: &PathBuf, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("Could not write {}: {e}.", path.display()))
}

/// The system's fonts, with `monospace` pointing at the first of [`FONTS`] installed (or at
/// any monospaced face). Without one the box drawing would not line up: refuse.
fn options() -> Result<usvg::Options<'static>, String> {
    let mut options = usvg::Options::default();
    let fonts = options.fontdb_mut();
    fonts.load_system_fonts();
    let installed = |name: &str| {
        fonts.faces().any(|face| {
            face.families
                .iter()
                .any(|(family, _)| family.eq_ignore_ascii_case(name))
        })
    };
    let chosen = FONTS
        .iter()
        .find(|name| installed(name))
        .map(|name| name.to_string());
    let monospace = match chosen {
        Some(name) => name,
        None => {
            let any = fonts
                .faces()
                .find(|face| face.monospaced)
                .and_then(|face| face.families.first())
                .map(|(family, _)| family.clone())
                .ok_or(
                    "No monospace font found: install DejaVu Sans Mono (Debian/Ubuntu: \
                     apt install fonts-dejavu-core) and run this again.",
                )?;
            eprintln!(
                "DejaVu Sans Mono is not installed; using {any} (box drawing or braille may \
                 be missing: apt install fonts-dejavu-core)."
            );
            any
        }
    };
    fonts.set_monospace_family(monospace);
    Ok(options)
}

fn rasterise(svg: &str, options: &usvg::Options) -> Result<Vec<u8>, String> {
    let tree = usvg::Tree::from_str(svg, options).map_err(|e| format!("SVG not readable: {e}"))?;
    let size = tree
        .size()
        .to_int_size()
        .scale_by(PNG_SCALE)
        .ok_or("empty image")?;
    let mut pixmap =
        tiny_skia::Pixmap::new(size.width(), size.height()).ok_or("image too large")?;
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(PNG_SCALE, PNG_SCALE),
        &mut pixmap.as_mut(),
    );
    pixmap
        .encode_png()
        .map_err(|e| format!("PNG encoding: {e}"))
}
