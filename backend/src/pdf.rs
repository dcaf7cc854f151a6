//! Documents the force posts or files as PDF (subject access packs,
//! erasure certificates, letters to recipients): A4, DejaVu Sans embedded
//! and subset by krilla (so text copies and extracts exactly), every page
//! footed with a reference and its number.
//!
//! krilla draws lines, not paragraphs, so this module lays text out itself:
//! first into lines on pages (measured with the shaper krilla uses), then
//! onto the pages, once the number of pages is known.

use krilla::Document;
use krilla::geom::Point;
use krilla::page::PageSettings;
use krilla::text::{Font, TextDirection};
use std::sync::LazyLock;

const REGULAR: &[u8] = include_bytes!("../assets/fonts/DejaVuSans.ttf");
const BOLD: &[u8] = include_bytes!("../assets/fonts/DejaVuSans-Bold.ttf");

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 56.0;
const TOP: f32 = MARGIN + 14.0;
const BOTTOM: f32 = HEIGHT - MARGIN - 20.0;

struct Fonts {
    regular: Font,
    bold: Font,
}

static FONTS: LazyLock<Option<Fonts>> = LazyLock::new(|| {
    Some(Fonts {
        regular: Font::new(REGULAR.to_vec().into(), 0)?,
        bold: Font::new(BOLD.to_vec().into(), 0)?,
    })
});

#[derive(Clone, Copy, PartialEq)]
pub enum Weight {
    Regular,
    Bold,
}

struct Line {
    x: f32,
    y: f32,
    size: f32,
    weight: Weight,
    text: String,
}

/// Lines laid out on pages.
pub struct Layout {
    regular: rustybuzz::Face<'static>,
    bold: rustybuzz::Face<'static>,
    pages: Vec<Vec<Line>>,
    pub y: f32,
}

impl Layout {
    pub fn new() -> Option<Self> {
        Some(Self {
            regular: rustybuzz::Face::from_slice(REGULAR, 0)?,
            bold: rustybuzz::Face::from_slice(BOLD, 0)?,
            pages: vec![Vec::new()],
            y: TOP,
        })
    }

    pub fn width(&self, text: &str, size: f32, weight: Weight) -> f32 {
        let face = if weight == Weight::Bold {
            &self.bold
        } else {
            &self.regular
        };
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(face, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        units as f32 * size / face.units_per_em() as f32
    }

    /// Breaks text into lines no wider than `max`, a word too long for a
    /// line (a hash) broken where it must.
    fn wrap(&self, text: &str, size: f32, weight: Weight, max: f32) -> Vec<String> {
        let mut lines = Vec::new();
        for paragraph in text.split('\n') {
            let mut current = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if current.is_empty() {
                    word.to_owned()
                } else {
                    format!("{current} {word}")
                };
                if self.width(&candidate, size, weight) <= max {
                    current = candidate;
                    continue;
                }
                if !current.is_empty() {
                    lines.push(std::mem::take(&mut current));
                }
                let mut piece = String::new();
                for c in word.chars() {
                    piece.push(c);
                    if self.width(&piece, size, weight) > max {
                        piece.pop();
                        lines.push(std::mem::take(&mut piece));
                        piece.push(c);
                    }
                }
                current = piece;
            }
            lines.push(current);
        }
        lines
    }

    pub fn text(&mut self, text: &str, size: f32, weight: Weight, indent: f32, after: f32) {
        let lead = size * 1.35;
        for line in self.wrap(text, size, weight, WIDTH - 2.0 * MARGIN - indent) {
            if self.y + lead > BOTTOM {
                self.pages.push(Vec::new());
                self.y = TOP;
            }
            self.y += lead;
            if let Some(page) = self.pages.last_mut() {
                page.push(Line {
                    x: MARGIN + indent,
                    y: self.y,
                    size,
                    weight,
                    text: line,
                });
            }
        }
        self.y += after;
    }

    pub fn heading(&mut self, text: &str) {
        // Keep a heading with some of what follows it.
        if self.y + 60.0 > BOTTOM {
            self.pages.push(Vec::new());
            self.y = TOP;
        }
        self.y += 8.0;
        self.text(text, 13.0, Weight::Bold, 0.0, 4.0);
    }

    /// The finished document, each page footed with `reference`.
    pub fn finish(self, reference: &str) -> Result<Vec<u8>, String> {
        let fonts = FONTS
            .as_ref()
            .ok_or("the embedded fonts could not be read")?;
        draw(&self, fonts, reference)
    }
}

fn draw(l: &Layout, fonts: &Fonts, reference: &str) -> Result<Vec<u8>, String> {
    let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or("bad page size")?;
    let mut doc = Document::new();
    let count = l.pages.len();
    for (n, lines) in l.pages.iter().enumerate() {
        let mut page = doc.start_page_with(settings.clone());
        let mut surface = page.surface();
        for line in lines {
            let font = if line.weight == Weight::Bold {
                &fonts.bold
            } else {
                &fonts.regular
            };
            surface.draw_text(
                Point::from_xy(line.x, line.y),
                font.clone(),
                line.size,
                &line.text,
                false,
                TextDirection::Auto,
            );
        }
        let footer_y = HEIGHT - MARGIN + 18.0;
        surface.draw_text(
            Point::from_xy(MARGIN, footer_y),
            fonts.regular.clone(),
            8.5,
            &format!("Reference {reference}"),
            false,
            TextDirection::Auto,
        );
        let label = format!("Page {} of {count}", n + 1);
        let x = WIDTH - MARGIN - l.width(&label, 8.5, Weight::Regular);
        surface.draw_text(
            Point::from_xy(x, footer_y),
            fonts.regular.clone(),
            8.5,
            &label,
            false,
            TextDirection::Auto,
        );
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| format!("{e:?}"))
}
