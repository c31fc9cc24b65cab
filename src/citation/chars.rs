//! Haskell's character classes, which pandoc's readers are written in: a key ends where
//! `isAlphaNum` does, and Rust's `char::is_alphanumeric` is another class (it takes the
//! combining marks that are alphabetic, which end a key in pandoc).

use unicode_properties::{GeneralCategoryGroup, UnicodeGeneralCategory};

/// `isAlphaNum`: a letter or a number (general categories L and N).
pub(super) fn is_alnum(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric();
    }
    matches!(
        c.general_category_group(),
        GeneralCategoryGroup::Letter | GeneralCategoryGroup::Number
    )
}

/// `isPunctuation`: general category P (connectors, dashes, brackets, quotes, other).
pub(super) fn is_punctuation(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_punctuation()
            && !matches!(c, '$' | '+' | '<' | '=' | '>' | '^' | '`' | '|' | '~');
    }
    c.general_category_group() == GeneralCategoryGroup::Punctuation
}

/// `isSpace`: the ASCII white space, the no-break space and the other space separators.
pub fn is_space(c: char) -> bool {
    match c {
        ' ' | '\t' | '\n' | '\r' | '\u{b}' | '\u{c}' | '\u{a0}' => true,
        _ if (c as u32) < 0x378 => false,
        _ => c.general_category() == unicode_properties::GeneralCategory::SpaceSeparator,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_are_haskells() {
        assert!(is_alnum('é') && is_alnum('中') && is_alnum('٣') && is_alnum('Ⅻ'));
        // A combining acute accent is no letter in Haskell (Rust calls it alphabetic).
        assert!(!is_alnum('\u{301}') && !is_alnum('_'));
        assert!(is_punctuation('—') && is_punctuation('¶') && is_punctuation('.'));
        assert!(!is_punctuation('+') && !is_punctuation('$') && is_punctuation('§'));
        assert!(is_space('\u{a0}') && is_space('\u{2009}') && !is_space('\u{200b}'));
        assert!(!is_space('\u{2028}'));
    }
}
