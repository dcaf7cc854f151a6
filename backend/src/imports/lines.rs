//! Splits a byte stream into numbered lines without holding more than one
//! partial line.

use super::{MAX_LINE_BYTES, RawLine};

#[derive(Default)]
pub struct LineSplitter {
    partial: Vec<u8>,
    number: u64,
    /// The current line outgrew the limit: skip to its end.
    overlong: bool,
}

/// What the splitter found: a line, or a line too long to keep.
pub enum Piece {
    Line(RawLine),
    TooLong(u64),
}

impl LineSplitter {
    /// Feeds a chunk; complete lines (blank ones skipped) come out.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<Piece>) {
        let mut rest = chunk;
        while let Some(at) = rest.iter().position(|b| *b == b'\n') {
            self.push(&rest[..at]);
            self.end_line(out);
            rest = &rest[at + 1..];
        }
        self.push(rest);
    }

    /// The last line, if the upload did not end with a newline.
    pub fn finish(&mut self, out: &mut Vec<Piece>) {
        if !self.partial.is_empty() || self.overlong {
            self.end_line(out);
        }
    }

    fn push(&mut self, bytes: &[u8]) {
        if self.overlong {
            return;
        }
        if self.partial.len() + bytes.len() > MAX_LINE_BYTES {
            self.overlong = true;
            self.partial = Vec::new();
        } else {
            self.partial.extend_from_slice(bytes);
        }
    }

    fn end_line(&mut self, out: &mut Vec<Piece>) {
        self.number += 1;
        if std::mem::take(&mut self.overlong) {
            out.push(Piece::TooLong(self.number));
            return;
        }
        let bytes = std::mem::take(&mut self.partial);
        if bytes.iter().any(|b| !b.is_ascii_whitespace()) {
            out.push(Piece::Line(RawLine {
                number: self.number,
                bytes,
            }));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(chunks: &[&[u8]]) -> Vec<(u64, String)> {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for c in chunks {
            s.feed(c, &mut out);
        }
        s.finish(&mut out);
        out.into_iter()
            .map(|p| match p {
                Piece::Line(l) => (l.number, String::from_utf8(l.bytes).unwrap()),
                Piece::TooLong(n) => (n, "<too long>".to_owned()),
            })
            .collect()
    }

    #[test]
    fn lines_split_across_chunks_keep_their_numbers_and_blank_lines_count() {
        assert_eq!(
            lines(&[b"{\"a\"", b":1}\n\n{\"b\":2}\n{\"c\"", b":3}"]),
            [
                (1, "{\"a\":1}".to_owned()),
                (3, "{\"b\":2}".to_owned()),
                (4, "{\"c\":3}".to_owned())
            ]
        );
    }

    #[test]
    fn an_overlong_line_is_reported_alone() {
        let long = vec![b'x'; MAX_LINE_BYTES + 1];
        let got = lines(&[b"{}\n", &long, b"\n{}\n"]);
        assert_eq!(got[1], (2, "<too long>".to_owned()));
        assert_eq!(got[2].0, 3);
    }
}
