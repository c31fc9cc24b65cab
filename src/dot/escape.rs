//! Escaping for the three kinds of DOT string argmap writes, as Graphviz (checked against
//! Debian's 2.43) reads them:
//!
//! - ids: claim, reference and cluster ids are sanitised to `[A-Za-z0-9._-]` and `%XX`,
//!   so they need no escaping, stay readable (`russia-sco:thesis`) and never collide;
//! - HTML-like labels: `&<>"` become entities, and a backslash is doubled, because
//!   Graphviz expands `\N`, `\G` and friends even in HTML text;
//! - quoted escape strings (`tooltip`): the lexer keeps `\\`, and the tooltip is then
//!   unescaped twice, so a backslash is written as four.
//!
//! Control characters are not allowed in SVG: they are drawn as their Unicode control
//! pictures (`␇`), so they still show up literally.

/// Appends `s` with every byte outside `[A-Za-z0-9._-]` percent-encoded: an injective
/// mapping, so ids built from it with `:`, `@`, `~` or `/` as separators cannot collide.
pub fn push_id_part(out: &mut String, s: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-') {
            out.push(b as char);
        } else {
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xF)] as char);
        }
    }
}

/// What a character becomes when it cannot appear as itself in SVG text.
fn visible(c: char) -> Option<Escaped> {
    match c {
        // C0 controls and DEL have control pictures: U+2400..U+241F and U+2421.
        '\0'..='\u{1F}' => char::from_u32(0x2400 + c as u32).map(Escaped::Char),
        '\u{7F}' => Some(Escaped::Char('\u{2421}')),
        // C1 controls and the noncharacters XML rejects have none.
        '\u{80}'..='\u{9F}' | '\u{FFFE}' | '\u{FFFF}' => Some(Escaped::Char('\u{FFFD}')),
        _ => None,
    }
}

/// The replacement of a character that cannot be written as itself.
enum Escaped {
    Str(&'static str),
    Char(char),
}

/// Appends `s` with the characters `escape` maps (given the byte after them) replaced.
/// Runs of ordinary characters are copied whole: labels and tooltips are most of a
/// diagram.
fn push_escaped(out: &mut String, s: &str, escape: impl Fn(char, Option<u8>) -> Option<Escaped>) {
    let mut run = 0;
    for (i, c) in s.char_indices() {
        let Some(escaped) = escape(c, s.as_bytes().get(i + c.len_utf8()).copied()) else {
            continue;
        };
        out.push_str(&s[run..i]);
        match escaped {
            Escaped::Str(text) => out.push_str(text),
            Escaped::Char(c) => out.push(c),
        }
        run = i + c.len_utf8();
    }
    out.push_str(&s[run..]);
}

/// Appends `s` as text of an HTML-like label.
pub fn push_html(out: &mut String, s: &str) {
    push_escaped(out, s, |c, _| match c {
        '&' => Some(Escaped::Str("&amp;")),
        '<' => Some(Escaped::Str("&lt;")),
        '>' => Some(Escaped::Str("&gt;")),
        '"' => Some(Escaped::Str("&quot;")),
        '\\' => Some(Escaped::Str("\\\\")),
        _ => visible(c),
    });
}

/// Appends `s` as the inside of a quoted `tooltip` (line breaks kept).
///
/// `&` is written as an entity because Graphviz passes entities through to the SVG
/// unescaped: a literal `&amp;` in a claim would otherwise show as `&`.
pub fn push_tooltip(out: &mut String, s: &str) {
    // Graphviz's scanner fails on a quoted string much over 16 KiB: a tooltip's parts
    // (text, quote, map, id) are cut well short of that together.
    let (s, cut) = cut(s, TOOLTIP_CHARS);
    push_escaped(out, s, |c, next| match c {
        '"' => Some(Escaped::Str("\\\"")),
        '\\' => Some(Escaped::Str("\\\\\\\\")),
        '&' => Some(Escaped::Str("&amp;")),
        '\n' => Some(Escaped::Str("\\n")),
        '\r' if next == Some(b'\n') => Some(Escaped::Str("")),
        '\r' => Some(Escaped::Str("\\n")),
        '\t' => Some(Escaped::Char(' ')),
        _ => visible(c),
    });
    if cut {
        out.push('…');
    }
}

/// The most characters of one part of a tooltip.
const TOOLTIP_CHARS: usize = 500;

/// `s` cut after `max` characters, and whether it was.
pub fn cut(s: &str, max: usize) -> (&str, bool) {
    match s.char_indices().nth(max) {
        Some((i, _)) => (&s[..i], true),
        None => (s, false),
    }
}

/// Appends a URL, percent-encoding what may not appear raw in one (spaces, quotes,
/// backslashes, controls, non-ASCII), and `&` as an entity for the same reason as in
/// [`push_tooltip`].
pub fn push_url(out: &mut String, url: &str) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    for &b in url.as_bytes() {
        match b {
            b'&' => out.push_str("&amp;"),
            b'!'
            | b'#'..=b'%'
            | b'\''..=b';'
            | b'='
            | b'?'..=b'['
            | b']'
            | b'_'
            | b'a'..=b'z'
            | b'~' => out.push(b as char),
            _ => {
                out.push('%');
                out.push(HEX[usize::from(b >> 4)] as char);
                out.push(HEX[usize::from(b & 0xF)] as char);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(f: fn(&mut String, &str), s: &str) -> String {
        let mut out = String::new();
        f(&mut out, s);
        out
    }

    #[test]
    fn ids_keep_plain_names_and_encode_everything_else() {
        assert_eq!(with(push_id_part, "russia-sco"), "russia-sco");
        assert_eq!(
            with(push_id_part, "a:b \"c\"\\é"),
            "a%3Ab%20%22c%22%5C%C3%A9"
        );
        // `%` itself is encoded, which makes the mapping injective.
        assert_ne!(with(push_id_part, "%3A"), with(push_id_part, ":"));
    }

    #[test]
    fn html_text_escapes_markup_backslashes_and_controls() {
        assert_eq!(
            with(push_html, r#"<b>"x" & \N"#),
            r#"&lt;b&gt;&quot;x&quot; &amp; \\N"#
        );
        assert_eq!(
            with(push_html, "bell\u{7} del\u{7F} c1\u{85}"),
            "bell\u{2407} del\u{2421} c1\u{FFFD}"
        );
        assert_eq!(
            with(push_html, "ünï 日本 {x} [y] |z|"),
            "ünï 日本 {x} [y] |z|"
        );
    }

    #[test]
    fn tooltips_escape_quotes_backslashes_and_line_breaks() {
        assert_eq!(with(push_tooltip, r#"say "hi" \N"#), r#"say \"hi\" \\\\N"#);
        assert_eq!(with(push_tooltip, "a\r\nb\rc\nd\te"), "a\\nb\\nc\\nd e");
        assert_eq!(with(push_tooltip, "&amp; \u{1}"), "&amp;amp; \u{2401}");
    }

    #[test]
    fn urls_are_percent_encoded_where_needed() {
        assert_eq!(
            with(push_url, "https://doi.org/10.1000/a(b)?x=1&y=ü \"\\"),
            "https://doi.org/10.1000/a(b)?x=1&amp;y=%C3%BC%20%22%5C"
        );
    }
}
