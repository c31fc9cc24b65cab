//! Text from files and the network, made safe for a terminal.
//!
//! Control characters start escape sequences (`ESC ] 0 ; title BEL` retitles a terminal,
//! `ESC [ 2 J` clears it) and bidirectional controls reorder what a line shows; both can
//! come from a hostile map, a file name or a server. Everything argmap writes for people
//! passes through here: messages show such characters as visible escapes (`\u{1b}`), and
//! source snippets replace them with a mark of the same length in bytes, so that every
//! offset into the snippet stays right.

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether a character must not reach a terminal as it is: C0 and C1 controls (tab
/// included: it would misalign the report), DEL, bidirectional overrides and isolates,
/// and invisible format characters.
pub fn is_unsafe(c: char) -> bool {
    c.is_control() || is_invisible_format(c)
}

/// Bidirectional overrides, marks and isolates, zero-width characters and other invisible
/// format characters.
pub fn is_invisible_format(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}' | '\u{2028}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}')
}

/// A string from a file or the network on one line, safe for a terminal and short:
/// unsafe characters (escape sequences start with one) removed, white space collapsed, and
/// the result cut at `max_chars` (with `…`).
pub fn one_line(s: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(s.len().min(max_chars * 4));
    let mut chars = 0;
    let mut pending_space = false;
    for c in s.chars() {
        if c.is_whitespace() {
            pending_space = true;
            continue;
        }
        if is_unsafe(c) {
            continue;
        }
        if chars >= max_chars {
            out.push('…');
            return out;
        }
        if pending_space && !out.is_empty() {
            out.push(' ');
            chars += 1;
        }
        pending_space = false;
        out.push(c);
        chars += 1;
    }
    out
}

/// A line of text for a terminal: every unsafe character (line breaks included) written as
/// a visible escape, `\u{1b}`.
pub fn for_terminal(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 16);
    for c in s.chars() {
        if is_unsafe(c) {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Source text for a snippet: tabs and line breaks (LF, CR LF, and a lone CR, which YAML reads as a
/// line break) are kept as line feeds, and every other unsafe character becomes a mark of
/// the same length in bytes (`?`, `¿` or `�`), so offsets into the text stay valid.
pub fn for_snippet(s: &str) -> Cow<'_, str> {
    let keep = |c: char| c == '\n' || c == '\t' || !(is_unsafe(c) || c == '\r');
    if s.chars().all(keep) {
        return Cow::Borrowed(s);
    }
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    for (i, c) in s.char_indices() {
        match c {
            // A CR before an LF is one line break with it (shown as a space, one byte);
            // a lone CR is a line break of its own.
            '\r' if bytes.get(i + 1) == Some(&b'\n') => out.push(' '),
            '\r' => out.push('\n'),
            c if keep(c) => out.push(c),
            c => out.push(match c.len_utf8() {
                1 => '?',
                2 => '¿',
                _ => '\u{FFFD}',
            }),
        }
    }
    debug_assert_eq!(out.len(), s.len());
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_show_controls_as_escapes() {
        assert_eq!(
            for_terminal("a\u{1b}]0;PWNED\u{7}\u{1b}[2Jb\u{202E}c"),
            "a\\u{1b}]0;PWNED\\u{7}\\u{1b}[2Jb\\u{202e}c"
        );
        assert!(matches!(for_terminal("plain é 中"), Cow::Borrowed(_)));
    }

    #[test]
    fn snippets_keep_their_length_and_line_breaks() {
        let s = "a\u{1b}[2J\r\nb\rc\u{85}d\u{202E}e\tf";
        let out = for_snippet(s);
        assert_eq!(out.len(), s.len());
        assert_eq!(out, "a?[2J \nb\nc¿d\u{FFFD}e\tf");
    }
}
