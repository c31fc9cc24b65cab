//! The tree-based reader: a file deserialised by serde-saphyr into the spanned YAML tree,
//! then read field by field into the model. Slower than the fast path, but it reports every
//! problem it finds (`schema`, `csl-field-name`, `citation-syntax`) and keeps what it can.

use crate::citation;
use crate::diagnostic::{Applicability, Diagnostic, Fix, Label, Rule, did_you_mean};
use crate::doi;
use crate::format::{self, ClaimField, Format, LinkField, MapField, ReferenceFileField};
use crate::model::{
    ArgumentMap, Citation, Claim, ClaimKind, ClaimRef, CslValue, Date, DoiField, Link, LinkBy,
    Name, Reference, Relation,
};
use crate::source::{FileId, Span, Spanned};
use crate::suggest;
use crate::yaml;
use crate::yaml::{Kind, Node};

use super::{cites_citation, next_char_boundary, text_citations, valid_claim_id};
use crate::csl::{self, CSL_TYPES};

/// Turns one file's YAML tree into model values, collecting schema diagnostics.
pub(super) struct Reader<'a> {
    pub(super) file: FileId,
    pub(super) text: &'a str,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// Whether a claim, or a claim's text or citations, could not be read: the map's
    /// citations may then be incomplete.
    pub(super) lost_citations: bool,
}

impl<'a> Reader<'a> {
    fn span(&self, node: &Node) -> Span {
        // Collections have an empty range: label their first character.
        let end = if node.end > node.start {
            node.end
        } else {
            next_char_boundary(self.text, node.start.min(self.text.len()))
        };
        Span::new(self.file, node.start, end)
    }

    /// Where a finding about `node` is labelled: as [`Reader::span`], but a flow collection
    /// (`{date-parts: [[2014, 13]]}`) is labelled whole, not at its first bracket.
    fn label_span(&self, node: &Node) -> Span {
        let span = self.span(node);
        match (&node.kind, flow_end(self.text, node.start)) {
            (Kind::Seq(_) | Kind::Map(_), Some(end)) => Span::new(self.file, node.start, end),
            _ => span,
        }
    }

    fn report(
        &mut self,
        rule: Rule,
        node: &Node,
        label: impl Into<crate::diagnostic::Text>,
        message: String,
        help: Option<String>,
    ) {
        let mut d = Diagnostic::new(rule, Label::new(self.label_span(node), label), message);
        d.help = help.map(Into::into);
        self.diagnostics.push(d);
    }

    fn schema(
        &mut self,
        node: &Node,
        label: impl Into<crate::diagnostic::Text>,
        message: String,
        help: Option<String>,
    ) {
        self.report(Rule::Schema, node, label, message, help);
    }

    /// The entries of a mapping, or a schema error naming what was expected.
    fn mapping<'n>(&mut self, node: &'n Node, what: &str) -> Option<&'n [(Node, Node)]> {
        match &node.kind {
            Kind::Map(entries) => Some(entries),
            _ => {
                self.schema(
                    node,
                    "expected a mapping",
                    format!(
                        "{what} should be a mapping of fields, found {}",
                        node.describe()
                    ),
                    None,
                );
                None
            }
        }
    }

    fn key(&self, key: &Node) -> String {
        key.scalar_text(self.text)
            .map(|s| s.into_owned())
            .unwrap_or_default()
    }

    /// Text, or a number/boolean in its source spelling; schema error otherwise.
    fn string(&mut self, node: &Node, field: &str) -> Option<Spanned<String>> {
        match node.scalar_text(self.text) {
            Some(s) => Some(Spanned::new(s.into_owned(), self.span(node))),
            None => {
                self.schema(
                    node,
                    "expected text",
                    format!("`{field}` should be text, found {}", node.describe()),
                    None,
                );
                None
            }
        }
    }

    /// A list of text entries (a single text is read as a one-entry list).
    fn strings<'n>(&mut self, node: &'n Node, field: &str) -> Vec<&'n Node> {
        match &node.kind {
            Kind::Seq(items) => items
                .iter()
                .filter(|item| {
                    let ok = item.scalar_text(self.text).is_some();
                    if !ok {
                        self.schema(
                            item,
                            "expected text",
                            format!(
                                "entries of `{field}` should be text, found {}",
                                item.describe()
                            ),
                            None,
                        );
                    }
                    ok
                })
                .collect(),
            Kind::Str(_) => vec![node],
            Kind::Null => Vec::new(),
            _ => {
                self.schema(
                    node,
                    "expected a list",
                    format!("`{field}` should be a list, found {}", node.describe()),
                    Some(format!("write `{field}: [a, b]`")),
                );
                Vec::new()
            }
        }
    }

    /// Reports a key that is not a field of `format`, with did-you-mean.
    fn unknown_format_field<F: Copy>(
        &mut self,
        key: &Node,
        name: &str,
        format: &Format<F>,
        siblings: &[(Node, Node)],
    ) {
        let known: Vec<&str> = format.names().collect();
        self.unknown_field(key, name, &known, format.what, siblings);
    }

    /// A fix renaming the key `key` to `name`, unless a sibling key has that name already
    /// (renaming would make a duplicate key) or the key cannot be rewritten in place.
    fn rename_fix(&self, key: &Node, name: &str, siblings: &[(Node, Node)]) -> Option<Fix> {
        let taken = siblings.iter().any(|(k, _)| self.key(k) == name);
        let new = yaml::rewrite_scalar(self.text, key.start..key.end, name)?;
        (!taken).then(|| {
            Fix::replace(
                format!("rename to `{name}`"),
                self.span(key),
                new,
                Applicability::Safe,
            )
        })
    }

    fn unknown_field(
        &mut self,
        key: &Node,
        name: &str,
        known: &[&str],
        context: &str,
        siblings: &[(Node, Node)],
    ) {
        if key.scalar_text(self.text).is_none() {
            self.schema(
                key,
                "not a field name",
                format!("{context} field names are text, found {}", key.describe()),
                Some(format!("{context} fields are: {}", known.join(", "))),
            );
            return;
        }
        // argmap's own keys are namespaced (`argmap-allow`); the bare name is clearly meant.
        let suggestion = match known
            .iter()
            .find(|k| k.strip_prefix("argmap-") == Some(name))
        {
            Some(word) => Some(suggest::Suggestion { word, clear: true }),
            None => suggest::suggest(name, known.iter().copied()),
        };
        let help = suggestion
            .map(|s| format!("did you mean `{}`?", s.word))
            .or_else(|| Some(format!("{context} fields are: {}", known.join(", "))));
        self.schema(
            key,
            "unknown field",
            format!("unknown {context} field `{name}`"),
            help,
        );
        // A clear misspelling of a field is renamed by `--fix`.
        if let Some(s) = suggestion.filter(|s| s.clear)
            && let Some(fix) = self.rename_fix(key, s.word, siblings)
            && let Some(d) = self.diagnostics.last_mut()
        {
            d.fixes.push(fix);
        }
    }

    /// Reports a required field that is absent, unless a misspelt key already named it
    /// (`titel` has been reported with "did you mean `title`?").
    fn missing(&mut self, node: &Node, field: &str, what: &str) {
        if let Kind::Map(entries) = &node.kind {
            let misspelt = entries.iter().any(|(k, _)| {
                let key = self.key(k);
                key != field && did_you_mean(&key, [field]).is_some()
            });
            if misspelt {
                return;
            }
        }
        self.schema(
            node,
            format!("`{field}` missing"),
            format!("{what} has no `{field}`"),
            None,
        );
    }

    // ---- argument maps ----

    /// Reports every required field of `format` that the mapping at `node` lacks
    /// (`present`: the fields read, whatever their value).
    fn required<F: Copy + PartialEq>(
        &mut self,
        node: &Node,
        format: &Format<F>,
        present: &[F],
        what: &str,
    ) {
        for spec in format.required() {
            if !present.contains(&spec.field) {
                self.missing(node, spec.name, what);
            }
        }
    }

    pub(super) fn map(&mut self, root: &Node, name: &str) -> Option<ArgumentMap> {
        let entries = self.mapping(root, "an argument map")?;
        let (mut title, mut source, mut claims_node) = (None, None, None);
        let mut present = Vec::new();
        for (key, value) in entries {
            let key_name = self.key(key);
            let Some(spec) = format::MAP.lookup(&key_name) else {
                self.unknown_format_field(key, &key_name, &format::MAP, entries);
                continue;
            };
            present.push(spec.field);
            match spec.field {
                MapField::Title => title = self.string(value, "title"),
                MapField::Source => source = self.string(value, "source"),
                MapField::Claims => claims_node = Some(value),
            }
        }
        self.required(root, &format::MAP, &present, "the map");
        let mut claims = Vec::new();
        match claims_node.map(|n| (n, &n.kind)) {
            // No claims to be read: what the map cites is unknown.
            None => self.lost_citations = true,
            Some((_, Kind::Seq(items))) if !items.is_empty() => {
                claims.reserve(items.len());
                for item in items {
                    match self.claim(item) {
                        Some(claim) => claims.push(claim),
                        None => self.lost_citations = true,
                    }
                }
            }
            Some((node, _)) => {
                self.lost_citations |= !matches!(node.kind, Kind::Seq(_));
                self.schema(
                    node,
                    "expected a non-empty list",
                    "`claims` should be a non-empty list of claims".into(),
                    None,
                )
            }
        }
        Some(ArgumentMap {
            name: name.to_owned(),
            file: self.file,
            title,
            source,
            claims,
            facts: Default::default(),
        })
    }

    fn claim(&mut self, node: &Node) -> Option<Claim> {
        let entries = self.mapping(node, "a claim")?;
        let mut id = None;
        let mut text = None;
        let mut citations = Vec::new();
        let mut cites = Vec::new();
        let mut links = Vec::new();
        let (mut section, mut quote, mut note) = (None, None, None);
        let (mut kind, mut kind_span) = (ClaimKind::Argument, None);
        let mut conclusion = None;
        let mut allow = Vec::new();
        let mut present = Vec::new();
        for (key, value) in entries {
            let key_name = self.key(key);
            let Some(spec) = format::CLAIM.lookup(&key_name) else {
                self.unknown_format_field(key, &key_name, &format::CLAIM, entries);
                continue;
            };
            present.push(spec.field);
            match spec.field {
                ClaimField::Id => id = self.claim_id(value),
                ClaimField::Text => {
                    text = self.string(value, "text");
                    self.lost_citations |= text.is_none();
                    if let Some(t) = &text {
                        let unread;
                        (citations, unread) =
                            text_citations(self.file, self.text, value.start..value.end, &t.value);
                        for span in unread {
                            self.unread_citation(span);
                        }
                    }
                }
                ClaimField::Cites => {
                    let before = self.diagnostics.len();
                    for entry in self.strings(value, "cites") {
                        cites.extend(self.cites_entry(entry));
                    }
                    // An entry that is not text, or not a citation, may name a work.
                    self.lost_citations |= self.diagnostics.len() > before;
                }
                ClaimField::Supports => links.extend(self.links(value, Relation::Supports)),
                ClaimField::Attacks => links.extend(self.links(value, Relation::Attacks)),
                ClaimField::Section => section = self.string(value, "section"),
                ClaimField::Quote => quote = self.string(value, "quote"),
                ClaimField::Note => note = self.string(value, "note"),
                ClaimField::Kind => {
                    if let Some(k) = self.claim_kind(value) {
                        kind = k;
                        kind_span = Some(self.span(value));
                    }
                }
                ClaimField::Conclusion => {
                    if self.flag(value, "conclusion") == Some(true) {
                        conclusion = Some(value);
                    }
                }
                ClaimField::Allow => allow = self.rule_names(value, format::ALLOW),
            }
        }
        self.required(node, &format::CLAIM, &present, "the claim");
        if let Some(value) = conclusion.filter(|_| kind != ClaimKind::Argument) {
            self.schema(
                value,
                "not part of the argument",
                format!(
                    "a claim with `kind: {}` cannot be a conclusion: it takes no part in the argument",
                    kind.as_str()
                ),
                Some("remove `conclusion: true`, or the `kind` if the paper argues for the claim".into()),
            );
            conclusion = None;
        }
        let id = id?;
        links.sort_by_key(|l| l.span.start);
        citations.extend(cites);
        Some(Claim {
            id,
            kind,
            kind_span,
            conclusion: conclusion.map(|value| self.span(value)),
            text,
            citations,
            links,
            section,
            quote,
            note,
            allow,
            span: self.span(node),
        })
    }

    /// An `allow` list: each entry a rule's name, or a `schema` error with did-you-mean.
    fn rule_names(&mut self, node: &Node, field: &str) -> Vec<Spanned<Rule>> {
        let mut rules = Vec::new();
        for entry in self.strings(node, field) {
            let name = entry.scalar_text(self.text).unwrap_or_default();
            match Rule::from_name(&name) {
                Some(rule) if !rule.can_be_silenced() => self.schema(
                    entry,
                    "cannot be allowed",
                    format!("`{field}` cannot allow `{name}`"),
                    Some(Rule::FIXED_LEVEL.to_owned()),
                ),
                Some(rule) => rules.push(Spanned::new(rule, self.span(entry))),
                None => {
                    let help = match did_you_mean(&name, Rule::all().map(Rule::name)) {
                        Some(s) => format!("did you mean `{s}`?"),
                        None => "`argmap rules` lists the rules".to_owned(),
                    };
                    self.schema(
                        entry,
                        "no such rule",
                        format!("`{field}` names a rule there is none of: `{name}`"),
                        Some(help),
                    );
                }
            }
        }
        rules
    }

    fn claim_kind(&mut self, node: &Node) -> Option<ClaimKind> {
        let (what, list) = ("a claim kind", "a claim's kind is one of");
        self.word(
            node,
            "kind",
            &ClaimKind::NAMES,
            ClaimKind::parse,
            what,
            list,
        )
    }

    /// A value spelt as one of `names` (`parse` reads it), or a `schema` error: `` `x` is
    /// not {what} ``, with did-you-mean or else "{list}: names".
    fn word<T>(
        &mut self,
        node: &Node,
        field: &str,
        names: &[&str],
        parse: impl Fn(&str) -> Option<T>,
        what: &str,
        list: &str,
    ) -> Option<T> {
        let value = self.string(node, field)?;
        let word = parse(&value.value);
        if word.is_none() {
            let help = match did_you_mean(&value.value, names.iter().copied()) {
                Some(s) => format!("did you mean `{s}`?"),
                None => format!("{list}: {}", names.join(", ")),
            };
            self.schema(
                node,
                format!("not {what}"),
                format!("`{}` is not {what}", value.value),
                Some(help),
            );
        }
        word
    }

    fn claim_id(&mut self, node: &Node) -> Option<Spanned<String>> {
        let id = self.string(node, "id")?;
        if !valid_claim_id(&id.value) {
            self.schema(
                node,
                "invalid id",
                format!(
                    "claim id `{}` may use only letters, digits, `-` and `_`",
                    id.value
                ),
                Some("ids are what links name: `supports: [my-claim]`".into()),
            );
            return None;
        }
        Some(id)
    }

    /// `@{Foo 2010}` in a claim's text: pandoc reads no citation there.
    fn unread_citation(&mut self, span: Span) {
        let spelt = self.text.get(span.range()).unwrap_or("");
        let key: String = spelt
            .trim_start_matches("@{")
            .trim_end_matches('}')
            .split(crate::citation::is_space)
            .collect();
        let message = format!(
            "pandoc reads no citation in `{}`: a key cannot hold white space",
            crate::sanitize::one_line(spelt, 80)
        );
        let help = format!(
            "write the key without white space (`@{}`), and the reference's id to match",
            crate::sanitize::one_line(&key, 80)
        );
        self.diagnostics.push(
            Diagnostic::new(
                Rule::CitationSyntax,
                Label::new(span, "not a citation to pandoc"),
                message,
            )
            .with_help(help),
        );
    }

    fn cites_entry(&mut self, node: &Node) -> Option<Citation> {
        let entry = node.scalar_text(self.text)?.into_owned();
        match cites_citation(self.file, self.text, node.start..node.end, &entry) {
            Ok(citation) => Some(citation),
            Err(why) => {
                let help = match why {
                    _ if entry.trim().is_empty() => "remove the empty entry".to_owned(),
                    citation::CitesError::SeveralItems => {
                        // One entry per work: each item of the group as an entry of its own.
                        let inner = entry.trim().trim_start_matches('[').trim_end_matches(']');
                        let entries: Vec<String> = inner
                            .split(';')
                            .map(|item| format!("\"{}\"", item.trim()))
                            .collect();
                        format!("give each work its own entry: `[{}]`", entries.join(", "))
                    }
                    citation::CitesError::SpacedKey => {
                        "write the key without white space, and the reference's id to match"
                            .to_owned()
                    }
                    citation::CitesError::NoKey => {
                        let key = entry
                            .trim()
                            .trim_start_matches(['[', '@'])
                            .trim_end_matches(']');
                        format!("write it as `\"@{key}\"`")
                    }
                };
                self.report(
                    Rule::CitationSyntax,
                    node,
                    "not a citation",
                    format!("`{entry}` is not a citation: {why}"),
                    Some(help),
                );
                None
            }
        }
    }

    /// `true` or `false`; `None` after a `schema` error for anything else.
    fn flag(&mut self, node: &Node, field: &str) -> Option<bool> {
        match node.kind {
            Kind::Bool(b) => Some(b),
            _ => {
                self.schema(
                    node,
                    "expected true or false",
                    format!(
                        "`{field}` should be `true` or `false`, found {}",
                        node.describe()
                    ),
                    None,
                );
                None
            }
        }
    }

    /// A `supports` or `attacks` list: each entry an id, or a mapping of [`format::LINK`]'s
    /// fields (one entry alone is read as a list of one).
    fn links(&mut self, node: &Node, relation: Relation) -> Vec<Link> {
        let field = relation.field();
        let entries = match &node.kind {
            Kind::Seq(items) => items.iter().collect(),
            Kind::Null => Vec::new(),
            Kind::Str(_) | Kind::Map(_) => vec![node],
            _ => {
                self.schema(
                    node,
                    "expected a list",
                    format!("`{field}` should be a list, found {}", node.describe()),
                    Some(format!("write `{field}: [a, b]`")),
                );
                Vec::new()
            }
        };
        let mut out = Vec::with_capacity(entries.len());
        for entry in entries {
            match &entry.kind {
                Kind::Map(fields) => out.extend(self.link_mapping(entry, fields, relation)),
                _ if entry.scalar_text(self.text).is_some() => {
                    out.extend(self.claim_ref(entry).map(|(target, span)| Link::paper(relation, target, span)))
                }
                _ => self.schema(
                    entry,
                    "expected a claim or a link",
                    format!(
                        "entries of `{field}` should be claim ids or `{{to: ID, by: analyst, note: WHY}}`, found {}",
                        entry.describe()
                    ),
                    None,
                ),
            }
        }
        out
    }

    /// A claim reference (`id`, `map:id`), or a `schema` error.
    fn claim_ref(&mut self, node: &Node) -> Option<(ClaimRef, Span)> {
        let text = node.scalar_text(self.text)?;
        match ClaimRef::parse(&text) {
            Some(target) => Some((target, self.span(node))),
            None => {
                self.schema(
                    node,
                    "not a claim reference",
                    format!("`{text}` is not a claim reference"),
                    Some("write `claim-id`, or `map:claim-id` for a claim of another map".into()),
                );
                None
            }
        }
    }

    /// A link written as a mapping: `{to: ID, by: analyst, note: WHY}`.
    fn link_mapping(
        &mut self,
        node: &Node,
        fields: &[(Node, Node)],
        relation: Relation,
    ) -> Option<Link> {
        let (mut to, mut by, mut note) = (None, Some(LinkBy::Paper), None);
        let mut present = Vec::new();
        for (key, value) in fields {
            let key_name = self.key(key);
            let Some(spec) = format::LINK.lookup(&key_name) else {
                self.unknown_format_field(key, &key_name, &format::LINK, fields);
                continue;
            };
            present.push(spec.field);
            match spec.field {
                LinkField::To => {
                    to = match self.string(value, "to") {
                        Some(_) => self.claim_ref(value),
                        None => None,
                    }
                }
                LinkField::By => by = self.link_by(value),
                LinkField::Note => note = self.string(value, "note"),
            }
        }
        self.required(node, &format::LINK, &present, "the link");
        let (target, span) = to?;
        Some(Link {
            relation,
            target,
            span,
            by: by?,
            note,
            as_mapping: true,
        })
    }

    fn link_by(&mut self, node: &Node) -> Option<LinkBy> {
        let (what, list) = ("whose a link can be", "a link is by one of");
        self.word(node, "by", &LinkBy::NAMES, LinkBy::parse, what, list)
    }

    // ---- references ----

    pub(super) fn references(&mut self, root: &Node) -> Vec<Reference> {
        let Some(entries) = self.mapping(root, "a reference file") else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut seen = false;
        for (key, value) in entries {
            let name = self.key(key);
            match format::REFERENCE_FILE.lookup(&name).map(|f| f.field) {
                Some(ReferenceFileField::References) => {
                    seen = true;
                    match &value.kind {
                        Kind::Seq(items) => {
                            out.reserve(items.len());
                            out.extend(items.iter().filter_map(|item| self.reference(item)));
                        }
                        Kind::Null => {}
                        _ => self.schema(
                            value,
                            "expected a list",
                            format!(
                                "`references` should be a list of CSL items, found {}",
                                value.describe()
                            ),
                            None,
                        ),
                    }
                }
                None => self.unknown_format_field(key, &name, &format::REFERENCE_FILE, entries),
            }
        }
        if !seen {
            self.schema(
                root,
                "`references` missing",
                "a reference file needs a top-level `references:` list".into(),
                Some(
                    "CSL-YAML as pandoc reads it: `references:` followed by `- id: ...` items"
                        .into(),
                ),
            );
        }
        out
    }

    fn reference(&mut self, node: &Node) -> Option<Reference> {
        let entries = self.mapping(node, "a reference")?;
        let mut id = None;
        let mut csl_type = None;
        let mut title = None;
        let mut r = Reference::empty(self.span(node));
        for (key, value) in entries {
            if key.scalar_text(self.text).is_none() {
                self.schema(
                    key,
                    "not a field name",
                    format!("reference field names are text, found {}", key.describe()),
                    Some("CSL variables are named by text: `title`, `author`, `DOI`".into()),
                );
                continue;
            }
            let name = self.key(key);
            match name.as_str() {
                "id" => id = self.string(value, "id"),
                "type" => csl_type = self.csl_type(value),
                "title" => title = self.string(value, "title"),
                "author" => r.authors = self.names(value, "author"),
                "editor" => r.editors = self.names(value, "editor"),
                "issued" => r.issued = self.date(value, "issued"),
                "published-print" => r.published_print = self.date(value, "published-print"),
                "container-title" => r.container_title = self.string(value, "container-title"),
                "URL" => r.url = self.string(value, "URL"),
                "note" => r.note = self.string(value, "note"),
                format::ALLOW => r.allow = self.rule_names(value, format::ALLOW),
                "DOI" => {
                    r.doi = self.string(value, "DOI").map(|raw| DoiField {
                        parsed: doi::parse(&raw.value),
                        raw,
                    })
                }
                other if csl::NAME_VARIABLES.contains(&other) => {
                    let names = self.names(value, other);
                    r.variables.push((other.to_owned(), CslValue::Names(names)));
                }
                other if csl::DATE_VARIABLES.contains(&other) => {
                    let date = self.date(value, other);
                    r.variables.push((other.to_owned(), CslValue::Date(date)));
                }
                other if csl::STRUCTURED.contains(&other) => {
                    r.variables.push((other.to_owned(), CslValue::Structured));
                }
                other if csl::is_variable(other) => {
                    let text = match value.kind {
                        Kind::Seq(_) | Kind::Map(_) => self.string(value, other),
                        _ => value
                            .scalar_text(self.text)
                            .map(|t| Spanned::new(t.into_owned(), self.span(value))),
                    };
                    if let Some(t) = text {
                        r.variables
                            .push((other.to_owned(), CslValue::Text(t.value)));
                    }
                }
                other => self.csl_field_name(key, value, other, entries),
            }
        }
        let what = match &id {
            Some(id) => format!("reference `{}`", id.value),
            None => "the reference".to_owned(),
        };
        for (field, present) in [
            ("id", id.is_some()),
            ("type", csl_type.is_some()),
            ("title", title.is_some()),
        ] {
            if !present && !entries.iter().any(|(k, _)| self.key(k) == field) {
                self.missing(node, field, &what);
            }
        }
        r.id = id?;
        if let Some(t) = csl_type {
            r.csl_type = t;
        }
        if let Some(t) = title {
            r.title = t;
        }
        Some(r)
    }

    fn csl_type(&mut self, node: &Node) -> Option<Spanned<String>> {
        let t = self.string(node, "type")?;
        if !CSL_TYPES.contains(&t.value.as_str()) {
            let help = csl::type_alias(&t.value)
                .or_else(|| did_you_mean(&t.value, CSL_TYPES.iter().copied()))
                .map(|s| format!("did you mean `{s}`?"))
                .or(Some("see https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types".into()));
            self.schema(
                node,
                "not a CSL type",
                format!("`{}` is not a CSL item type", t.value),
                help,
            );
        }
        Some(t)
    }

    fn csl_field_name(&mut self, key: &Node, value: &Node, name: &str, siblings: &[(Node, Node)]) {
        // A known slip (`doi` for `DOI`) is certain; a did-you-mean only when clear.
        let alias = match name {
            _ if format::ALLOW.strip_prefix("argmap-") == Some(name) => Some(format::ALLOW),
            _ => csl::variable_alias(name),
        };
        let (suggestion, clear) = match alias {
            Some(alias) => (Some(alias), true),
            None => match suggest::suggest(name, csl::variables()) {
                Some(s) => (Some(s.word), s.clear),
                None => (None, false),
            },
        };
        let (message, help) = match suggestion {
            Some(s) => (
                format!("`{name}` is not a CSL variable; did you mean `{s}`?"),
                format!("rename it to `{s}`: pandoc ignores `{name}`"),
            ),
            None => (
                format!("`{name}` is not a CSL variable"),
                "pandoc ignores fields that are not CSL variables; use `note` for free text".into(),
            ),
        };
        self.report(
            Rule::CslFieldName,
            key,
            "not a CSL variable",
            message,
            Some(help),
        );
        // Renamed by `--fix` only where the value is of the kind the variable holds, so that
        // the rename does not trade one finding for another.
        let fits = |target: &str| match &value.kind {
            _ if target == format::ALLOW => true,
            Kind::Seq(_) => csl::NAME_VARIABLES.contains(&target),
            Kind::Map(_) => csl::DATE_VARIABLES.contains(&target),
            _ => !csl::NAME_VARIABLES.contains(&target) && !csl::STRUCTURED.contains(&target),
        };
        if let Some(target) = suggestion.filter(|&t| clear && fits(t))
            && let Some(fix) = self.rename_fix(key, target, siblings)
            && let Some(d) = self.diagnostics.last_mut()
        {
            d.fixes.push(fix);
        }
    }

    fn names(&mut self, node: &Node, field: &str) -> Vec<Name> {
        let Kind::Seq(items) = &node.kind else {
            self.schema(
                node,
                "expected a list of names",
                format!("`{field}` should be a list of names, found {}", node.describe()),
                Some(format!("write `{field}: [{{family: Song, given: Weiqing}}]` or `[{{literal: World Bank}}]`")),
            );
            return Vec::new();
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            if let Kind::Str(s) = &item.kind {
                // pandoc accepts a bare string as a literal name
                out.push(Name::Literal(s.clone()));
                continue;
            }
            let Some(entries) = self.mapping(item, "a name") else {
                continue;
            };
            let (mut family, mut given, mut particle, mut literal) = (None, None, None, None);
            for (key, value) in entries {
                let k = self.key(key);
                match k.as_str() {
                    "family" => family = self.string(value, "family"),
                    "given" => given = self.string(value, "given"),
                    "non-dropping-particle" => {
                        particle = self.string(value, "non-dropping-particle")
                    }
                    "literal" => literal = self.string(value, "literal"),
                    "dropping-particle" | "suffix" | "comma-suffix" | "static-ordering"
                    | "parse-names" => {}
                    other => self.unknown_field(key, other, csl::NAME_PARTS, "name", entries),
                }
            }
            match (family, literal) {
                (Some(f), _) => out.push(Name::Personal {
                    family: f.value,
                    given: given.map(|g| g.value),
                    particle: particle.map(|p| p.value),
                }),
                (None, Some(l)) => out.push(Name::Literal(l.value)),
                (None, None) => self.schema(
                    item,
                    "no family or literal",
                    "a name needs `family` (with `given`) or `literal`".into(),
                    None,
                ),
            }
        }
        out
    }

    fn date(&mut self, node: &Node, field: &str) -> Option<Date> {
        let bad = |this: &mut Self| {
            this.schema(
                node,
                "not a date",
                format!("`{field}` is not a CSL date"),
                Some(format!(
                    "write `{field}: {{date-parts: [[2014, 5]]}}`, `{field}: 2014` or `{field}: \"2014-05-01\"`"
                )),
            );
            None
        };
        match &node.kind {
            Kind::Int(y) => i32::try_from(*y).ok().map(|year| Date {
                year,
                month: None,
                day: None,
            }),
            Kind::Str(s) => match iso_date(s) {
                Some(d) => Some(d),
                None => bad(self),
            },
            Kind::Map(entries) => {
                let mut date = None;
                let mut any = false;
                for (key, value) in entries {
                    match self.key(key).as_str() {
                        "date-parts" => {
                            any = true;
                            match date_parts(value) {
                                Ok(d) => date = d,
                                Err(()) => return bad(self),
                            }
                        }
                        "literal" | "raw" => {
                            any = true;
                            if date.is_none() {
                                date = value.scalar_text(self.text).and_then(|s| iso_date(&s));
                            }
                        }
                        "season" | "circa" => {}
                        other => self.unknown_field(key, other, csl::DATE_PARTS, "date", entries),
                    }
                }
                if !any {
                    return bad(self);
                }
                date
            }
            _ => bad(self),
        }
    }
}

/// A date as EDTF writes it, as pandoc reads `issued: "2014-05-01"`: a year of four
/// digits (or negative, `-0044`), then month and day; an interval (`2014/2015`,
/// `2014-05/2014-06`) is dated by its start (its end when the start is open); the marks of
/// uncertain and approximate dates (`2014?`, `2014~`, `2014%`) are allowed. `None` when the
/// parts are not numbers or the date does not exist (`2014-13-45`).
fn iso_date(s: &str) -> Option<Date> {
    let s = s.trim();
    let s = match s.split_once('/') {
        Some((start, end)) if start.is_empty() || start == ".." => end,
        Some((start, _)) => start,
        None => s,
    };
    let s = s
        .trim_end_matches(['?', '~', '%'])
        .trim_start_matches(['?', '~', '%']);
    let (sign, s) = match s.strip_prefix('-') {
        Some(rest) => (-1, rest),
        None => (1, s),
    };
    let mut parts = s.splitn(3, '-');
    let year_str = parts.next()?;
    if year_str.len() < 4 || !year_str.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i64 = year_str.parse().ok()?;
    let number = |part: Option<&str>| -> Result<Option<i64>, ()> {
        match part {
            None => Ok(None),
            Some(p) => {
                let p = p.trim_matches(['?', '~', '%']);
                let digits = p.bytes().take_while(u8::is_ascii_digit).count();
                match digits {
                    1 | 2 => p[..digits].parse().map(Some).map_err(|_| ()),
                    _ => Err(()),
                }
            }
        }
    };
    let month = number(parts.next()).ok()?;
    let day = number(parts.next()).ok()?;
    Date::new(sign * year, month, day)
}

/// The end of the flow collection (`{...}` or `[...]`) that opens at `start`: past its
/// closing bracket, quotes respected. `None` when `start` opens none, or the collection is
/// too long to be worth a label.
fn flow_end(text: &str, start: usize) -> Option<usize> {
    const MAX: usize = 4096;
    let bytes = text.as_bytes();
    if !matches!(bytes.get(start), Some(b'{' | b'[')) {
        return None;
    }
    let mut depth = 0usize;
    let mut i = start;
    while i < bytes.len().min(start + MAX) {
        match bytes[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    i += if q == b'"' && bytes[i] == b'\\' { 2 } else { 1 };
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// `[[2014, 5, 1]]` (also `[2014]` and quoted numbers); `Ok(None)` for an empty list.
fn date_parts(node: &Node) -> Result<Option<Date>, ()> {
    let Kind::Seq(outer) = &node.kind else {
        return Err(());
    };
    let Some(first) = outer.first() else {
        return Ok(None);
    };
    let parts: &[Node] = match &first.kind {
        Kind::Seq(inner) => inner,
        _ => outer, // flat: [2014, 5]
    };
    let num = |n: &Node| -> Result<Option<i64>, ()> {
        match &n.kind {
            Kind::Int(i) => Ok(Some(*i)),
            Kind::Str(s) => s.trim().parse().map(Some).map_err(|_| ()),
            Kind::Null => Ok(None),
            _ => Err(()),
        }
    };
    let Some(year) = parts.first().map(num).transpose()?.flatten() else {
        return Ok(None);
    };
    let month = parts.get(1).map(num).transpose()?.flatten();
    let day = parts.get(2).map(num).transpose()?.flatten();
    Date::new(year, month, day).map(Some).ok_or(())
}
