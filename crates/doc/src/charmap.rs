//! Byte ↔ character (Unicode scalar) offset conversion for the JSON contract.

use crate::Span;

/// Maps byte offsets of a text to character offsets. Built once per document.
#[derive(Debug, Clone)]
pub struct CharMap {
    /// `starts[k]` = byte offset of character `k`; a final entry = text length.
    starts: Vec<u32>,
    ascii: bool,
}

impl CharMap {
    pub fn new(text: &str) -> CharMap {
        if text.is_ascii() {
            return CharMap {
                starts: vec![text.len() as u32],
                ascii: true,
            };
        }
        let mut starts: Vec<u32> = text.char_indices().map(|(b, _)| b as u32).collect();
        starts.push(text.len() as u32);
        CharMap {
            starts,
            ascii: false,
        }
    }

    /// Character offset of a byte offset. A byte offset inside a character maps
    /// to that character's start.
    pub fn char_of(&self, byte: u32) -> usize {
        if self.ascii {
            return byte.min(self.starts[0]) as usize;
        }
        match self.starts.binary_search(&byte) {
            Ok(k) => k,
            Err(k) => k.saturating_sub(1),
        }
    }

    /// Byte offset of a character offset (clamped to the text length).
    pub fn byte_of(&self, ch: usize) -> u32 {
        if self.ascii {
            return (ch as u32).min(self.starts[0]);
        }
        self.starts[ch.min(self.starts.len() - 1)]
    }

    /// `(start, end)` in characters for a byte span.
    pub fn chars(&self, span: Span) -> (usize, usize) {
        (self.char_of(span.start), self.char_of(span.end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_multibyte_text() {
        let t = "Bogotá (Reuters) – Petro";
        let m = CharMap::new(t);
        let b = t.find("Petro").unwrap();
        assert_eq!(m.char_of(b as u32), t[..b].chars().count());
        assert_eq!(m.byte_of(m.char_of(b as u32)), b as u32);
        assert_eq!(m.chars(Span::new(0, 7)), (0, 6));
    }

    #[test]
    fn ascii_fast_path() {
        let m = CharMap::new("abc");
        assert_eq!(m.chars(Span::new(1, 3)), (1, 3));
        assert_eq!(m.byte_of(10), 3);
    }
}
