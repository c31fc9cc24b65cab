//! Word wrapping for node labels: Graphviz does not wrap text, so labels are broken into
//! lines here, at a width counted in characters.

/// A piece of wrapped text: a word (or part of a cut one), and what comes before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Piece<'t> {
    /// The first word.
    First(&'t str),
    /// A word after a space on the same line.
    Spaced(&'t str),
    /// A word that starts a new line.
    Broken(&'t str),
}

/// Breaks `text` into lines of at most `width` characters.
///
/// Line breaks in the text start a new line; other whitespace runs collapse to one space.
/// A word longer than `width` (a URL, a run of CJK text) is cut, so no box grows wider
/// than the others.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    wrap_pieces(text, width, |piece| match piece {
        Piece::First(w) | Piece::Broken(w) => lines.push(w.to_owned()),
        Piece::Spaced(w) => {
            let line = lines.last_mut().expect("a spaced word follows another");
            line.push(' ');
            line.push_str(w);
        }
    });
    lines
}

/// [`wrap`] without allocating: hands each piece to `emit`, which writes it where it
/// belongs (a label, escaped).
pub(super) fn wrap_pieces<'t>(text: &'t str, width: usize, mut emit: impl FnMut(Piece<'t>)) {
    let width = width.max(1);
    let mut started = false;
    for paragraph in text.lines() {
        // Characters on the current line; a paragraph always starts a new one.
        let mut line_chars = 0;
        for word in paragraph.split_whitespace() {
            let mut word = word;
            let mut word_chars = if word.is_ascii() {
                word.len()
            } else {
                word.chars().count()
            };
            if line_chars > 0 && line_chars + 1 + word_chars <= width {
                emit(Piece::Spaced(word));
                line_chars += 1 + word_chars;
                continue;
            }
            while word_chars > width {
                let cut = word
                    .char_indices()
                    .nth(width)
                    .map_or(word.len(), |(i, _)| i);
                emit(if started {
                    Piece::Broken(&word[..cut])
                } else {
                    Piece::First(&word[..cut])
                });
                started = true;
                word = &word[cut..];
                word_chars -= width;
            }
            emit(if started {
                Piece::Broken(word)
            } else {
                Piece::First(word)
            });
            started = true;
            line_chars = word_chars;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::wrap;

    #[test]
    fn fills_lines_greedily_up_to_the_width() {
        assert_eq!(
            wrap("the quick brown fox jumps over the lazy dog", 15),
            ["the quick brown", "fox jumps over", "the lazy dog"]
        );
    }

    #[test]
    fn keeps_line_breaks_and_collapses_other_whitespace() {
        assert_eq!(
            wrap("one\ttwo   three\n\nfour\r\nfive", 40),
            ["one two three", "four", "five"]
        );
    }

    #[test]
    fn cuts_words_longer_than_the_width_by_characters() {
        assert_eq!(
            wrap("see https://example.org/abc", 10),
            ["see", "https://ex", "ample.org/", "abc"]
        );
        assert_eq!(wrap("日本語のテキスト", 3), ["日本語", "のテキ", "スト"]);
    }

    #[test]
    fn counts_characters_not_bytes() {
        assert_eq!(wrap("ééé ééé", 7), ["ééé ééé"]);
    }

    #[test]
    fn empty_text_has_no_lines() {
        assert!(wrap("  \n ", 10).is_empty());
    }
}
