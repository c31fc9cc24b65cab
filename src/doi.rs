//! DOI syntax: parsing pasted forms, the canonical form, comparison and URL encoding.
//!
//! A DOI is `10.<registrant>/<suffix>` (or the short form `10/<suffix>`). People paste
//! them as `doi:10.…`, `https://doi.org/10.…`, with trailing punctuation or LaTeX
//! escapes; [`parse`] accepts all of those and says which clean-ups it made, so the
//! checker can report a non-canonical spelling and name the canonical one.

use std::fmt;

use nom::{
    IResult, Parser,
    branch::alt,
    bytes::complete::{tag, tag_no_case, take_while1},
    character::complete::char,
    combinator::{opt, recognize},
    multi::many0,
    sequence::preceded,
};

/// A syntactically valid DOI in canonical form (`10.1234/abc`), with the case the author
/// wrote. Equality and hashing ignore ASCII case, as the DOI system does.
#[derive(Clone, Debug, Eq)]
pub struct Doi(String);

impl Doi {
    /// The canonical spelling, e.g. `10.1126/science.169.3946.635`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The registrant prefix, e.g. `10.1126` (or `10` for a short DOI).
    pub fn prefix(&self) -> &str {
        self.0.split_once('/').map_or(&self.0, |(p, _)| p)
    }

    /// The suffix after the first `/`.
    pub fn suffix(&self) -> &str {
        self.0.split_once('/').map_or("", |(_, s)| s)
    }

    /// The lower-cased key under which DOIs compare and are cached.
    pub fn key(&self) -> String {
        self.0.to_ascii_lowercase()
    }

    /// Whether this is a short DOI (`10/abcd`), which must be expanded by the resolver.
    pub fn is_short(&self) -> bool {
        self.prefix() == "10"
    }

    /// The DOI encoded for use as a URL path after the resolver, per the DOI Handbook:
    /// reserved and unsafe characters are percent-encoded, the `/`s are kept. A DOI with a
    /// `.` or `..` segment (`10.5555/a/../x`) has its `/`s encoded too: URLs resolve such
    /// segments away (even percent-encoded), and the request must name exactly this DOI.
    pub fn url_path(&self) -> String {
        let dot_segment = self.0.split('/').any(|seg| seg == "." || seg == "..");
        let mut out = String::with_capacity(self.0.len() + 8);
        for c in self.0.chars() {
            match c {
                '/' if dot_segment => out.push_str("%2F"),
                'A'..='Z'
                | 'a'..='z'
                | '0'..='9'
                | '-'
                | '.'
                | '_'
                | '~'
                | '/'
                | ':'
                | '('
                | ')'
                | '!'
                | '*'
                | '\''
                | '@'
                | '$'
                | '&'
                | '='
                | ',' => out.push(c),
                _ => {
                    let mut buf = [0u8; 4];
                    for b in c.encode_utf8(&mut buf).bytes() {
                        out.push_str(&format!("%{b:02X}"));
                    }
                }
            }
        }
        out
    }
}

impl PartialEq for Doi {
    fn eq(&self, other: &Self) -> bool {
        self.0.eq_ignore_ascii_case(&other.0)
    }
}

impl std::hash::Hash for Doi {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        for b in self.0.bytes() {
            state.write_u8(b.to_ascii_lowercase());
        }
    }
}

impl fmt::Display for Doi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What had to be cleaned away from a pasted DOI to reach the canonical form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cleanup {
    /// Leading or trailing white space.
    Whitespace,
    /// A `doi:` or `urn:doi:` scheme.
    Scheme,
    /// A resolver URL such as `https://doi.org/` or `http://dx.doi.org/`.
    ResolverUrl,
    /// Trailing `.`, `,` or `;` (usually the end of a sentence).
    TrailingPunctuation,
    /// LaTeX escapes such as `\_`.
    LatexEscape,
    /// Percent-encoding left over from a URL.
    PercentEncoding,
}

impl fmt::Display for Cleanup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Cleanup::Whitespace => "surrounding white space",
            Cleanup::Scheme => "a `doi:` prefix",
            Cleanup::ResolverUrl => "a resolver URL",
            Cleanup::TrailingPunctuation => "trailing punctuation",
            Cleanup::LatexEscape => "LaTeX escapes",
            Cleanup::PercentEncoding => "percent-encoding",
        })
    }
}

/// Why a string is not a DOI.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DoiError {
    /// Nothing but white space.
    Empty,
    /// It does not start with `10.` (or `10/`).
    NoDirectoryIndicator,
    /// The registrant code after `10.` is not dot-separated digits.
    BadRegistrant,
    /// There is no `/` between prefix and suffix, or nothing after it.
    MissingSuffix,
    /// White space, a control character or an invisible character inside the DOI.
    BadCharacter(char),
}

impl fmt::Display for DoiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DoiError::Empty => f.write_str("the DOI is empty"),
            DoiError::NoDirectoryIndicator => f.write_str("a DOI starts with `10.`"),
            DoiError::BadRegistrant => {
                f.write_str("the registrant code after `10.` must be digits (e.g. `10.1126`)")
            }
            DoiError::MissingSuffix => f.write_str("a DOI needs a `/` followed by a suffix"),
            DoiError::BadCharacter(c) => write!(f, "a DOI cannot contain {c:?}"),
        }
    }
}

/// The result of reading a DOI field: the DOI, and the clean-ups that were needed
/// (empty when the input was already canonical).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedDoi {
    /// The DOI in canonical form.
    pub doi: Doi,
    /// What had to be cleaned away to get it (empty for a canonical DOI).
    pub cleanups: Vec<Cleanup>,
}

impl ParsedDoi {
    /// Whether the input was the bare DOI already.
    pub fn is_canonical(&self) -> bool {
        self.cleanups.is_empty()
    }
}

fn resolver_url(input: &str) -> IResult<&str, &str> {
    recognize((
        opt(alt((tag_no_case("https://"), tag_no_case("http://")))),
        opt(alt((tag_no_case("www."), tag_no_case("dx.")))),
        tag_no_case("doi.org/"),
    ))
    .parse(input)
}

fn scheme(input: &str) -> IResult<&str, &str> {
    alt((
        tag_no_case("urn:doi:"),
        recognize((tag_no_case("doi:"), opt(char(' ')))),
        recognize((tag_no_case("doi"), char(' '))),
    ))
    .parse(input)
}

/// `10.1234.5/` or `10/`: the prefix and its slash.
fn prefix(input: &str) -> IResult<&str, &str> {
    recognize((
        tag("10"),
        many0(preceded(
            char('.'),
            take_while1(|c: char| c.is_ascii_digit()),
        )),
        char('/'),
    ))
    .parse(input)
}

fn percent_decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Reads a DOI as people write it and returns its canonical form, or why it is not one.
pub fn parse(raw: &str) -> Result<ParsedDoi, DoiError> {
    let mut cleanups = Vec::new();
    let mut s = raw.trim();
    if s.len() != raw.len() {
        cleanups.push(Cleanup::Whitespace);
    }
    if s.is_empty() {
        return Err(DoiError::Empty);
    }
    let mut from_url = false;
    if let Ok((rest, _)) = resolver_url(s) {
        s = rest;
        from_url = true;
        cleanups.push(Cleanup::ResolverUrl);
    } else if let Ok((rest, _)) = scheme(s) {
        s = rest.trim_start();
        cleanups.push(Cleanup::Scheme);
    }
    let trimmed = s.trim_end_matches(['.', ',', ';']);
    if trimmed.len() != s.len() {
        cleanups.push(Cleanup::TrailingPunctuation);
        s = trimmed;
    }
    let mut owned = s.to_owned();
    if owned.contains("\\_") || owned.contains("\\%") || owned.contains("\\&") {
        owned = owned
            .replace("\\_", "_")
            .replace("\\%", "%")
            .replace("\\&", "&");
        cleanups.push(Cleanup::LatexEscape);
    }
    if from_url
        && owned.contains('%')
        && let Some(decoded) = percent_decode(&owned)
        && decoded != owned
    {
        owned = decoded;
        cleanups.push(Cleanup::PercentEncoding);
    }
    validate(&owned)?;
    Ok(ParsedDoi {
        doi: Doi(owned),
        cleanups,
    })
}

fn validate(s: &str) -> Result<(), DoiError> {
    if s.is_empty() {
        return Err(DoiError::Empty);
    }
    if !s.starts_with("10.") && !s.starts_with("10/") {
        return Err(DoiError::NoDirectoryIndicator);
    }
    let Ok((suffix, _)) = prefix(s) else {
        return if s.contains('/') {
            Err(DoiError::BadRegistrant)
        } else {
            Err(DoiError::MissingSuffix)
        };
    };
    if suffix.is_empty() {
        return Err(DoiError::MissingSuffix);
    }
    // Invisible characters (a zero-width space pasted from a web page) would make the DOI
    // look right and resolve to nothing.
    let invisible = |c: char| crate::sanitize::is_invisible_format(c);
    if let Some(c) = s
        .chars()
        .find(|&c| c.is_whitespace() || c.is_control() || invisible(c))
    {
        return Err(DoiError::BadCharacter(c));
    }
    Ok(())
}

impl std::str::FromStr for Doi {
    type Err = DoiError;

    /// Strict: accepts only the canonical form.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        validate(s)?;
        Ok(Doi(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_doi_needs_no_cleanup() {
        let p = parse("10.1126/science.169.3946.635").unwrap();
        assert!(p.is_canonical());
        assert_eq!(p.doi.prefix(), "10.1126");
        assert_eq!(p.doi.suffix(), "science.169.3946.635");
    }

    #[test]
    fn pasted_forms_are_normalised() {
        for (raw, cleanup) in [
            ("doi:10.1000/xyz", Cleanup::Scheme),
            ("DOI: 10.1000/xyz", Cleanup::Scheme),
            ("urn:doi:10.1000/xyz", Cleanup::Scheme),
            ("https://doi.org/10.1000/xyz", Cleanup::ResolverUrl),
            ("http://dx.doi.org/10.1000/xyz", Cleanup::ResolverUrl),
            ("10.1000/xyz.", Cleanup::TrailingPunctuation),
            (" 10.1000/xyz ", Cleanup::Whitespace),
        ] {
            let p = parse(raw).unwrap();
            assert_eq!(p.doi.as_str(), "10.1000/xyz", "{raw}");
            assert!(p.cleanups.contains(&cleanup), "{raw}: {:?}", p.cleanups);
        }
        assert_eq!(parse("10.1000/a\\_b").unwrap().doi.as_str(), "10.1000/a_b");
        assert_eq!(
            parse("https://doi.org/10.1000%2Fa%3Cb")
                .unwrap()
                .doi
                .as_str(),
            "10.1000/a<b"
        );
    }

    #[test]
    fn invalid_dois_say_why() {
        assert_eq!(parse(""), Err(DoiError::Empty));
        assert_eq!(parse("11.1000/x"), Err(DoiError::NoDirectoryIndicator));
        assert_eq!(parse("10.abc/x"), Err(DoiError::BadRegistrant));
        assert_eq!(parse("10.1000"), Err(DoiError::MissingSuffix));
        assert_eq!(parse("10.1000/"), Err(DoiError::MissingSuffix));
        assert_eq!(parse("10.1000/a b"), Err(DoiError::BadCharacter(' ')));
        assert_eq!(
            parse("10.1000/a\u{200b}b"),
            Err(DoiError::BadCharacter('\u{200b}'))
        );
    }

    #[test]
    fn short_dois_are_accepted() {
        let p = parse("10/abcd").unwrap();
        assert!(p.doi.is_short());
    }

    #[test]
    fn dois_compare_case_insensitively() {
        assert_eq!(
            parse("10.1000/ABC").unwrap().doi,
            parse("10.1000/abc").unwrap().doi
        );
    }

    #[test]
    fn sici_dois_are_percent_encoded_but_slashes_kept() {
        let d: Doi = "10.1002/(SICI)1096-987X(199803)19:4<377::AID-JCC1>3.0.CO;2-P"
            .parse()
            .unwrap();
        assert_eq!(
            d.url_path(),
            "10.1002/(SICI)1096-987X(199803)19:4%3C377::AID-JCC1%3E3.0.CO%3B2-P"
        );
        let d: Doi = "10.1000/a#b?c%d\"e".parse().unwrap();
        assert_eq!(d.url_path(), "10.1000/a%23b%3Fc%25d%22e");
    }

    #[test]
    fn dot_segments_cannot_leave_the_doi() {
        for (doi, path) in [
            ("10.5555/./x", "10.5555%2F.%2Fx"),
            (
                "10.5555/a/../../../evil",
                "10.5555%2Fa%2F..%2F..%2F..%2Fevil",
            ),
            ("10.5555/..", "10.5555%2F.."),
            ("10.5555/a.b/..c", "10.5555/a.b/..c"),
        ] {
            let d: Doi = doi.parse().unwrap();
            assert_eq!(d.url_path(), path);
            // The URL names the DOI: no segment is resolved away.
            let url = url_of(&format!("https://doi.org/api/handles/{}", d.url_path()));
            assert!(url.ends_with(path), "{url}");
        }
    }

    fn url_of(s: &str) -> String {
        reqwest::Url::parse(s).unwrap().to_string()
    }
}
