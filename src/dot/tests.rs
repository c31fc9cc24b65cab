//! Unit tests on hand-built corpora.

use std::sync::Arc;

use super::*;
use crate::citation::{CitationItem, Locator};
use crate::model::{
    ArgumentMap, Citation, CitationOrigin, Claim, ClaimRef, Corpus, Link, Name, Reference, Relation,
};
use crate::source::{FileId, Span, Spanned};

fn span() -> Span {
    Span::new(FileId(0), 0, 0)
}

fn s(v: &str) -> Spanned<String> {
    Spanned::new(v.to_owned(), span())
}

pub fn claim(id: &str, text: &str) -> Claim {
    Claim {
        id: s(id),
        kind: crate::model::ClaimKind::Argument,
        kind_span: None,
        conclusion: None,
        text: Some(s(text)),
        citations: Vec::new(),
        links: Vec::new(),
        section: None,
        quote: None,
        note: None,
        allow: Vec::new(),
        span: span(),
    }
}

fn link(claim: &mut Claim, relation: Relation, target: &str) {
    claim.links.push(Link::paper(
        relation,
        ClaimRef::parse(target).unwrap(),
        span(),
    ));
}

fn cite(claim: &mut Claim, key: &str, page: Option<&str>) {
    claim.citations.push(Citation {
        item: CitationItem {
            prefix: String::new(),
            suppress_author: false,
            key: key.to_owned(),
            key_range: 0..0,
            locator: page.map(|p| Locator {
                label: "p.".into(),
                kind: crate::citation::LocatorKind::Page,
                value: p.into(),
                range: 0..0,
                range_end: None,
            }),
            suffix: String::new(),
        },
        key_span: span(),
        locator_span: None,
        longer: None,
        origin: CitationOrigin::Cites,
    });
}

fn map(name: &str, claims: Vec<Claim>) -> Arc<ArgumentMap> {
    Arc::new(ArgumentMap {
        name: name.to_owned(),
        file: FileId(0),
        title: Some(s(&format!("Map {name}"))),
        source: None,
        claims,
        facts: Default::default(),
    })
}

fn reference(id: &str, family: &str, year: i32, doi: Option<&str>) -> Arc<Reference> {
    Arc::new(Reference {
        id: s(id),
        csl_type: s("article-journal"),
        title: s(&format!("A work by {family}")),
        authors: vec![Name::Personal {
            family: family.into(),
            given: None,
            particle: None,
        }],
        editors: Vec::new(),
        issued: Some(crate::model::Date {
            year,
            month: None,
            day: None,
        }),
        published_print: None,
        container_title: None,
        doi: doi.map(|d| crate::model::DoiField {
            raw: s(d),
            parsed: crate::doi::parse(d),
        }),
        url: None,
        variables: Vec::new(),
        allow: Vec::new(),
        note: None,
        span: span(),
    })
}

/// Two maps: `a` (a thesis, a reason citing Song with a page, an objection) and `b`,
/// whose claim supports `a:thesis`.
fn corpus() -> Corpus {
    let thesis = claim("thesis", "The thesis.");
    let mut reason = claim("reason", "A reason.");
    link(&mut reason, Relation::Supports, "thesis");
    cite(&mut reason, "song2014", Some("87"));
    cite(&mut reason, "yun2012", None);
    let mut objection = claim("objection", "An objection.");
    link(&mut objection, Relation::Attacks, "reason");
    let mut other = claim("other", "From b.");
    link(&mut other, Relation::Supports, "a:thesis");
    let lonely = claim("lonely", "Unlinked in b.");
    Corpus {
        references: vec![
            reference(
                "song2014",
                "Song",
                2014,
                Some("10.1080/10670564.2013.809981"),
            ),
            reference("yun2012", "Yun", 2012, None),
        ],
        maps: vec![
            map("a", vec![thesis, reason, objection]),
            map("b", vec![other, lonely]),
        ],
        ..Corpus::default()
    }
}

fn dot_of(corpus: &Corpus, names: &[&str], options: &Options) -> String {
    Graph::build(corpus, |g| {
        Diagram::select(g, names).unwrap().to_dot(options)
    })
}

#[test]
fn output_is_deterministic() {
    let c = corpus();
    let first = dot_of(&c, &[], &Options::default());
    for _ in 0..5 {
        assert_eq!(dot_of(&corpus(), &[], &Options::default()), first);
    }
}

#[test]
fn supports_and_attacks_differ_in_style_not_only_colour() {
    let dot = dot_of(&corpus(), &["a"], &Options::default());
    assert!(dot.contains("  \"a:reason\" -> \"a:thesis\"\n"), "{dot}");
    assert!(dot.contains(
        "\"a:objection\" -> \"a:reason\" [color=\"#D55E00\", style=dashed, arrowhead=tee]"
    ));
}

#[test]
fn only_claims_that_link_nowhere_are_conclusions() {
    let dot = dot_of(&corpus(), &["a"], &Options::default());
    let line = |id: &str| {
        dot.lines()
            .find(|l| l.trim_start().starts_with(&format!("\"a:{id}\" [label")))
            .unwrap()
            .to_owned()
    };
    assert!(
        line("thesis").contains("penwidth=2.2") && line("thesis").contains("<B>The thesis.</B>")
    );
    assert!(!line("reason").contains("penwidth"));
    // An objection attacks something: it is not a conclusion.
    assert!(!line("objection").contains("penwidth"));
}

#[test]
fn inline_citations_name_author_year_and_locator() {
    let dot = dot_of(&corpus(), &["a"], &Options::default());
    assert!(dot.contains(">Song 2014, p. 87; Yun 2012</FONT>"), "{dot}");
}

#[test]
fn the_maps_own_source_is_left_out_unless_a_locator_says_where() {
    let mut c = corpus();
    Arc::make_mut(&mut c.maps[0]).source = Some(s("yun2012"));
    let dot = dot_of(&c, &["a"], &Options::default());
    assert!(dot.contains(">Song 2014, p. 87</FONT>"), "{dot}");
    // ...and named in the graph's label instead.
    assert!(dot.contains(">Yun 2012</FONT>"));
    cite(
        &mut Arc::make_mut(&mut c.maps[0]).claims[0],
        "yun2012",
        Some("3"),
    );
    let dot = dot_of(&c, &["a"], &Options::default());
    assert!(dot.contains(">Yun 2012, p. 3</FONT>"), "{dot}");
}

#[test]
fn citation_nodes_are_shared_and_drawn_once() {
    let mut c = corpus();
    cite(
        &mut Arc::make_mut(&mut c.maps[0]).claims[0],
        "song2014",
        None,
    );
    let options = Options {
        citations: CitationStyle::Nodes,
        ..Options::default()
    };
    let dot = dot_of(&c, &["a"], &options);
    assert_eq!(
        dot.matches("  \"@song2014\" [shape=note").count(),
        1,
        "{dot}"
    );
    assert!(dot.contains("\"@song2014\" -> \"a:reason\" [color=\"#8C8C8C\", style=dotted, arrowhead=none, label=<p. 87>]"));
    assert!(dot.contains(
        "\"@song2014\" -> \"a:thesis\" [color=\"#8C8C8C\", style=dotted, arrowhead=none]"
    ));
    assert!(dot.contains("URL=\"https://doi.org/10.1080/10670564.2013.809981\""));
    assert!(!dot.contains("Song 2014, p. 87</FONT>"));
}

#[test]
fn no_citations_means_no_citation_lines_or_nodes() {
    let options = Options {
        citations: CitationStyle::None,
        ..Options::default()
    };
    let dot = dot_of(&corpus(), &["a"], &options);
    assert!(!dot.contains("Song 2014") && !dot.contains("\"@"), "{dot}");
}

#[test]
fn claims_link_to_the_doi_of_their_first_cited_work_with_one() {
    let dot = dot_of(&corpus(), &["a"], &Options::default());
    let reason = dot
        .lines()
        .find(|l| l.contains("\"a:reason\" [label"))
        .unwrap();
    assert!(reason.contains("URL=\"https://doi.org/10.1080/10670564.2013.809981\""));
    // A DOI wins over the URL of a work cited before it...
    let mut c = corpus();
    Arc::make_mut(&mut c.references[1]).url = Some(s("https://example.org/yun?a=1&b=2"));
    Arc::make_mut(&mut c.maps[0]).claims[1].citations.reverse();
    let dot = dot_of(&c, &["a"], &Options::default());
    assert!(dot.contains("URL=\"https://doi.org/10.1080/10670564.2013.809981\""));
    // ...and without one, the first URL is the link.
    Arc::make_mut(&mut c.maps[0]).claims[1].citations.pop();
    let dot = dot_of(&c, &["a"], &Options::default());
    assert!(
        dot.contains("URL=\"https://example.org/yun?a=1&amp;b=2\""),
        "{dot}"
    );
}

#[test]
fn tooltips_carry_the_full_text_and_the_quote() {
    let mut c = corpus();
    Arc::make_mut(&mut c.maps[0]).claims[0].quote = Some(s("As \"quoted\"."));
    let dot = dot_of(&c, &["a"], &Options::default());
    assert!(
        dot.contains("tooltip=\"The thesis.\\n\\n“As \\\"quoted\\\".”\\n\\n(a:thesis)\""),
        "{dot}"
    );
}

#[test]
fn one_map_shows_linked_claims_of_other_maps_dashed_each_naming_its_map() {
    let dot = dot_of(&corpus(), &["a"], &Options::default());
    // In no cluster: one would gather them far from the claims they link to.
    assert!(!dot.contains("cluster:b"), "{dot}");
    let other = dot
        .lines()
        .find(|l| l.starts_with("  \"b:other\" [style=\"rounded,filled,dashed\""))
        .expect(&dot);
    assert!(
        other.contains("From b.<BR/><FONT POINT-SIZE=\"8\" COLOR=\"#555555\"><I>Map b</I></FONT>"),
        "{other}"
    );
    assert!(dot.contains("\"b:other\" -> \"a:thesis\"\n"));
    assert!(!dot.contains("b:lonely"));
    assert!(dot.contains("~legend:external"));
}

#[test]
fn all_maps_get_a_cluster_each_and_links_between_them() {
    let dot = dot_of(&corpus(), &[], &Options::default());
    assert!(
        dot.contains("subgraph \"cluster:a\" {\n    graph [style=rounded"),
        "{dot}"
    );
    assert!(dot.contains("subgraph \"cluster:b\" {\n    graph [style=rounded"));
    assert!(dot.contains("\"b:lonely\" [label"));
    assert!(dot.contains("\"b:other\" -> \"a:thesis\"\n"));
    assert!(!dot.contains("~legend:external"));
}

#[test]
fn sections_become_labelled_clusters_in_order_of_appearance() {
    let mut c = corpus();
    Arc::make_mut(&mut c.maps[0]).claims[0].section = Some(s("2. Results & <Discussion>"));
    Arc::make_mut(&mut c.maps[0]).claims[1].section = Some(s("1. Intro"));
    Arc::make_mut(&mut c.maps[0]).claims[2].section = Some(s("2. Results & <Discussion>"));
    let options = Options {
        sections: true,
        ..Options::default()
    };
    let dot = dot_of(&c, &["a"], &options);
    let results = dot
        .find("label=<2. Results &amp; &lt;Discussion&gt;>")
        .expect(&dot);
    let intro = dot.find("label=<1. Intro>").unwrap();
    assert!(results < intro);
    assert!(dot.contains("subgraph \"cluster:a/0\""));
    assert!(dot.contains("subgraph \"cluster:a/1\""));
}

#[test]
fn ids_are_sanitised_and_cannot_collide() {
    let c = Corpus {
        maps: vec![
            map("x:y", vec![claim("z", "one")]),
            map("x", vec![claim("y:z", "two"), claim("say \"hi\"", "three")]),
        ],
        ..Corpus::default()
    };
    let dot = dot_of(&c, &[], &Options::default());
    assert!(dot.contains("\"x%3Ay:z\" [label"), "{dot}");
    assert!(dot.contains("\"x:y%3Az\" [label"));
    assert!(dot.contains("\"x:say%20%22hi%22\" [label"));
}

#[test]
fn unknown_maps_are_named_with_a_suggestion() {
    let c = corpus();
    let err = Graph::build(&c, |g| Diagram::select(g, &["a", "bb"]).err().unwrap());
    assert_eq!(
        err,
        UnknownMap {
            name: "bb".into(),
            suggestion: Some("b".into())
        }
    );
    assert_eq!(err.to_string(), "no map named `bb` (did you mean `b`?)");
}

#[test]
fn shown_maps_include_maps_with_linked_claims() {
    let c = corpus();
    let names = |d: &Diagram| d.shown_maps().map(|m| m.name.clone()).collect::<Vec<_>>();
    assert_eq!(
        Graph::build(&c, |g| names(&Diagram::select(g, &["a"]).unwrap())),
        ["a", "b"]
    );
    assert_eq!(
        Graph::build(&c, |g| names(&Diagram::select(g, &["b"]).unwrap())),
        ["a", "b"]
    );
    let mut c2 = corpus();
    Arc::make_mut(&mut c2.maps[1]).claims[0].links.clear();
    assert_eq!(
        Graph::build(&c2, |g| names(&Diagram::select(g, &["a"]).unwrap())),
        ["a"]
    );
}

#[test]
fn dangling_links_and_duplicate_ids_do_not_break_the_output() {
    let mut c = corpus();
    link(
        &mut Arc::make_mut(&mut c.maps[0]).claims[0],
        Relation::Supports,
        "nowhere",
    );
    link(
        &mut Arc::make_mut(&mut c.maps[0]).claims[0],
        Relation::Supports,
        "zz:top",
    );
    Arc::make_mut(&mut c.maps[0])
        .claims
        .push(claim("thesis", "Duplicate."));
    let dot = dot_of(&c, &[], &Options::default());
    assert!(!dot.contains("nowhere") && !dot.contains("zz:top"), "{dot}");
}

#[test]
fn rank_direction_and_wrap_width_are_applied() {
    let mut c = corpus();
    Arc::make_mut(&mut c.maps[0]).claims[0].text = Some(s("aaaa bbbb cccc"));
    let options = Options {
        wrap: 9,
        rank_dir: RankDir::LeftRight,
        ..Options::default()
    };
    let dot = dot_of(&c, &["a"], &options);
    assert!(dot.contains("rankdir=LR"));
    assert!(dot.contains("<B>aaaa bbbb<BR/>cccc</B>"), "{dot}");
}

fn with_text_citations(id: &str, text: &str) -> Claim {
    let mut c = claim(id, text);
    c.citations = crate::citation::parse_text(text)
        .into_iter()
        .map(|p| Citation {
            item: p.item,
            key_span: span(),
            locator_span: None,
            longer: None,
            origin: CitationOrigin::Text,
        })
        .collect();
    c
}

#[test]
fn citation_markup_leaves_the_box_text_but_not_the_tooltip() {
    let c = corpus();
    let works = text::works(&c);
    let shown = |t: &str| {
        let mut scratch = String::from("left over");
        text::display_text(&with_text_citations("x", t), &works, &mut scratch).to_owned()
    };
    assert_eq!(
        shown("Rivalry faded [see @song2014, p. 87; @yun2012]."),
        "Rivalry faded."
    );
    assert_eq!(shown("[@yun2012] Then [@song2014] now"), " Then now");
    assert_eq!(
        shown("@song2014 [p. 3] says so."),
        "Song 2014, p. 3 says so."
    );
    assert_eq!(
        // In running text pandoc reads `-@key` as a dash and an in-text citation.
        shown("As @yun2012 shows, and -@song2014 too"),
        "As Yun 2012 shows, and -Song 2014 too"
    );
    assert_eq!(
        shown("Mail me@example.org about @nokey."),
        "Mail me@example.org about @nokey."
    );
    assert_eq!(shown("No citations [at all]."), "No citations [at all].");

    let mut c = corpus();
    Arc::make_mut(&mut c.maps[0]).claims[0] =
        with_text_citations("thesis", "The thesis [@song2014].");
    let dot = dot_of(&c, &["a"], &Options::default());
    assert!(dot.contains("<B>The thesis.</B>"), "{dot}");
    assert!(dot.contains("tooltip=\"The thesis [@song2014].\\n"));
}

#[test]
fn conclusions_share_the_top_rank() {
    let dot = dot_of(&corpus(), &[], &Options::default());
    assert!(
        dot.contains("  { rank=max; \"a:thesis\" \"b:lonely\" }\n"),
        "{dot}"
    );
    // Claims of maps that are not drawn are context, not theses.
    let dot = dot_of(&corpus(), &["b"], &Options::default());
    assert!(dot.contains("  { rank=max; \"b:lonely\" }\n"), "{dot}");
}

#[test]
fn depth_draws_an_overview_and_counts_what_it_leaves_out() {
    let options = Options {
        depth: Some(0),
        ..Options::default()
    };
    let dot = dot_of(&corpus(), &["a"], &options);
    assert!(dot.contains("\"a:thesis\" [label"), "{dot}");
    assert!(!dot.contains("\"a:reason\" [label") && !dot.contains("\"a:reason\" ->"));
    // reason (in a) and other (in b) support the thesis.
    assert!(dot.contains("<I>+2 linked claims not shown</I>"));
    assert!(
        !dot.contains("b:other"),
        "an external claim below the cut goes too"
    );
    let options = Options {
        depth: Some(1),
        ..Options::default()
    };
    let dot = dot_of(&corpus(), &["a"], &options);
    assert!(dot.contains("\"a:reason\" -> \"a:thesis\"") && !dot.contains("\"a:objection\" ["));
    assert!(dot.contains("<I>+1 linked claims not shown</I>"));
}

#[test]
fn sections_are_drawn_only_when_asked_for() {
    let mut c = corpus();
    Arc::make_mut(&mut c.maps[0]).claims[0].section = Some(s("Intro"));
    let options = Options {
        sections: true,
        ..Options::default()
    };
    assert!(dot_of(&c, &["a"], &options).contains("label=<Intro>"));
    assert!(!dot_of(&c, &["a"], &Options::default()).contains("Intro"));
}

#[test]
fn cluster_labels_stay_top_left_in_every_direction() {
    // Graphviz flips a cluster's labelloc bottom to top, and its labeljust right to left.
    for (rank_dir, loc, just) in [
        (RankDir::RightLeft, "t", "r"),
        (RankDir::LeftRight, "t", "l"),
        (RankDir::BottomTop, "b", "l"),
        (RankDir::TopBottom, "t", "l"),
    ] {
        let options = Options {
            rank_dir,
            ..Options::default()
        };
        let dot = dot_of(&corpus(), &[], &options);
        let wanted = format!("labelloc={loc}, labeljust={just}, label=<<B>Legend</B>>");
        assert!(dot.contains(&wanted), "{rank_dir:?}: {dot}");
    }
}

#[test]
fn wide_fans_are_staggered_over_ranks() {
    let mut claims = vec![claim("t", "Thesis")];
    for i in 0..5 {
        let mut r = claim(&format!("r{i}"), "Reason");
        link(&mut r, Relation::Supports, "t");
        claims.push(r);
    }
    let c = Corpus {
        maps: vec![map("m", claims)],
        ..Corpus::default()
    };
    let options = Options {
        rank_dir: RankDir::BottomTop,
        ..Options::default()
    };
    let dot = dot_of(&c, &[], &options);
    assert!(dot.contains("\"m:r0\" -> \"m:t\"\n  \"m:r1\" -> \"m:t\" [minlen=2]\n  \"m:r2\" -> \"m:t\" [minlen=3]\n  \"m:r3\" -> \"m:t\"\n"), "{dot}");
    // Sideways (the default) a fan is a column already: no staggering.
    let dot = dot_of(&c, &[], &Options::default());
    assert!(
        dot.contains("rankdir=RL") && !dot.contains("minlen"),
        "{dot}"
    );
}

#[test]
fn maps_written_side_by_side_keep_the_order_of_first_citation_across_maps() {
    // Map a cites song2014 then yun2012; b cites yun2012 first, then song2014 again, and
    // holds the only framing claim: one node per work, in order of first citation over
    // the maps in order, and the legend explains framing found in any map.
    let mut c = corpus();
    let b = Arc::make_mut(&mut c.maps[1]);
    cite(&mut b.claims[0], "yun2012", None);
    cite(&mut b.claims[0], "song2014", None);
    b.claims[1].kind = crate::model::ClaimKind::Framing;
    let options = Options {
        citations: CitationStyle::Nodes,
        ..Options::default()
    };
    let dot = dot_of(&c, &[], &options);
    let song = dot
        .find("  \"@song2014\" [shape=note")
        .expect("song2014's node");
    let yun = dot
        .find("  \"@yun2012\" [shape=note")
        .expect("yun2012's node");
    assert!(song < yun, "{dot}");
    assert_eq!(dot.matches("\"@yun2012\" [shape=note").count(), 1);
    assert!(dot.contains("\"~legend:framing\""), "{dot}");
    let a = dot.find("subgraph \"cluster:a\"").expect("a's cluster");
    let b = dot.find("subgraph \"cluster:b\"").expect("b's cluster");
    assert!(a < b);
    // A second map's citations first: its order wins.
    let mut c = corpus();
    let a = Arc::make_mut(&mut c.maps[0]);
    a.claims[1].citations.reverse();
    let dot = dot_of(&c, &[], &options);
    assert!(
        dot.find("  \"@yun2012\" [shape=note").unwrap()
            < dot.find("  \"@song2014\" [shape=note").unwrap()
    );
}

fn focus_of(corpus: &Corpus, claim: &str, options: &Options) -> String {
    Graph::build(corpus, |g| {
        let node = g.find(None, claim).unwrap();
        Diagram::focus(g, node).to_dot(options)
    })
}

#[test]
fn an_argument_across_maps_is_drawn_as_one_titled_after_its_claim() {
    let mut c = corpus();
    Arc::make_mut(&mut c.maps[1]).source = Some(s("yun2012"));
    let dot = focus_of(&c, "a:thesis", &Options::default());
    // No map clusters: b's claim sits by the thesis it supports, and names its map.
    assert!(
        !dot.contains("cluster:a") && !dot.contains("cluster:b"),
        "{dot}"
    );
    assert!(
        dot.contains("  label=<<FONT POINT-SIZE=\"16\"><B>Map a</B>"),
        "{dot}"
    );
    let line = |id: &str| {
        dot.lines()
            .find(|l| l.starts_with(&format!("  \"{id}\" [label")))
            .unwrap_or_else(|| panic!("{id} in {dot}"))
            .to_owned()
    };
    assert!(line("b:other").contains("<I>Map b, Yun 2012</I>"), "{dot}");
    assert!(!line("a:reason").contains("<I>Map a"), "{dot}");
    assert!(!dot.contains("b:lonely"));
    // Drawn for b's claim, the argument is b's.
    let dot = focus_of(&c, "b:other", &Options::default());
    assert!(
        dot.contains("<B>Map b</B>") && !dot.contains("a:thesis"),
        "{dot}"
    );
}

#[test]
fn conclusions_are_those_of_the_maps_drawn() {
    let c = corpus();
    let listed = |d: &Diagram| {
        d.conclusions()
            .map(|(m, c)| format!("{}:{}", m.name, c.id.value))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        Graph::build(&c, |g| listed(&Diagram::all(g))),
        ["a:thesis", "b:lonely"]
    );
    // b's claim is drawn for its link, as context: not a conclusion of the diagram.
    assert_eq!(
        Graph::build(&c, |g| listed(&Diagram::select(g, &["a"]).unwrap())),
        ["a:thesis"]
    );
    assert_eq!(
        Graph::build(&c, |g| {
            let node = g.find(None, "a:reason").unwrap();
            listed(&Diagram::focus(g, node))
        }),
        Vec::<String>::new()
    );
    assert_eq!(
        Graph::build(&c, |g| {
            let node = g.find(None, "a:thesis").unwrap();
            listed(&Diagram::focus(g, node))
        }),
        ["a:thesis"]
    );
}
