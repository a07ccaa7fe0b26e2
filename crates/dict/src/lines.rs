//! Line handling shared by every dictionary reader: decoding, comments,
//! `file:line` errors.

use crate::model::DictError;
use std::path::Path;

/// One logical line of a dictionary file: its 1-based number, the text with
/// comments removed and trailing whitespace trimmed (leading whitespace is
/// kept, because indentation is meaningful in actor files).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Line<'a> {
    pub no: usize,
    pub text: &'a str,
}

/// Which comment syntaxes a file uses besides `#`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CommentStyle {
    /// `<!-- ... -->` blocks (PETRARCH validation files), possibly multi-line.
    pub xml: bool,
    /// `;` to end of line (TABARI).
    pub semicolon: bool,
}

/// Splits `content` into non-blank logical lines with comments removed.
pub(crate) fn logical_lines(content: &str, style: CommentStyle) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut in_xml_comment = false;
    for (i, raw) in content.lines().enumerate() {
        let mut text = raw.trim_end_matches(['\r', '\n']);
        if style.xml {
            if in_xml_comment {
                match text.find("-->") {
                    Some(p) => {
                        in_xml_comment = false;
                        text = &text[p + 3..];
                    }
                    None => continue,
                }
            }
            if let Some(p) = text.find("<!--") {
                let before = &text[..p];
                match text[p + 4..].find("-->") {
                    // A comment closed on the same line: keep what precedes it
                    // (what follows is almost always nothing).
                    Some(_) => text = before,
                    None => {
                        in_xml_comment = true;
                        text = before;
                    }
                }
            }
        }
        if let Some(p) = comment_start(text) {
            text = &text[..p];
        }
        if style.semicolon {
            if let Some(p) = text.find(';') {
                text = &text[..p];
            }
        }
        let text = text.trim_end();
        if text.trim_start().is_empty() {
            continue;
        }
        out.push(Line { no: i + 1, text });
    }
    out
}

/// Byte offset of the `#` that starts a comment: the first `#` outside a
/// `[...]` code bracket (TABARI's discard code is `[###]`).
fn comment_start(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in text.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.saturating_sub(1),
            '#' if depth == 0 => return Some(i),
            _ => {}
        }
    }
    None
}

/// Reads a file as text, decoding invalid UTF-8 lossily (several PETRARCH
/// files mix encodings). Returns the text or a `file:0` error.
pub(crate) fn read_text(path: &Path, name: &str) -> Result<String, DictError> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(match String::from_utf8(bytes) {
            Ok(s) => s,
            Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
        }),
        Err(e) => Err(DictError {
            file: name.to_string(),
            line: 0,
            message: format!("cannot read {}: {e}", path.display()),
        }),
    }
}

/// Builds a [`DictError`].
pub(crate) fn err(file: &str, line: usize, message: impl Into<String>) -> DictError {
    DictError {
        file: file.to_string(),
        line,
        message: message.into(),
    }
}

/// `file:line`, the id every loaded entry keeps.
pub(crate) fn id(file: &str, line: usize) -> String {
    format!("{file}:{line}")
}

/// A regular English plural of a lowercase word, as PETRARCH generates them
/// (+s, consonant+y → ies, +es after s/x/z/ch/sh). `None` for words that
/// already look plural (a final single `s`, or `-men`), where PETRARCH would
/// produce forms like `troopss`.
pub(crate) fn plural(word: &str) -> Option<String> {
    let b = word.as_bytes();
    let n = b.len();
    if n < 2 || !b.iter().all(u8::is_ascii_alphabetic) {
        return (n >= 1 && b.iter().all(u8::is_ascii_alphabetic)).then(|| format!("{word}s"));
    }
    if (b[n - 1] == b's' && b[n - 2] != b's') || word.ends_with("men") {
        return None;
    }
    Some(
        if b[n - 1] == b'y' && !matches!(b[n - 2], b'a' | b'e' | b'i' | b'o' | b'u') {
            format!("{}ies", &word[..n - 1])
        } else if word.ends_with("ss")
            || word.ends_with('x')
            || word.ends_with('z')
            || word.ends_with("ch")
            || word.ends_with("sh")
        {
            format!("{word}es")
        } else {
            format!("{word}s")
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_are_removed() {
        let text = "A # c\n\n<!-- one -->\n<!-- two\nthree -->\nB ; t\n  \tC\n";
        let style = CommentStyle {
            xml: true,
            semicolon: true,
        };
        let l = logical_lines(text, style);
        let got: Vec<(usize, &str)> = l.iter().map(|l| (l.no, l.text)).collect();
        assert_eq!(got, vec![(1, "A"), (6, "B"), (7, "  \tC")]);
        let plain = CommentStyle {
            xml: false,
            semicolon: false,
        };
        let l = logical_lines("x;y # z\n- * X [###] # c", plain);
        assert_eq!(l[0].text, "x;y");
        assert_eq!(l[1].text, "- * X [###]");
    }

    #[test]
    fn plurals() {
        let p = |w: &str| plural(w);
        assert_eq!(p("army").as_deref(), Some("armies"));
        assert_eq!(p("key").as_deref(), Some("keys"));
        assert_eq!(p("boss").as_deref(), Some("bosses"));
        assert_eq!(p("church").as_deref(), Some("churches"));
        assert_eq!(p("tie").as_deref(), Some("ties"));
        assert_eq!(p("troops"), None);
        assert_eq!(p("servicemen"), None);
        assert_eq!(p("n't"), None);
    }
}
