//! Text from the network: making it safe to print, and reducing it to what compares.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

pub use crate::sanitize::one_line as sanitize;

/// Reduces a title or a name to what two spellings of it share: HTML entities decoded,
/// markup removed, diacritics dropped, lower case, letters and digits only, single spaces.
/// `&` counts as `and`; apostrophes join (`Russia's` is `russias`).
pub fn normalize(s: &str) -> String {
    let plain = strip_tags(&decode_entities(s)).replace('&', " and ");
    let mut out = String::with_capacity(plain.len());
    let mut gap = false;
    for c in plain.nfkd().flat_map(char::to_lowercase) {
        if is_combining_mark(c) || matches!(c, '\'' | '’' | 'ʼ' | '`') {
            continue;
        }
        if c.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(c);
        } else {
            gap = true;
        }
    }
    out
}

/// Decodes numeric character references and the named entities that occur in titles.
/// Accented-letter entities (`&eacute;`) decode to the bare letter: diacritics are dropped
/// when comparing anyway. Unknown entities are kept as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let decoded = after
            .find(';')
            .filter(|&end| end > 0 && end <= 32)
            .and_then(|end| entity(&after[..end]).map(|text| (text, end)));
        match decoded {
            Some((text, end)) => {
                out.push_str(&text);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

fn entity(name: &str) -> Option<String> {
    if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        return char::from_u32(code).map(String::from);
    }
    let fixed = match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" | "rsquo" | "lsquo" => "'",
        "ldquo" | "rdquo" | "laquo" | "raquo" => "\"",
        "nbsp" | "ensp" | "emsp" | "thinsp" | "shy" => " ",
        "ndash" | "mdash" | "minus" => "-",
        "hellip" => "...",
        "szlig" => "ss",
        _ => "",
    };
    if !fixed.is_empty() {
        return Some(fixed.to_owned());
    }
    // `&eacute;`, `&Ouml;`, `&ccedil;`: a letter and the name of its accent.
    const ACCENTS: [&str; 8] = [
        "acute", "grave", "uml", "circ", "tilde", "cedil", "ring", "slash",
    ];
    let mut chars = name.chars();
    let letter = chars.next().filter(char::is_ascii_alphabetic)?;
    ACCENTS
        .contains(&chars.as_str())
        .then(|| letter.to_string())
}

/// Removes markup tags (`<i>`, `</sub>`, `<jats:p>`, `<scp>`), keeping their content.
/// A `<` that does not open a tag (`a < b`) is kept.
pub fn strip_tags(s: &str) -> String {
    if !s.contains('<') {
        return s.to_owned();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        let after = &rest[lt + 1..];
        let name = after.strip_prefix('/').unwrap_or(after);
        let is_tag = name.starts_with(|c: char| c.is_ascii_alphabetic());
        match after.find(['>', '<']).filter(|_| is_tag) {
            Some(end) if after.as_bytes()[end] == b'>' => rest = &after[end + 1..],
            _ => {
                out.push('<');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_removes_escape_sequences_and_bidi_controls() {
        assert_eq!(sanitize("a\u{1b}[2Jb\u{202E}c\u{7}", 100), "a[2Jbc");
        assert_eq!(sanitize("  two\n\tlines  ", 100), "two lines");
        assert_eq!(sanitize("\u{9b}31mred", 100), "31mred");
        assert_eq!(sanitize("abcdef", 3), "abc…");
    }

    #[test]
    fn normalize_ignores_case_punctuation_diacritics_entities_and_markup() {
        let plain = normalize("Russian Politics and Law: Étude");
        assert_eq!(plain, "russian politics and law etude");
        assert_eq!(
            normalize("Russian Politics &amp; Law &#8211; &Eacute;tude"),
            plain
        );
        assert_eq!(normalize("<i>Russian</i> POLITICS & law — étude."), plain);
        assert_eq!(normalize("Russia's"), "russias");
        assert_eq!(normalize("H<sub>2</sub>O"), "h2o");
        assert_eq!(normalize("&lt;i&gt;Water&lt;/i&gt;"), "water");
    }

    #[test]
    fn entities_and_tags_leave_ordinary_text_alone() {
        assert_eq!(decode_entities("AT&T & co; &bogus;"), "AT&T & co; &bogus;");
        assert_eq!(decode_entities("&#x41;&#66;"), "AB");
        assert_eq!(strip_tags("a < b and c <d"), "a < b and c <d");
        assert_eq!(strip_tags("<jats:p>x</jats:p>"), "x");
    }
}
