//! `argmap lsp`: the language server, a thin front end on the analysis. An
//! [`AnalysisHost`] holds the editor's unsaved buffers beside the files on disk; every
//! burst of changes is one snapshot ([`Analysis`]), and every answer is read from it:
//! diagnostics as the rules found them, code actions from their fixes, completion,
//! hover, definitions, references, rename, code lenses and symbols from its queries. The
//! server parses nothing and checks nothing itself. Positions are converted in the encoding
//! the client asked for (UTF-16 unless it offers UTF-8). DOI verdicts come from the DOI
//! cache only: the server never touches the network.
//!
//! The protocol runs over an `lsp_server::Connection` (channels): the binary connects it to
//! standard input and output, tests to memory or a process.

mod complete;
mod convert;
mod navigate;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::Notification as _;
use lsp_types::request::Request as _;
use lsp_types::{self as lsp, Uri};

use crate::analysis::{Analysis, AnalysisHost};
use crate::diagnostic::Diagnostic;
use crate::source::{Encoding, FileId, Revision};

pub use convert::{path_of, uri_of};

/// Why the server stopped before the client asked it to.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// The client broke the protocol (or hung up during the handshake).
    #[error("language server protocol: {0}")]
    Protocol(#[from] lsp_server::ProtocolError),
    /// A message could not be read as the protocol's types.
    #[error("language server message: {0}")]
    Message(#[from] serde_json::Error),
    /// The workspace's ROOT could not be read.
    #[error(transparent)]
    Load(#[from] crate::LoadError),
    /// The client went away without asking the server to shut down.
    #[error("the client went away without shutting the server down")]
    Disconnected,
}

/// The characters after which a client asks for completion on its own.
const TRIGGERS: [&str; 5] = ["@", "[", ",", " ", ":"];

/// Serves one client until it shuts the server down (`Ok`) or breaks off.
pub fn serve(connection: Connection) -> Result<(), LspError> {
    let (id, params) = connection.initialize_start()?;
    let params: lsp::InitializeParams = serde_json::from_value(params)?;
    let encoding = convert::negotiate(&params.capabilities);
    let capabilities = lsp::ServerCapabilities {
        position_encoding: Some(convert::kind_of(encoding)),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::FULL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        completion_provider: Some(lsp::CompletionOptions {
            trigger_characters: Some(TRIGGERS.iter().map(|t| t.to_string()).collect()),
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        definition_provider: Some(lsp::OneOf::Left(true)),
        references_provider: Some(lsp::OneOf::Left(true)),
        rename_provider: Some(lsp::OneOf::Right(lsp::RenameOptions {
            prepare_provider: Some(true),
            work_done_progress_options: Default::default(),
        })),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![
                    lsp::CodeActionKind::QUICKFIX,
                    lsp::CodeActionKind::SOURCE_FIX_ALL,
                ]),
                ..Default::default()
            },
        )),
        code_lens_provider: Some(lsp::CodeLensOptions {
            resolve_provider: Some(false),
        }),
        document_symbol_provider: Some(lsp::OneOf::Left(true)),
        ..Default::default()
    };
    connection.initialize_finish(
        id,
        serde_json::json!({
            "capabilities": capabilities,
            "serverInfo": {"name": "argmap", "version": env!("CARGO_PKG_VERSION")},
        }),
    )?;
    let mut server = Server {
        connection: &connection,
        host: None,
        root: None,
        encoding,
        analysis: None,
        published: HashMap::new(),
    };
    // The client's folder, when it holds a workspace; else the first document's.
    if let Some(folder) = folder_of(&params)
        && let Some(root) = workspace_root(&folder)
    {
        server.open_root(root)?;
    }
    server.run()
}

/// The folder the client opened: its first workspace folder, or its root.
fn folder_of(params: &lsp::InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|folders| folders.first())
        .map(|folder| &folder.uri);
    #[allow(deprecated)] // older clients send only `rootUri`
    let uri = folder.or(params.root_uri.as_ref())?;
    path_of(uri)
}

/// The nearest folder from `path` up that holds `arguments/` or `references/`.
fn workspace_root(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|dir| dir.join("arguments").is_dir() || dir.join("references").is_dir())
        .map(Path::to_path_buf)
}

/// A document's findings as last sent, and the files they point into, with their versions.
type Published = (Vec<Diagnostic>, Vec<(FileId, Option<Revision>)>);

struct Server<'c> {
    connection: &'c Connection,
    /// The workspace, once its ROOT is known.
    host: Option<AnalysisHost>,
    root: Option<PathBuf>,
    encoding: Encoding,
    /// The analysis of the files as they are, or `None` when a change came since.
    analysis: Option<Analysis>,
    /// The findings last sent for each document, and the versions of the files they
    /// point into: to send only what changed (and to clear a document's when it has none
    /// any more).
    published: HashMap<FileId, Published>,
}

impl Server<'_> {
    fn open_root(&mut self, root: PathBuf) -> Result<(), LspError> {
        let mut host = AnalysisHost::open(&root)?;
        host.read_dois_from(doi_options(&root));
        self.host = Some(host);
        self.root = Some(root);
        self.analysis = None;
        Ok(())
    }

    fn run(&mut self) -> Result<(), LspError> {
        loop {
            // Changes come in bursts (one per keystroke): take every message waiting
            // before analysing again, and analyse before answering a request.
            let message = if self.analysis.is_none() && self.host.is_some() {
                match self.connection.receiver.try_recv() {
                    Ok(message) => message,
                    Err(_) => {
                        self.analyse();
                        continue;
                    }
                }
            } else {
                self.connection
                    .receiver
                    .recv()
                    .map_err(|_| LspError::Disconnected)?
            };
            match message {
                Message::Request(request) => {
                    if self.connection.handle_shutdown(&request)? {
                        return Ok(());
                    }
                    if self.analysis.is_none() && self.host.is_some() {
                        self.analyse();
                    }
                    let response = self.answer(request);
                    self.send(Message::Response(response));
                }
                Message::Notification(notification) => self.notified(notification)?,
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, message: Message) {
        // A client gone away is seen by the loop (its channel closes).
        let _ = self.connection.sender.send(message);
    }

    /// The analysis of the files as they are, and the diagnostics the client does not
    /// have yet: a document's are converted and sent only when its findings, or the
    /// versions of the files they point into, changed (a change to one map of a large
    /// corpus re-sends that map's, not every file's).
    fn analyse(&mut self) {
        let Some(host) = self.host.as_mut() else {
            return;
        };
        let analysis = host.analysis();
        // Borrowed: only the findings of a document that changed are copied, to be kept.
        let mut by_file: BTreeMap<FileId, Vec<&Diagnostic>> = BTreeMap::new();
        for d in &analysis.diagnostics {
            by_file.entry(d.primary.span.file).or_default().push(d);
        }
        // Documents that had diagnostics and have none now are cleared.
        for file in self.published.keys() {
            by_file.entry(*file).or_default();
        }
        for (file, diagnostics) in by_file {
            // The files the findings point into, as they are now: a finding at the same
            // offsets of a changed file may be at other lines.
            let mut files: Vec<FileId> = diagnostics
                .iter()
                .flat_map(|d| std::iter::once(&d.primary).chain(d.related.iter()))
                .map(|l| l.span.file)
                .collect();
            files.sort();
            files.dedup();
            let versions: Vec<(FileId, Option<Revision>)> = files
                .into_iter()
                .map(|f| (f, analysis.source(f).map(|s| s.revision)))
                .collect();
            let sent = self.published.get(&file);
            let same = |sent: &[Diagnostic]| sent.iter().eq(diagnostics.iter().copied());
            if sent.is_some_and(|(d, v)| same(d) && *v == versions)
                || (sent.is_none() && diagnostics.is_empty())
            {
                continue;
            }
            let Some(uri) = self.uri(&analysis, file) else {
                continue;
            };
            let params = lsp::PublishDiagnosticsParams {
                uri,
                diagnostics: diagnostics
                    .iter()
                    .map(|d| convert::diagnostic(self, &analysis, d))
                    .collect(),
                version: None,
            };
            self.send(Message::Notification(Notification::new(
                lsp::notification::PublishDiagnostics::METHOD.to_owned(),
                params,
            )));
            if diagnostics.is_empty() {
                self.published.remove(&file);
            } else {
                let kept = diagnostics.into_iter().cloned().collect();
                self.published.insert(file, (kept, versions));
            }
        }
        self.analysis = Some(analysis);
    }

    /// The document of a file of the analysis.
    fn uri(&self, analysis: &Analysis, file: FileId) -> Option<Uri> {
        let root = self.root.as_deref()?;
        uri_of(&root.join(&analysis.source(file)?.path))
    }

    /// A document's path relative to ROOT (`arguments/m.yaml`), when it is below ROOT.
    fn relative(&self, uri: &Uri) -> Option<String> {
        let path = path_of(uri)?;
        relative_to(self.root.as_deref()?, &path)
    }

    /// A document's file in the analysis.
    fn file(&self, analysis: &Analysis, uri: &Uri) -> Option<FileId> {
        analysis.file_id(&self.relative(uri)?)
    }

    fn notified(&mut self, notification: Notification) -> Result<(), LspError> {
        use lsp::notification as n;
        match notification.method.as_str() {
            n::DidOpenTextDocument::METHOD => {
                let params: lsp::DidOpenTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                if self.host.is_none()
                    && let Some(path) = path_of(&params.text_document.uri)
                    && let Some(root) = path.parent().and_then(workspace_root)
                {
                    self.open_root(root)?;
                }
                self.set(&params.text_document.uri, params.text_document.text);
            }
            n::DidChangeTextDocument::METHOD => {
                let params: lsp::DidChangeTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                // Full synchronisation: the last change holds the whole text.
                if let Some(change) = params.content_changes.into_iter().last() {
                    self.set(&params.text_document.uri, change.text);
                }
            }
            n::DidCloseTextDocument::METHOD => {
                let params: lsp::DidCloseTextDocumentParams =
                    serde_json::from_value(notification.params)?;
                if let Some(path) = self.relative(&params.text_document.uri)
                    && let Some(host) = self.host.as_mut()
                {
                    // The file as it is on disk again (or gone).
                    host.close(&path);
                    self.reread();
                }
            }
            n::DidSaveTextDocument::METHOD | n::DidChangeWatchedFiles::METHOD => self.reread(),
            _ => {}
        }
        Ok(())
    }

    /// An editor's buffer, in place of the file on disk.
    fn set(&mut self, uri: &Uri, text: String) {
        if let Some(path) = self.relative(uri)
            && let Some(host) = self.host.as_mut()
            && host.set_text(&path, text)
        {
            self.analysis = None;
        }
    }

    /// The files on disk, read again where they changed.
    fn reread(&mut self) {
        // A folder that cannot be read any more leaves the files as they were read last.
        if let Some(host) = self.host.as_mut()
            && host.refresh().is_ok()
        {
            self.analysis = None;
        }
    }

    fn answer(&self, request: Request) -> Response {
        use lsp::request as r;
        let Some(analysis) = self.analysis.as_ref() else {
            // No workspace yet (no folder, no document of one): nothing to say.
            return Response::new_ok(request.id, serde_json::Value::Null);
        };
        let id = request.id.clone();
        macro_rules! handle {
            ($handler:path) => {
                serde_json::from_value(request.params)
                    .map(|p| serde_json::to_value($handler(self, analysis, &p)))
            };
        }
        let result = match request.method.as_str() {
            r::Completion::METHOD => handle!(complete::completion),
            r::HoverRequest::METHOD => handle!(navigate::hover),
            r::GotoDefinition::METHOD => handle!(navigate::definition),
            r::References::METHOD => handle!(navigate::references),
            r::PrepareRenameRequest::METHOD => handle!(navigate::prepare_rename),
            r::Rename::METHOD => {
                let params: Result<lsp::RenameParams, _> = serde_json::from_value(request.params);
                return match params {
                    Ok(p) => match navigate::rename(self, analysis, &p) {
                        Ok(edit) => Response::new_ok(id, edit),
                        Err(why) => Response::new_err(id, ErrorCode::InvalidParams as i32, why),
                    },
                    Err(e) => invalid(id, e),
                };
            }
            r::CodeActionRequest::METHOD => handle!(convert::code_actions),
            r::CodeLensRequest::METHOD => handle!(navigate::code_lenses),
            r::DocumentSymbolRequest::METHOD => handle!(navigate::symbols),
            _ => {
                return Response::new_err(
                    id,
                    ErrorCode::MethodNotFound as i32,
                    format!("argmap does not answer `{}`", request.method),
                );
            }
        };
        match result {
            Ok(Ok(value)) => Response {
                id,
                response_result: Ok(value),
            },
            Ok(Err(e)) | Err(e) => invalid(id, e),
        }
    }
}

/// The DOI cache `argmap check --online` and `argmap resolve` keep, read with their
/// defaults: `ROOT/.argmap/doi-cache.json`, `https://doi.org`, Crossref's notices.
fn doi_options(root: &Path) -> crate::resolve::Options {
    let resolver = url::Url::parse("https://doi.org").expect("a URL");
    let mut options = crate::resolve::Options::new(resolver);
    options.cache = Some(root.join(".argmap").join("doi-cache.json"));
    options
}

fn invalid(id: RequestId, e: serde_json::Error) -> Response {
    Response::new_err(id, ErrorCode::InvalidParams as i32, e.to_string())
}

/// `path` relative to `root`, with `/` separators, when it lies below it.
fn relative_to(root: &Path, path: &Path) -> Option<String> {
    let rest = path.strip_prefix(root).ok()?;
    let parts: Option<Vec<&str>> = rest.components().map(|c| c.as_os_str().to_str()).collect();
    Some(parts?.join("/"))
}
