//! Word wrapping for node labels: Graphviz does not wrap text, so labels are broken into
//! lines here, at a width counted in characters.

/// Breaks `text` into lines of at most `width` characters.
///
/// Line breaks in the text start a new line; other whitespace runs collapse to one space.
/// A word longer than `width` (a URL, a run of CJK text) is cut, so no box grows wider
/// than the others.
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let width = width.max(1);
    let mut lines = Vec::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut line_chars = 0;
        for word in paragraph.split_whitespace() {
            let mut word = word;
            let mut word_chars = word.chars().count();
            if line_chars > 0 && line_chars + 1 + word_chars <= width {
                line.push(' ');
                line.push_str(word);
                line_chars += 1 + word_chars;
                continue;
            }
            if line_chars > 0 {
                lines.push(std::mem::take(&mut line));
            }
            while word_chars > width {
                let cut = word
                    .char_indices()
                    .nth(width)
                    .map_or(word.len(), |(i, _)| i);
                lines.push(word[..cut].to_owned());
                word = &word[cut..];
                word_chars -= width;
            }
            line.push_str(word);
            line_chars = word_chars;
        }
        if line_chars > 0 {
            lines.push(line);
        }
    }
    lines
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
