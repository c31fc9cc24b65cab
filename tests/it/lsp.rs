//! `argmap lsp` driven as editors drive it: the binary as a process, spoken to over its
//! standard input and output (JSON-RPC with `Content-Length` frames), and by a real editor,
//! Neovim headless, with its own language client.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// How long any answer may take before the test fails (the server must never hang).
const PATIENCE: Duration = Duration::from_secs(30);

const REFERENCES: &str = "references:
  - id: song2014
    type: article-journal
    title: \"Russia's SCO policy: [security] <b>first</b>\"
    author:
      - family: Song
        given: W.
    issued:
      date-parts: [[2014]]
    container-title: Asian Survey
    page: 85-101
  - id: yun2012
    type: book
    title: Energy
    DOI: https://doi.org/10.1000/182
";

/// A map whose first claim misspells a key after characters of two and three UTF-8 bytes
/// (one UTF-16 unit each), and whose second cites and links.
const MAP: &str = "title: M
source: song2014
claims:
  - id: thesis
    text: Sécurité d’abord [@sung2014].
  - id: reason
    text: Because [@song2014, p. 90] and [@yun2012].
    supports: [thesis]
";

fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("arguments")).unwrap();
    std::fs::create_dir(dir.path().join("references")).unwrap();
    std::fs::write(dir.path().join("references/r.yaml"), REFERENCES).unwrap();
    std::fs::write(dir.path().join("arguments/m.yaml"), MAP).unwrap();
    dir
}

fn uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The server as a process, and its messages as they come.
struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
}

impl Client {
    fn start(root: &Path, capabilities: Value) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_argmap"))
            .arg("lsp")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (sender, messages) = channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            loop {
                let mut length = None;
                loop {
                    let mut line = String::new();
                    if reader.read_line(&mut line).unwrap_or(0) == 0 {
                        return;
                    }
                    let line = line.trim_end();
                    if line.is_empty() {
                        break;
                    }
                    if let Some(n) = line.strip_prefix("Content-Length: ") {
                        length = Some(n.parse::<usize>().unwrap());
                    }
                }
                let mut body = vec![0; length.expect("a Content-Length header")];
                reader.read_exact(&mut body).unwrap();
                if sender.send(serde_json::from_slice(&body).unwrap()).is_err() {
                    return;
                }
            }
        });
        let mut client = Client {
            stdin: child.stdin.take(),
            child,
            messages,
            next_id: 0,
        };
        let init = client.request(
            "initialize",
            json!({"processId": null, "rootUri": uri(root), "capabilities": capabilities}),
        );
        assert_eq!(init["serverInfo"]["name"], "argmap", "{init}");
        client.notify("initialized", json!({}));
        client
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        let stdin = self.stdin.as_mut().unwrap();
        write!(stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    fn next(&self, deadline: Instant) -> Value {
        match self
            .messages
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        {
            Ok(message) => message,
            Err(RecvTimeoutError::Timeout) => panic!("no message from the server in time"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed its output"),
        }
    }

    /// A request's result (the notifications that come before it are dropped).
    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next(deadline);
            if message["id"] == id {
                assert!(message.get("error").is_none(), "{message}");
                return message["result"].clone();
            }
        }
    }

    /// The next diagnostics published for `document`.
    fn diagnostics(&self, document: &str) -> Vec<Value> {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next(deadline);
            if message["method"] == "textDocument/publishDiagnostics"
                && message["params"]["uri"] == document
            {
                return message["params"]["diagnostics"].as_array().unwrap().clone();
            }
        }
    }

    /// Shuts the server down as a client does; its exit status.
    fn shut_down(mut self) -> i32 {
        assert_eq!(self.request("shutdown", Value::Null), Value::Null);
        self.notify("exit", Value::Null);
        self.stdin = None;
        self.wait()
    }

    fn wait(&mut self) -> i32 {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code().unwrap_or(-1);
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

fn open(client: &mut Client, document: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": document, "languageId": "yaml", "version": 1, "text": text}}),
    );
}

fn at(document: &str, line: u32, character: u32) -> Value {
    json!({"textDocument": {"uri": document}, "position": {"line": line, "character": character}})
}

fn range(value: &Value) -> (u64, u64, u64, u64) {
    let n = |v: &Value| v.as_u64().unwrap();
    (
        n(&value["start"]["line"]),
        n(&value["start"]["character"]),
        n(&value["end"]["line"]),
        n(&value["end"]["character"]),
    )
}

#[test]
fn findings_come_as_you_type_at_their_place_in_the_clients_encoding() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    // UTF-16 (the protocol's default): `é` and `’` are one unit each.
    let mut client = Client::start(dir.path(), json!({}));
    let found = client.diagnostics(&map);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0]["code"], "unknown-reference");
    assert_eq!(found[0]["severity"], 1);
    assert_eq!(found[0]["source"], "argmap");
    let column = "    text: Sécurité d’abord [".encode_utf16().count() as u64;
    assert_eq!(range(&found[0]["range"]), (4, column, 4, column + 9));
    assert!(
        found[0]["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `@song2014`?"),
        "{}",
        found[0]["message"]
    );
    // The typo fixed in the editor (not on disk): the document's findings are cleared.
    open(&mut client, &map, &MAP.replace("sung2014", "song2014"));
    assert!(client.diagnostics(&map).is_empty());
    // Another typo, by a change: found at once (and the claim it meant is left alone).
    let changed = MAP
        .replace("sung2014", "song2014")
        .replace("supports: [thesis]", "supports: [thesys]");
    client.notify(
        "textDocument/didChange",
        json!({"textDocument": {"uri": map, "version": 2}, "contentChanges": [{"text": changed}]}),
    );
    let found = client.diagnostics(&map);
    let codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(codes, ["isolated-claim", "dangling-link"], "{found:?}");
    // Closed unsaved: the file as it is on disk again.
    client.notify(
        "textDocument/didClose",
        json!({"textDocument": {"uri": map}}),
    );
    let found = client.diagnostics(&map);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0]["code"], "unknown-reference");
    assert_eq!(client.shut_down(), 0);

    // UTF-8, when the client offers it: columns in bytes.
    let client = Client::start(
        dir.path(),
        json!({"general": {"positionEncodings": ["utf-8", "utf-16"]}}),
    );
    let found = client.diagnostics(&map);
    let column = "    text: Sécurité d’abord [".len() as u64;
    assert_eq!(range(&found[0]["range"]), (4, column, 4, column + 9));
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn citations_and_links_lead_to_their_reference_and_claim() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    // `@song2014` on line 6: its reference's id.
    let key = "    text: Because [@".len() as u32;
    let found = client.request("textDocument/definition", at(&map, 6, key + 2));
    assert_eq!(found["uri"], references);
    assert_eq!(range(&found["range"]), (1, 8, 1, 16));
    // The map's `source`, too.
    let found = client.request("textDocument/definition", at(&map, 1, 10));
    assert_eq!(range(&found["range"]), (1, 8, 1, 16));
    // `thesis` in `supports`: the claim's id.
    let found = client.request("textDocument/definition", at(&map, 7, 17));
    assert_eq!(found["uri"], map);
    assert_eq!(range(&found["range"]), (3, 8, 3, 14));
    // A key that names nothing leads nowhere; nor does plain text.
    assert_eq!(
        client.request("textDocument/definition", at(&map, 4, 30)),
        Value::Null
    );
    assert_eq!(
        client.request("textDocument/definition", at(&map, 0, 2)),
        Value::Null
    );
    // Hovers: the work as a list shows it, its text escaped (not read as markup)...
    let hover = client.request("textDocument/hover", at(&map, 6, key + 2));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("Song, W. (2014). *Russia's SCO policy"),
        "{text}"
    );
    assert!(text.contains("Asian Survey, 85-101."), "{text}");
    assert!(
        text.contains("\\[security\\] \\<b\\>first\\</b\\>"),
        "{text}"
    );
    assert!(text.contains("cited here at: p. 90"), "{text}");
    assert!(text.contains("cited by 1 claim"), "{text}");
    assert!(text.contains("**DOI**: none, so not checked"), "{text}");
    let key = u64::from(key);
    assert_eq!(range(&hover["range"]), (6, key - 1, 6, key + 8));
    // ...and the claim a link names.
    let hover = client.request("textDocument/hover", at(&map, 7, 17));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.starts_with("**m:thesis**"), "{text}");
    assert!(text.contains("Sécurité d’abord"), "{text}");
    assert_eq!(client.shut_down(), 0);
}

/// A link written as a mapping leads from its `to:` to the claim, and its hover says it is
/// the map-maker's, with the note, escaped.
#[test]
fn an_analysts_link_leads_to_its_claim_and_says_whose_it_is() {
    let dir = project();
    let analysts = MAP.replace(
        "    supports: [thesis]\n",
        "    supports:\n      - to: thesis\n        by: analyst\n        note: Read <b>so</b> by us.\n",
    ).replace(
        "    text: Sécurité d’abord [@sung2014].\n",
        "    text: Sécurité d’abord [@sung2014].\n    note: The paper's first words.\n",
    );
    std::fs::write(dir.path().join("arguments/m.yaml"), &analysts).unwrap();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    let found = client.request("textDocument/definition", at(&map, 9, 14));
    assert_eq!(found["uri"], map);
    assert_eq!(range(&found["range"]), (3, 8, 3, 14));
    let hover = client.request("textDocument/hover", at(&map, 9, 14));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with(
            "**The map-maker's link**, not the paper's: Read \\<b\\>so\\</b\\> by us."
        ),
        "{text}"
    );
    assert!(text.contains("**m:thesis**"), "{text}");
    assert!(
        text.contains("*the map-maker's note*: The paper's first words."),
        "{text}"
    );
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn fixes_are_code_actions_and_the_safe_ones_are_preferred() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    let cursor = |document: &str, line: u32, character: u32| {
        let position = json!({"line": line, "character": character});
        json!({"textDocument": {"uri": document}, "range": {"start": position, "end": position},
               "context": {"diagnostics": []}})
    };
    // The misspelt key: the closest id is a guess, offered but not preferred.
    let actions = client.request("textDocument/codeAction", cursor(&map, 4, 30));
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "quickfix");
    assert_eq!(actions[0]["isPreferred"], false);
    assert_eq!(actions[0]["diagnostics"][0]["code"], "unknown-reference");
    let edits = &actions[0]["edit"]["changes"][&map];
    assert_eq!(edits[0]["newText"], "@song2014");
    let column = "    text: Sécurité d’abord [".encode_utf16().count() as u64;
    assert_eq!(range(&edits[0]["range"]), (4, column, 4, column + 9));
    // The DOI in pasted form: its canonical form, a safe fix.
    let actions = client.request("textDocument/codeAction", cursor(&references, 14, 12));
    let safe = actions
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["diagnostics"][0]["code"] == "non-canonical-doi")
        .unwrap_or_else(|| panic!("{actions}"));
    assert_eq!(safe["isPreferred"], true);
    assert_eq!(
        safe["edit"]["changes"][&references][0]["newText"],
        "10.1000/182"
    );
    // Nowhere near a finding: nothing to do.
    let actions = client.request("textDocument/codeAction", cursor(&map, 0, 0));
    assert_eq!(actions, json!([]));
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn a_client_gone_without_shutting_down_ends_the_server_with_status_2() {
    let dir = project();
    let mut client = Client::start(dir.path(), json!({}));
    client.stdin = None;
    assert_eq!(client.wait(), 2);
    let mut stderr = String::new();
    client
        .child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut stderr)
        .unwrap();
    assert!(stderr.contains("went away"), "{stderr}");
}

impl Client {
    /// A request's error (the notifications that come before it are dropped).
    fn request_error(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let deadline = Instant::now() + PATIENCE;
        loop {
            let message = self.next(deadline);
            if message["id"] == id {
                return message["error"].clone();
            }
        }
    }
}

fn labels(list: &Value) -> Vec<String> {
    list["items"]
        .as_array()
        .unwrap_or_else(|| panic!("{list}"))
        .iter()
        .map(|i| i["label"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn completion_offers_references_claims_and_fields_where_they_are_written() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    // Half-typed: a citation, a link and a field being written.
    let typed = MAP.replace("supports: [thesis]", "supports: [thesis, ")
        + "  - id: more\n    text: More [@so\n    sec\n";
    open(&mut client, &map, &typed);
    let key_line = typed.lines().position(|l| l.ends_with("[@so")).unwrap() as u32;
    let column = typed
        .lines()
        .nth(key_line as usize)
        .unwrap()
        .encode_utf16()
        .count() as u32;
    let list = client.request("textDocument/completion", at(&map, key_line, column));
    assert_eq!(labels(&list), ["song2014"], "filtered by what is typed");
    let song = &list["items"][0];
    assert_eq!(
        song["detail"],
        "Song 2014: Russia's SCO policy: [security] <b>first</b>"
    );
    assert_eq!(
        range(&song["textEdit"]["range"]),
        (
            key_line as u64,
            column as u64 - 2,
            key_line as u64,
            column as u64
        )
    );
    // In `supports:`: the map's claims, then other maps' (none here). The text does not
    // parse as it is typed: the claims are those of its last good parse.
    let list = client.request(
        "textDocument/completion",
        at(&map, 7, "    supports: [thesis, ".len() as u32),
    );
    assert_eq!(labels(&list), ["thesis", "reason"]);
    assert_eq!(list["items"][0]["detail"], "Sécurité d’abord [@sung2014].");
    // A claim's field: `section`, with its documentation.
    let field_line = key_line + 1;
    let list = client.request("textDocument/completion", at(&map, field_line, 7));
    assert_eq!(labels(&list), ["section"], "filtered by `sec`");
    let list = client.request("textDocument/completion", at(&map, field_line, 4));
    let fields = labels(&list);
    assert!(
        fields.contains(&"section".to_owned()) && fields.contains(&"quote".to_owned()),
        "{fields:?}"
    );
    let section = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["label"] == "section")
        .unwrap();
    assert!(
        section["documentation"].as_str().unwrap().len() > 10,
        "{section}"
    );
    // A reference's field: CSL variables (at the start of a key, all of them).
    let list = client.request("textDocument/completion", at(&references, 10, 4));
    assert!(
        labels(&list).contains(&"container-title".to_owned()),
        "{list}"
    );
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn references_rename_lenses_and_symbols() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    // Every place that names song2014: its id, the map's source, the citation.
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": references}, "position": {"line": 1, "character": 10},
               "context": {"includeDeclaration": true}}),
    );
    let places: Vec<(String, u64)> = found
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["uri"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
                l["range"]["start"]["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        places,
        [
            ("r.yaml".to_owned(), 1),
            ("m.yaml".to_owned(), 1),
            ("m.yaml".to_owned(), 6)
        ]
    );
    // Every link to a claim, without its definition.
    let found = client.request(
        "textDocument/references",
        json!({"textDocument": {"uri": map}, "position": {"line": 3, "character": 10},
               "context": {"includeDeclaration": false}}),
    );
    assert_eq!(found.as_array().unwrap().len(), 1, "{found}");
    assert_eq!(range(&found[0]["range"]), (7, 15, 7, 21));

    // Rename a claim from a link to it: the id and the link, as one edit.
    let prepared = client.request("textDocument/prepareRename", at(&map, 7, 17));
    assert_eq!(prepared["placeholder"], "thesis");
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": map}, "position": {"line": 7, "character": 17}, "newName": "main"}),
    );
    let edits = edit["changes"][&map].as_array().unwrap();
    let mut ranges: Vec<_> = edits
        .iter()
        .map(|e| (range(&e["range"]), e["newText"].clone()))
        .collect();
    ranges.sort_by_key(|r| r.0);
    assert_eq!(
        ranges,
        [
            ((3, 8, 3, 14), json!("main")),
            ((7, 15, 7, 21), json!("main"))
        ]
    );
    // Rename a reference: its id, the source and the citation (not the `@`).
    let edit = client.request(
        "textDocument/rename",
        json!({"textDocument": {"uri": references}, "position": {"line": 1, "character": 10}, "newName": "song2014a"}),
    );
    assert_eq!(edit["changes"][&references].as_array().unwrap().len(), 1);
    let in_map: Vec<_> = edit["changes"][&map]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| range(&e["range"]))
        .collect();
    let key = "    text: Because [@".len() as u64;
    assert!(
        in_map.contains(&(6, key, 6, key + 8)) && in_map.contains(&(1, 8, 1, 16)),
        "{in_map:?}"
    );
    // A name that cannot be written, or that is taken, is refused.
    let error = client.request_error(
        "textDocument/rename",
        json!({"textDocument": {"uri": map}, "position": {"line": 3, "character": 10}, "newName": "two words"}),
    );
    assert!(
        error["message"]
            .as_str()
            .unwrap()
            .contains("cannot be written"),
        "{error}"
    );
    let error = client.request_error(
        "textDocument/rename",
        json!({"textDocument": {"uri": map}, "position": {"line": 3, "character": 10}, "newName": "reason"}),
    );
    assert!(
        error["message"].as_str().unwrap().contains("already an id"),
        "{error}"
    );

    // Lenses: who cites a reference, what a claim supports and what bears on it.
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": references}}),
    );
    let titles: Vec<&str> = lenses
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["command"]["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["1 citing claim", "1 citing claim"]);
    let lenses = client.request(
        "textDocument/codeLens",
        json!({"textDocument": {"uri": map}}),
    );
    assert_eq!(
        lenses[0]["command"]["title"],
        "supports 0, attacks 0; supported by 1, attacked by 0"
    );
    // The outline: the map's claims with their text.
    let symbols = client.request(
        "textDocument/documentSymbol",
        json!({"textDocument": {"uri": map}}),
    );
    let names: Vec<&str> = symbols
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["thesis", "reason"]);
    assert_eq!(
        symbols[1]["detail"],
        "Because [@song2014, p. 90] and [@yun2012]."
    );
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn a_change_in_one_file_updates_the_others_and_broken_yaml_keeps_navigation() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    assert_eq!(client.diagnostics(&map).len(), 1);
    // The reference deleted in the editor: the claim citing it turns red.
    let without_yun = &REFERENCES[..REFERENCES.find("  - id: yun2012").unwrap()];
    open(&mut client, &references, without_yun);
    let found = client.diagnostics(&map);
    let codes: Vec<&str> = found.iter().map(|d| d["code"].as_str().unwrap()).collect();
    assert_eq!(
        codes,
        ["unknown-reference", "unknown-reference"],
        "{found:?}"
    );
    assert!(found[1]["message"].as_str().unwrap().contains("@yun2012"));
    // The map mid-edit, no longer YAML: its syntax error shows...
    let broken = MAP.replace("supports: [thesis]", "supports: [thesis");
    open(&mut client, &map, &broken);
    let found = client.diagnostics(&map);
    assert_eq!(found[0]["code"], "yaml-syntax", "{found:?}");
    // ...and navigation and completion read the map as it last parsed.
    let found = client.request("textDocument/definition", at(&map, 7, 17));
    assert_eq!(range(&found["range"]), (3, 8, 3, 14), "{found}");
    let hover = client.request("textDocument/hover", at(&map, 7, 17));
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .starts_with("**m:thesis**"),
        "{hover}"
    );
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn a_workspace_is_found_above_the_first_document_when_the_client_names_none() {
    let dir = project();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let outside = tempfile::tempdir().unwrap();
    let mut client = Client::start(outside.path(), json!({}));
    open(&mut client, &map, MAP);
    let found = client.diagnostics(&map);
    assert_eq!(found[0]["code"], "unknown-reference", "{found:?}");
    assert_eq!(client.shut_down(), 0);
}

#[test]
fn all_safe_fixes_of_a_file_in_one_action() {
    let dir = project();
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    let actions = client.request(
        "textDocument/codeAction",
        json!({"textDocument": {"uri": references},
               "range": {"start": {"line": 0, "character": 0}, "end": {"line": 0, "character": 0}},
               "context": {"diagnostics": [], "only": ["source.fixAll"]}}),
    );
    let actions = actions.as_array().unwrap();
    assert_eq!(actions.len(), 1, "{actions:?}");
    assert_eq!(actions[0]["kind"], "source.fixAll");
    assert!(
        actions[0]["title"]
            .as_str()
            .unwrap()
            .starts_with("apply all safe fixes")
    );
    assert_eq!(
        actions[0]["edit"]["changes"][&references][0]["newText"],
        "10.1000/182"
    );
    assert_eq!(client.shut_down(), 0);
}

/// Neovim's own language client (`vim.lsp`), headless: it starts `argmap lsp`, opens the
/// map, and must see the finding at its place, go to the definition of a citation,
/// complete a citation key, and apply the code action that fixes the key, after which the
/// finding is gone.
#[test]
fn neovim_shows_findings_completes_goes_to_definitions_and_applies_fixes() {
    let dir = project();
    let script = dir.path().join("test.lua");
    let result = dir.path().join("result.txt");
    std::fs::write(&script, NEOVIM_SCRIPT).unwrap();
    let output = Command::new("nvim")
        .args(["--headless", "--clean", "-n"])
        .arg("-c")
        .arg(format!("luafile {}", script.display()))
        .arg(dir.path().join("arguments/m.yaml"))
        .env("ARGMAP", env!("CARGO_BIN_EXE_argmap"))
        .env("ARGMAP_ROOT", dir.path())
        .env("ARGMAP_RESULT", &result)
        .stdin(Stdio::null())
        .output()
        .expect("Neovim (`nvim`) runs the editor tests: `make test` installs it");
    let said = std::fs::read_to_string(&result).unwrap_or_default();
    assert!(
        output.status.success() && said.trim() == "ok",
        "{said}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The fix was applied to the buffer and written.
    let written = std::fs::read_to_string(dir.path().join("arguments/m.yaml")).unwrap();
    assert!(written.contains("[@song2014]."), "{written}");
}

const NEOVIM_SCRIPT: &str = r#"
local result = os.getenv("ARGMAP_RESULT")
local function finish(message)
  local f = io.open(result, "w")
  f:write(message)
  f:close()
  vim.cmd(message == "ok" and "qall!" or "cquit 1")
end
local function check(ok, message)
  if not ok then finish(message) error(message) end
end

local ok, err = pcall(function()
  local buf = vim.api.nvim_get_current_buf()
  local client = vim.lsp.start_client({
    cmd = { os.getenv("ARGMAP"), "lsp" },
    root_dir = os.getenv("ARGMAP_ROOT"),
  })
  check(client, "the client did not start")
  vim.lsp.buf_attach_client(buf, client)

  -- The finding, at the key (0-based line 4), as Neovim's diagnostics hold it.
  check(vim.wait(20000, function() return #vim.diagnostic.get(buf) > 0 end, 50),
    "no diagnostics")
  local d = vim.diagnostic.get(buf)[1]
  check(d.lnum == 4, "line " .. d.lnum)
  check(d.message:find("sung2014", 1, true), "message " .. d.message)
  check(d.severity == vim.diagnostic.severity.ERROR, "severity " .. d.severity)

  -- Go to the definition of `@song2014` (line 6): the references file, its id.
  local line = vim.api.nvim_buf_get_lines(buf, 6, 7, false)[1]
  local col = line:find("@song2014", 1, true)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    position = { line = 6, character = col + 1 },
  }
  local answers = vim.lsp.buf_request_sync(buf, "textDocument/definition", params, 20000)
  check(answers and answers[client] and answers[client].result, "no definition")
  local location = answers[client].result
  check(location.uri:match("references/r%.yaml$"), "definition " .. location.uri)
  check(location.range.start.line == 1, "definition line " .. location.range.start.line)

  -- Complete the key being typed after `[@so` on line 6: the reference, with its detail.
  local completion_params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    position = { line = 6, character = col + 2 },
  }
  answers = vim.lsp.buf_request_sync(buf, "textDocument/completion", completion_params, 20000)
  check(answers and answers[client] and answers[client].result, "no completion")
  local items = answers[client].result.items
  check(#items == 1 and items[1].label == "song2014", "completion " .. vim.inspect(items))
  check(items[1].detail:find("Song 2014", 1, true), "detail " .. tostring(items[1].detail))

  -- The code action at the finding, applied as Neovim applies one.
  local action_params = {
    textDocument = vim.lsp.util.make_text_document_params(buf),
    range = { start = { line = 4, character = d.col + 1 }, ["end"] = { line = 4, character = d.col + 1 } },
    context = { diagnostics = {} },
  }
  answers = vim.lsp.buf_request_sync(buf, "textDocument/codeAction", action_params, 20000)
  check(answers and answers[client] and answers[client].result, "no code actions")
  local actions = answers[client].result
  check(#actions == 1, "actions " .. #actions)
  check(actions[1].title:find("song2014", 1, true), "action " .. actions[1].title)
  vim.lsp.util.apply_workspace_edit(actions[1].edit, "utf-16")
  check(vim.api.nvim_buf_get_lines(buf, 4, 5, false)[1]:find("[@song2014]", 1, true),
    "the edit was not applied")
  -- The change goes to the server, which finds nothing more.
  check(vim.wait(20000, function() return #vim.diagnostic.get(buf) == 0 end, 50),
    "the finding stayed after the fix")
  vim.cmd("write")
end)
if ok then finish("ok") else finish("error: " .. tostring(err)) end
"#;

/// Hover answers "can I rely on this?": the DOI's standing from the cache (with a notice
/// of retraction and the answer's age) and whether a quote is in the paper's text.
#[test]
fn hover_tells_a_works_standing_from_the_cache_and_where_a_quote_is() {
    let dir = project();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let cache = json!({
        "format": "argmap-doi-cache",
        "version": 3,
        "services": {"crossref-rest https://api.crossref.org/": {"10.1000/182": {
            "checked": now - 3 * 86400,
            "status": "crossref-work",
            "work": {"doi": "10.1000/182", "metadata": {"title": "Energy"},
                     "updated_by": [{"doi": "10.1000/999", "kind": "retraction",
                                     "date": "2020-01-02", "sources": ["publisher"]}]},
        }}},
    });
    std::fs::create_dir(dir.path().join(".argmap")).unwrap();
    std::fs::write(dir.path().join(".argmap/doi-cache.json"), cache.to_string()).unwrap();
    std::fs::create_dir(dir.path().join("sources")).unwrap();
    std::fs::write(
        dir.path().join("sources/song2014.txt"),
        "Title\n\nRussia put security first in the SCO, and trade came second.\n",
    )
    .unwrap();
    let quoted = MAP.replace(
        "    supports: [thesis]\n",
        "    supports: [thesis]\n    quote: \"Russia put security first in the SCO\"\n",
    );
    std::fs::write(dir.path().join("arguments/m.yaml"), &quoted).unwrap();
    let map = uri(&dir.path().join("arguments/m.yaml"));
    let references = uri(&dir.path().join("references/r.yaml"));
    let mut client = Client::start(dir.path(), json!({}));
    // The cache's verdict is a finding too, where the DOI is written.
    let found = client.diagnostics(&references);
    assert!(
        found.iter().any(|d| d["code"] == "cited-work-retracted"),
        "{found:?}"
    );
    let key = "    text: Because [@song2014, p. 90] and [@".len() as u32;
    let hover = client.request("textDocument/hover", at(&map, 6, key + 2));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**DOI**: verified (answer from the DOI cache, 3 days ago)"),
        "{text}"
    );
    assert!(
        text.contains("⚠ **retraction** of 2020-01-02: [https://doi.org/10.1000/999]"),
        "{text}"
    );
    assert!(
        text.contains("[https://doi.org/10.1000/182](https://doi.org/10.1000/182)"),
        "{text}"
    );
    // A work whose DOI the cache does not answer is said to be unverified... here, none.
    let hover = client.request(
        "textDocument/hover",
        at(&map, 6, "    text: Because [@".len() as u32 + 2),
    );
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("**DOI**: none, so not checked"),
        "{hover}"
    );
    // The quote: found verbatim, at its line of the paper.
    let hover = client.request("textDocument/hover", at(&map, 8, 16));
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.starts_with("**quote**: found verbatim in sources/song2014.txt, line 3: Russia put security first in the SCO"),
        "{text}"
    );
    assert_eq!(client.shut_down(), 0);
}
