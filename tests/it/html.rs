//! `argmap html` as readers meet it. The CLI writes the site of the bundled maps, and of
//! a project whose every text is hostile; every internal link and anchor leads to a file
//! and an element of the site, ids are unique on each page, nothing is loaded from
//! elsewhere, and two builds are the same bytes. Then a real browser (Chromium,
//! `html_browser.rs`) opens the site from `file://` as a reader would: it clicks a claim
//! in a diagram and reads its panel, follows a link into the other map, chooses a
//! conclusion, searches, reads the pages with scripts off and at a phone's width, and
//! makes no request that leaves the file system; hostile text is shown literally and no
//! script from a file runs.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::json;

use crate::common::{argmap, percent_decode};
use crate::html_browser::Browser;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// `argmap html ROOT -o OUT`, which must succeed.
fn build(root: &Path, out: &Path) {
    let done = argmap()
        .arg("html")
        .arg(root)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        done.status.success(),
        "argmap html: {}",
        String::from_utf8_lossy(&done.stderr)
    );
}

/// Every file under `dir`, by its path relative to it.
fn read_tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    fn walk(dir: &Path, base: &Path, out: &mut BTreeMap<String, Vec<u8>>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, base, out);
            } else {
                let name = path
                    .strip_prefix(base)
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                out.insert(name, std::fs::read(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, dir, &mut out);
    out
}

/// The values of an attribute (`href="`, ` id="`, ...) in a page, entities decoded.
fn attributes(html: &str, attr: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find(attr) {
        let after = &rest[i + attr.len()..];
        let end = after.find('"').expect("a closed attribute");
        out.push(
            after[..end]
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&amp;", "&"),
        );
        rest = &after[end..];
    }
    out
}

/// What a site's pages link to: checks that every internal link leads to a file of the
/// site and, with a fragment, to an element of that page; that ids are unique on each
/// page; that nothing is loaded from elsewhere. Returns the external links.
fn check_links(site: &Path, files: &BTreeMap<String, Vec<u8>>) -> BTreeSet<String> {
    let pages: BTreeMap<&str, &str> = files
        .iter()
        .filter(|(p, _)| p.ends_with(".html"))
        .map(|(p, b)| (p.as_str(), std::str::from_utf8(b).expect("UTF-8 pages")))
        .collect();
    let ids: BTreeMap<&str, BTreeSet<String>> = pages
        .iter()
        .map(|(path, html)| {
            let all = attributes(html, " id=\"");
            let unique: BTreeSet<String> = all.iter().cloned().collect();
            assert_eq!(unique.len(), all.len(), "{path}: an id used twice");
            (*path, unique)
        })
        .collect();
    let mut external = BTreeSet::new();
    for (path, html) in &pages {
        assert!(html.starts_with("<!DOCTYPE html>\n"), "{path}");
        // What the page loads, as opposed to what it links to, is the site's own.
        for attr in [" src=\"", "<link rel=\"stylesheet\" href=\"", " action=\""] {
            for url in attributes(html, attr) {
                assert!(
                    !url.contains(':') && !url.starts_with("//"),
                    "{path} loads {url}"
                );
            }
        }
        let mut links = attributes(html, " href=\"");
        links.extend(attributes(html, "xlink:href=\""));
        links.extend(attributes(html, " action=\""));
        links.extend(attributes(html, " src=\""));
        for link in links {
            if link.starts_with("https://") || link.starts_with("http://") {
                external.insert(link);
                continue;
            }
            assert!(
                !link.contains(':'),
                "{path}: a link of another scheme: {link}"
            );
            let (file, fragment) = link.split_once('#').unwrap_or((&link, ""));
            let file = file.split_once('?').map_or(file, |(f, _)| f);
            let target = match file {
                "" => path.to_string(),
                file => normalize(&Path::new(path).parent().unwrap().join(percent_decode(file))),
            };
            assert!(
                files.contains_key(&target),
                "{path}: {link} leads to {target}, which the site does not have ({})",
                site.display()
            );
            if !fragment.is_empty() {
                let there = ids.get(target.as_str()).expect("a fragment of a page");
                assert!(
                    there.contains(&percent_decode(fragment)),
                    "{path}: {link}: {target} has no element {fragment}"
                );
            }
        }
    }
    external
}

/// `a/b/../c` as `a/c`; a path that climbs out of the site panics.
fn normalize(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    for part in path.components() {
        match part {
            std::path::Component::ParentDir => {
                assert!(parts.pop().is_some(), "{} leaves the site", path.display());
            }
            std::path::Component::CurDir => {}
            other => parts.push(other.as_os_str().to_string_lossy().into_owned()),
        }
    }
    parts.join("/")
}

#[test]
fn every_link_of_the_bundled_site_resolves_and_two_builds_are_the_same_bytes() {
    let out = tempfile::tempdir().unwrap();
    let (one, two) = (out.path().join("one"), out.path().join("two"));
    build(repo(), &one);
    build(repo(), &two);
    let files = read_tree(&one);
    assert_eq!(files, read_tree(&two), "two builds differ");
    // A build over the last one changes nothing either.
    build(repo(), &one);
    assert_eq!(files, read_tree(&one), "a rebuild differs");

    let analysis = argmap::AnalysisHost::open(repo()).unwrap().analysis();
    let corpus = analysis.corpus();
    // A page for every map, every claim and every work; the references, the index.
    for map in &corpus.maps {
        assert!(files.contains_key(&format!("maps/{}.html", map.name)));
        for claim in &map.claims {
            assert!(files.contains_key(&format!("claims/{}/{}.html", map.name, claim.id.value)));
        }
    }
    for r in &corpus.references {
        assert!(files.contains_key(&format!("works/{}.html", r.id.value)));
    }
    for page in [
        "index.html",
        "references.html",
        "style.css",
        "app.js",
        "search-index.js",
    ] {
        assert!(files.contains_key(page), "{page}");
    }
    let external = check_links(&one, &files);
    // The only links out are the works' DOIs and URLs, each in the references.
    let dois: BTreeSet<String> = corpus
        .references
        .iter()
        .filter_map(|r| r.entry().doi_url)
        .collect();
    assert!(!dois.is_empty());
    for doi in &dois {
        assert!(external.contains(doi), "{doi} is linked nowhere");
    }
    for link in &external {
        let listed = dois.contains(link)
            || corpus
                .references
                .iter()
                .any(|r| r.url.as_ref().is_some_and(|u| u.value.trim() == link));
        assert!(listed, "a link to {link}, which no reference gives");
    }
    // The search index's pages exist.
    let index = std::str::from_utf8(&files["search-index.js"]).unwrap();
    let json = index
        .strip_prefix("window.ARGMAP_INDEX = ")
        .and_then(|s| s.strip_suffix(";\n"))
        .expect("the index as a script");
    let items: serde_json::Value = serde_json::from_str(json).unwrap();
    let items = items.as_array().unwrap();
    let claims: usize = corpus.maps.iter().map(|m| m.claims.len()).sum();
    assert_eq!(items.len(), claims + corpus.references.len());
    for item in items {
        let page = percent_decode(item[3].as_str().unwrap());
        assert!(files.contains_key(&page), "the index names {page}");
    }
}

const HOSTILE_REFERENCES: &str = r#"references:
  - id: song2014
    type: article-journal
    title: "Russia's SCO policy <script>window.pwned = 'title'</script> & \"more\""
    author:
      - {family: "So<b>ng</b>", given: W.}
    issued: {date-parts: [[2014]]}
    container-title: "Asian <i>Survey</i>"
    page: 85-101
    DOI: 10.1000/182
    note: "<img src=x onerror=\"window.pwned = 'note'\">"
  - id: yun2012
    type: book
    title: Energy
    issued: {date-parts: [[2012]]}
    URL: "javascript:window.pwned = 'url'"
  - id: lee2019
    type: book
    title: Other
    issued: {date-parts: [[2019]]}
    URL: " JaVaScRiPt:window.pwned = 'url2'"
"#;

const HOSTILE_RUSSIA: &str = r#"title: "Russia <script>window.pwned = 'map'</script>"
source: song2014
claims:
  - id: thesis
    text: "Russia put security first, \"always\" & 'ever' [@song2014, p. 87]."
    quote: "Russia put security first</blockquote><script>window.pwned = 'quote'</script>"
    section: "<b>IV</b>"
  - id: reason
    text: "Trade came second <img src=x onerror=\"window.pwned = 'text'\"> <a href=\"javascript:window.pwned = 'a'\">x</a> [@yun2012; @lee2019]."
    supports: [thesis]
  - id: echo
    text: "The Chinese view agrees ]]></svg><script>window.pwned = 'svg'</script> [@song2014]."
    supports: ["china:main"]
"#;

const HOSTILE_CHINA: &str = "title: China and the SCO
source: song2014
claims:
  - id: main
    text: China wanted trade [@yun2012].
  - id: why
    text: Energy drove it [@yun2012].
    supports: [main]
";

fn hostile_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for folder in ["arguments", "references", "sources"] {
        std::fs::create_dir(dir.path().join(folder)).unwrap();
    }
    std::fs::write(dir.path().join("references/r.yaml"), HOSTILE_REFERENCES).unwrap();
    std::fs::write(dir.path().join("arguments/russia.yaml"), HOSTILE_RUSSIA).unwrap();
    std::fs::write(dir.path().join("arguments/china.yaml"), HOSTILE_CHINA).unwrap();
    std::fs::write(
        dir.path().join("sources/song2014.txt"),
        "Abstract.\n\nAfter 2001, <script>window.pwned = 'paper'</script> Russia put security first, and trade second.\n",
    )
    .unwrap();
    dir
}

#[test]
fn hostile_text_is_escaped_and_links_are_web_links_only() {
    let project = hostile_project();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(project.path(), &site);
    let files = read_tree(&site);
    let external = check_links(&site, &files);
    assert_eq!(
        external.into_iter().collect::<Vec<_>>(),
        ["https://doi.org/10.1000/182"]
    );
    // The index is data in a script: nothing in it can end the script.
    let index = String::from_utf8_lossy(&files["search-index.js"]);
    assert!(
        index.contains("window.pwned") && !index.contains("</"),
        "{index}"
    );
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".html")) {
        let text = String::from_utf8_lossy(bytes);
        assert!(!text.contains("<script>window"), "{path}");
        assert!(!text.contains("<img src=x"), "{path}");
        assert!(!text.contains("<b>"), "{path}");
        assert!(!text.contains("<a href=\"javascript"), "{path}");
        assert!(!text.to_lowercase().contains("href=\"javascript"), "{path}");
        assert!(
            !text.to_lowercase().contains("href=\" javascript"),
            "{path}"
        );
    }
    let map = String::from_utf8_lossy(&files["maps/russia.html"]);
    assert!(
        map.contains(
            "Trade came second &lt;img src=x onerror=&quot;window.pwned = &#39;text&#39;&quot;&gt;"
        ),
        "{map}"
    );
    // A work whose address is no web address is listed, without a link.
    let works = String::from_utf8_lossy(&files["works/yun2012.html"]);
    assert!(works.contains("<cite>Energy</cite>."), "{works}");
    assert!(!works.contains("<a href=\"javascript"), "{works}");
}

#[test]
fn a_reader_clicks_a_claim_follows_a_link_into_another_map_and_searches_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(repo(), &site);
    // What to expect, from the analysis (not from the pages): a claim of one map bearing
    // on a claim of another, and a conclusion of that other map.
    let analysis = argmap::AnalysisHost::open(repo()).unwrap().analysis();
    let graph = analysis.graph();
    let (from, to) = (0..graph.len() as u32)
        .find_map(|node| {
            let (map, claim) = graph.claim(node);
            graph.links_from(node).find_map(|edge| {
                let to = edge.to?;
                let (other, target) = graph.claim(to);
                (other.name != map.name && !claim.citations.is_empty())
                    .then_some(((map, claim), (other, target)))
            })
        })
        .expect("the bundled maps link across maps");
    let ((map, claim), (other, target)) = (from, to);
    let conclusion = other
        .claims
        .iter()
        .find(|c| other.is_conclusion(c))
        .expect("a conclusion");
    let cited = analysis
        .corpus()
        .references
        .iter()
        .find(|r| r.id.value == claim.citations[0].key())
        .expect("a listed reference");

    let mut browser = Browser::start(1280, 900);
    browser.open_file(&site.join("index.html"), "");
    assert_eq!(browser.text("document.title"), "Argument maps");
    // Into the map, by its link on the index.
    browser.click_to_page(&format!("main a[href=\"maps/{}.html\"]", map.name));
    assert!(
        browser
            .text("location.pathname")
            .ends_with(&format!("/maps/{}.html", map.name))
    );
    let panel = format!("claim-{}", claim.id.value);
    assert_eq!(
        browser.text(&format!(
            "getComputedStyle(document.getElementById('{panel}')).display"
        )),
        "none",
        "a panel is hidden until its claim is chosen"
    );
    // The claim's box in the diagram of the whole map: focused (the diagram pans to
    // it), then clicked.
    let node = format!("#map svg a[*|href$=\"#{panel}\"]");
    browser.eval(&format!("document.querySelector({node:?}).focus(); true"));
    browser.click(&node);
    browser.wait_for(&format!("location.hash === '#{panel}'"));
    browser.wait_for(&format!(
        "getComputedStyle(document.getElementById('{panel}')).display !== 'none'"
    ));
    let shown = browser.text(&format!("document.getElementById('{panel}').innerText"));
    assert!(shown.contains(claim.text()), "{shown}");
    assert!(shown.contains(&cited.author_date()), "{shown}");
    let other_name = format!("{}:{}", other.name, target.id.value);
    assert!(shown.contains(&other_name), "{shown}");
    // The panel is in view, beside the diagram, not at the foot of the page.
    let in_view = browser.eval(&format!(
        "(() => {{ const r = document.getElementById('{panel}').getBoundingClientRect(); \
         return r.top >= 0 && r.top < innerHeight && r.left >= 0 && r.right <= innerWidth; }})()"
    ));
    assert_eq!(in_view, json!(true));
    // The link to the other map's claim moves there, with its panel open.
    browser.click_to_page(&format!(
        "#{panel} a[href=\"../maps/{}.html#claim-{}\"]",
        other.name, target.id.value
    ));
    assert!(
        browser
            .text("location.pathname")
            .ends_with(&format!("/maps/{}.html", other.name))
    );
    let there = format!("claim-{}", target.id.value);
    assert_eq!(browser.text("location.hash"), format!("#{there}"));
    browser.wait_for(&format!(
        "getComputedStyle(document.getElementById('{there}')).display !== 'none'"
    ));
    let shown = browser.text(&format!("document.getElementById('{there}').innerText"));
    assert!(shown.contains(target.text()), "{shown}");
    // What bears on it includes the claim we came from, named with its map.
    assert!(
        shown.contains(&format!("{}:{}", map.name, claim.id.value)),
        "{shown}"
    );
    // Escape closes the panel.
    browser.press("Escape", 27);
    browser.wait_for(&format!(
        "getComputedStyle(document.getElementById('{there}')).display === 'none'"
    ));
    // A conclusion chosen: its argument alone.
    let focus = format!("focus-{}", conclusion.id.value);
    browser.click(&format!("ol.conclusions a[href=\"#{focus}\"]"));
    browser.wait_for(&format!(
        "getComputedStyle(document.getElementById('{focus}')).display !== 'none'"
    ));
    let drawn = browser.eval(&format!(
        "document.querySelectorAll('#{focus} svg g.node').length"
    ));
    assert!(drawn.as_u64().unwrap() >= 1, "{drawn}");
    // Search, typed into the box: the index is a script, read from `file://`.
    let words: Vec<&str> = claim.text().split_whitespace().take(6).collect();
    let query = words.join(" ");
    browser.click("#q");
    browser.type_text(&query);
    let name = format!("{}:{}", map.name, claim.id.value);
    browser.wait_for(&format!(
        "Array.from(document.querySelectorAll('#results a')).some(a => a.textContent === {name:?})"
    ));
    // The result leads to the claim's page, which cites the work with its DOI.
    browser.click_to_page(&format!(
        "#results a[href$=\"claims/{}/{}.html\"]",
        map.name, claim.id.value
    ));
    assert!(
        browser
            .text("document.querySelector('h1').textContent")
            .contains(&name)
    );
    browser.click_to_page(&format!("main a[href$=\"works/{}.html\"]", cited.id.value));
    if let Some(doi) = cited.entry().doi_url {
        let link = browser.eval(&format!(
            "!!document.querySelector('main a[href=\"{doi}\"]')"
        ));
        assert_eq!(link, json!(true), "{doi}");
    }
    assert!(browser.exceptions.is_empty(), "{:?}", browser.exceptions);
    assert!(browser.requests.len() > 10, "{:?}", browser.requests);
    for url in &browser.requests {
        assert!(
            url.starts_with("file://"),
            "a request left the file system: {url}"
        );
    }
}

#[test]
fn hostile_text_is_shown_literally_and_never_run_in_chromium() {
    let project = hostile_project();
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(project.path(), &site);
    let mut browser = Browser::start(1280, 900);
    let pages = [
        ("maps/russia.html", "claim-reason"),
        ("maps/russia.html", "claim-thesis"),
        ("maps/russia.html", "focus-thesis"),
        ("claims/russia/thesis.html", ""),
        ("claims/russia/reason.html", ""),
        ("works/song2014.html", ""),
        ("works/yun2012.html", ""),
        ("references.html", ""),
        ("index.html", ""),
    ];
    for (page, fragment) in pages {
        browser.open_file(&site.join(page), fragment);
        assert_eq!(
            browser.eval("typeof window.pwned"),
            json!("undefined"),
            "{page}"
        );
        // No link leads anywhere but the site and the web.
        let schemes = browser.text(
            "Array.from(document.querySelectorAll('a')).map(a => typeof a.href === 'string' ? a.href \
             : new URL(a.href.baseVal, location.href).href).filter(h => !/^(file|https?):/.test(h)).join(' ')",
        );
        assert_eq!(schemes, "", "{page}");
    }
    browser.open_file(&site.join("maps/russia.html"), "claim-reason");
    let shown = browser.text("document.getElementById('claim-reason').innerText");
    assert!(
        shown.contains(
            "Trade came second <img src=x onerror=\"window.pwned = 'text'\"> <a href=\"javascript:window.pwned = 'a'\">x</a>"
        ),
        "{shown}"
    );
    assert_eq!(
        browser.text("document.title"),
        "Russia <script>window.pwned = 'map'</script>"
    );
    browser.open_file(&site.join("claims/russia/thesis.html"), "");
    let shown = browser.text("document.querySelector('main').innerText");
    assert!(
        shown.contains(
            "Russia put security first</blockquote><script>window.pwned = 'quote'</script>"
        ),
        "{shown}"
    );
    assert!(shown.contains("\"always\" & 'ever'"), "{shown}");
    // Results of a search are text too.
    browser.click("#q");
    browser.type_text("onerror");
    browser.wait_for("document.querySelectorAll('#results li').length > 0");
    assert_eq!(
        browser.eval("document.querySelectorAll('#results img').length"),
        json!(0)
    );
    assert_eq!(browser.eval("typeof window.pwned"), json!("undefined"));
    assert!(browser.exceptions.is_empty(), "{:?}", browser.exceptions);
    for url in &browser.requests {
        assert!(
            url.starts_with("file://"),
            "a request left the file system: {url}"
        );
    }
}

#[test]
fn the_site_reads_with_scripts_off_on_a_phone_and_from_the_keyboard_in_chromium() {
    let out = tempfile::tempdir().unwrap();
    let site = out.path().join("site");
    build(repo(), &site);
    let analysis = argmap::AnalysisHost::open(repo()).unwrap().analysis();
    let map = &analysis.corpus().maps[0];
    let conclusion = map.claims.iter().find(|c| map.is_conclusion(c)).unwrap();
    let page = site.join(format!("maps/{}.html", map.name));

    let mut browser = Browser::start(1280, 900);
    // From the keyboard: the first Tab reaches the skip link, which shows itself; Enter
    // follows it.
    browser.open_file(&page, "");
    browser.press("Tab", 9);
    assert_eq!(browser.text("document.activeElement.className"), "skip");
    let visible = browser.eval(
        "(() => { const e = document.activeElement, r = e.getBoundingClientRect(), s = getComputedStyle(e); \
         return r.left >= 0 && r.top >= 0 && s.outlineStyle !== 'none'; })()",
    );
    assert_eq!(visible, json!(true));
    // A claim's box in the diagram, reached by focus and chosen with Enter.
    let node = format!("#map svg a[*|href$=\"#claim-{}\"]", conclusion.id.value);
    browser.eval(&format!("document.querySelector({node:?}).focus(); true"));
    browser.press("Enter", 13);
    browser.wait_for(&format!(
        "location.hash === '#claim-{}'",
        conclusion.id.value
    ));

    // Scripts off: a claim's panel and a conclusion's argument still open by their
    // addresses, and the page says how to read it.
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": true}),
    );
    browser.open_file(&page, &format!("claim-{}", conclusion.id.value));
    let display = browser.call(
        "Runtime.evaluate",
        json!({"expression": format!("getComputedStyle(document.getElementById('claim-{}')).display", conclusion.id.value), "returnByValue": true}),
    );
    assert_ne!(display["result"]["value"], json!("none"), "{display}");
    browser.open_file(&page, &format!("focus-{}", conclusion.id.value));
    let display = browser.call(
        "Runtime.evaluate",
        json!({"expression": format!("getComputedStyle(document.getElementById('focus-{}')).display", conclusion.id.value), "returnByValue": true}),
    );
    assert_ne!(display["result"]["value"], json!("none"), "{display}");
    browser.call(
        "Emulation.setScriptExecutionDisabled",
        json!({"value": false}),
    );

    // A phone: no page is wider than the screen (a diagram pans inside its frame).
    browser.call(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": 390, "height": 844, "deviceScaleFactor": 2, "mobile": true}),
    );
    let claim_page = format!("claims/{}/{}.html", map.name, conclusion.id.value);
    let map_page = format!("maps/{}.html", map.name);
    for page in ["index.html", "references.html", &claim_page, &map_page] {
        browser.open_file(&site.join(page), "");
        let fits = browser.eval("document.documentElement.scrollWidth <= innerWidth");
        let widths = browser.eval("[document.documentElement.scrollWidth, innerWidth]");
        assert_eq!(fits, json!(true), "{page} is wider than a phone: {widths}");
    }
    assert!(browser.exceptions.is_empty(), "{:?}", browser.exceptions);
    for url in &browser.requests {
        assert!(
            url.starts_with("file://"),
            "a request left the file system: {url}"
        );
    }
}

// ------------------------------------------------------------ a hostile user's folders

/// `argmap html ROOT -o OUT`: its exit code and standard error.
fn run(root: &Path, out: &Path) -> (Option<i32>, String) {
    let done = argmap()
        .arg("html")
        .arg(root)
        .arg("-o")
        .arg(out)
        .output()
        .unwrap();
    (
        done.status.code(),
        String::from_utf8_lossy(&done.stderr).into_owned(),
    )
}

#[test]
fn a_folder_argmap_did_not_write_and_a_file_in_the_way_are_left_alone() {
    let project = hostile_project();
    let dir = tempfile::tempdir().unwrap();
    // A folder of someone else's files.
    let other = dir.path().join("mine");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "mine").unwrap();
    let (code, err) = run(project.path(), &other);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("holds files argmap did not write"), "{err}");
    assert_eq!(std::fs::read_dir(&other).unwrap().count(), 1);
    // A file where the folder should be.
    let file = dir.path().join("file");
    std::fs::write(&file, "mine").unwrap();
    let (code, err) = run(project.path(), &file);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("is not a folder"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    // A link to nothing.
    let dangling = dir.path().join("dangling");
    std::os::unix::fs::symlink(dir.path().join("nowhere"), &dangling).unwrap();
    let (code, err) = run(project.path(), &dangling);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("symbolic link to nothing"), "{err}");
    assert!(!dir.path().join("nowhere").exists());
    // A place no one can write (as root too): a failed write is exit 2.
    let (code, err) = run(project.path(), Path::new("/proc/argmap-site"));
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("cannot make /proc/argmap-site"), "{err}");
    // ROOT missing.
    let (code, err) = run(&dir.path().join("no-root"), &dir.path().join("site"));
    assert_eq!(code, Some(2), "{err}");
    assert!(!dir.path().join("site").exists());
}

#[test]
fn a_rebuild_removes_only_its_own_gone_pages_and_replaces_only_regular_files() {
    let project = hostile_project();
    let dir = tempfile::tempdir().unwrap();
    // The site through a link to its folder: followed.
    let real = dir.path().join("real");
    std::fs::create_dir(&real).unwrap();
    let site = dir.path().join("site");
    std::os::unix::fs::symlink(&real, &site).unwrap();
    build(project.path(), &site);
    assert!(real.join("maps/china.html").is_file());
    std::fs::write(real.join("keep.txt"), "mine").unwrap();
    // The list of the site's files is data: what it names outside the folder stays.
    let outside = dir.path().join("outside.txt");
    std::fs::write(&outside, "mine").unwrap();
    let mut manifest = std::fs::read_to_string(real.join(".argmap-site")).unwrap();
    manifest.push_str(&format!(
        "../outside.txt\n{}\nmaps/../../outside.txt\n",
        outside.display()
    ));
    std::fs::write(real.join(".argmap-site"), manifest).unwrap();
    // A map gone: its pages go, and the folder of its claims.
    std::fs::remove_file(project.path().join("arguments/china.yaml")).unwrap();
    build(project.path(), &site);
    assert!(!real.join("maps/china.html").exists());
    assert!(!real.join("claims/china").exists());
    assert!(real.join("maps/russia.html").is_file());
    assert_eq!(
        std::fs::read_to_string(real.join("keep.txt")).unwrap(),
        "mine"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "mine");
    assert!(
        std::fs::symlink_metadata(&site)
            .unwrap()
            .file_type()
            .is_symlink()
    );

    // What is not a regular file is never replaced, and nothing is written then.
    let before = read_tree(&real);
    let index = real.join("index.html");
    std::fs::remove_file(&index).unwrap();
    std::os::unix::fs::symlink(&outside, &index).unwrap();
    let (code, err) = run(project.path(), &site);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("is a symbolic link, where the site has a page"),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&outside).unwrap(), "mine");
    std::fs::remove_file(&index).unwrap();
    // A FIFO: refused at once (writing into it would wait for a reader for ever).
    let made = std::process::Command::new("mkfifo")
        .arg(&index)
        .status()
        .unwrap();
    assert!(made.success());
    let (code, err) = run(project.path(), &site);
    assert_eq!(code, Some(2), "{err}");
    assert!(err.contains("not a regular file"), "{err}");
    assert!(!std::fs::symlink_metadata(&index).unwrap().is_file());
    std::fs::remove_file(&index).unwrap();
    // A folder of the site that is a link elsewhere: nothing is written through it.
    let maps = real.join("maps");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::rename(&maps, &elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, &maps).unwrap();
    let listed = std::fs::read_dir(&elsewhere).unwrap().count();
    let (code, err) = run(project.path(), &site);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("is a symbolic link, where the site has a folder"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&elsewhere).unwrap().count(), listed);
    // Nothing else changed in those three refusals (index.html aside, taken away here).
    let mut after = read_tree(&real);
    let mut expected = before;
    expected.remove("index.html");
    expected.retain(|p, _| !p.starts_with("maps/"));
    after.retain(|p, _| !p.starts_with("maps/"));
    assert_eq!(after, expected);
    // Put right, the site builds again.
    std::fs::remove_file(&maps).unwrap();
    build(project.path(), &site);
    assert!(real.join("index.html").is_file());
}

#[test]
fn odd_maps_build_a_site_huge_text_unicode_names_an_unreadable_map_and_no_map_at_all() {
    let dir = tempfile::tempdir().unwrap();
    // No map at all: an index that says so.
    let empty = dir.path().join("empty");
    for folder in ["arguments", "references"] {
        std::fs::create_dir_all(empty.join(folder)).unwrap();
    }
    build(&empty, &dir.path().join("empty-site"));
    let index = std::fs::read_to_string(dir.path().join("empty-site/index.html")).unwrap();
    assert!(index.contains("No map"), "{index}");

    let project = hostile_project();
    let huge = "word ".repeat(100_000);
    std::fs::write(
        project.path().join("arguments/ünï cödé.yaml"),
        format!(
            "title: Ünï\nsource: song2014\nclaims:\n  - id: é\n    text: \"{huge}[@song2014].\"\n    \
             quote: \"{huge}\"\n  - id: b\n    text: B [@song2014].\n    supports: [é, \"russia:thesis\"]\n  \
             - id: \"../../escape\"\n    text: Out [@song2014].\n  - id: \"a/b\"\n    text: Slash [@song2014].\n"
        ),
    )
    .unwrap();
    std::fs::write(
        project.path().join("arguments/broken.yaml"),
        "title: [unclosed\nclaims:\n  - id: x\n    text: {{{\n",
    )
    .unwrap();
    let site = dir.path().join("site");
    build(project.path(), &site);
    let files = read_tree(&site);
    check_links(&site, &files);
    // Ids that are paths are errors of the map, and name no file, inside or out.
    assert!(!dir.path().join("escape.html").exists());
    assert!(
        files
            .keys()
            .all(|p| !p.contains("escape") && !p.contains("a%2Fb") && !p.contains("a/b")),
        "{:?}",
        files.keys()
    );
    let map = String::from_utf8_lossy(&files["maps/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9.html"]);
    // The whole text in the panel (the diagram's box ends it short).
    assert!(map.contains(&huge), "the whole huge text");
    assert!(files.contains_key("claims/%C3%BCn%C3%AF%20c%C3%B6d%C3%A9/%C3%A9.html"));
    // The map that does not parse is named on the index, with why.
    let index = String::from_utf8_lossy(&files["index.html"]);
    assert!(
        index.contains("<code>arguments/broken.yaml</code>"),
        "{index}"
    );
    assert!(index.contains("<code>yaml-syntax</code>"), "{index}");
}

#[test]
fn the_site_workflow_builds_the_site_with_make_and_publishes_it_with_pages() {
    let text = std::fs::read_to_string(repo().join(".github/workflows/site.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let build = &workflow["jobs"]["build"];
    let steps = build["steps"].as_array().unwrap();
    let run: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    assert!(run.contains(&"make site"), "{run:?}");
    assert!(
        run.iter().any(|r| r.contains("install -y -qq graphviz")),
        "{run:?}"
    );
    let upload = steps
        .iter()
        .find(|s| {
            s["uses"]
                .as_str()
                .is_some_and(|u| u.starts_with("actions/upload-pages-artifact@"))
        })
        .expect("the site uploaded as the Pages artifact");
    assert_eq!(upload["with"]["path"], "site");
    let deploy = &workflow["jobs"]["deploy"];
    assert_eq!(deploy["needs"], "build");
    assert_eq!(deploy["permissions"]["pages"], "write");
    assert_eq!(deploy["permissions"]["id-token"], "write");
    assert_eq!(deploy["environment"]["name"], "github-pages");
    assert!(
        deploy["steps"][0]["uses"]
            .as_str()
            .unwrap()
            .starts_with("actions/deploy-pages@")
    );
    // What the workflow runs is the Makefile's: `make site` writes site/, which git ignores.
    let makefile = std::fs::read_to_string(repo().join("Makefile")).unwrap();
    assert!(makefile.contains("\nsite: build graphviz\n\t$(ARGMAP) html . -o site\n"));
    let ignored = std::fs::read_to_string(repo().join(".gitignore")).unwrap();
    assert!(ignored.lines().any(|l| l == "/site/"));
}
