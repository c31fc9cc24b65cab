//! `argmap export`: the checked maps in another tool's format, and on stderr what that
//! format cannot hold.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Outcome, fail, print, warn_line};
use argmap::AnalysisHost;
use argmap::export::{self, Selection};

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// Folder holding `arguments/` and `references/`.
    #[arg(default_value = ".")]
    pub root: PathBuf,
    /// The format to write.
    #[arg(long, value_enum)]
    pub format: ExportFormat,
    /// Export this map (its file name without `.yaml`); repeat for several. Without it,
    /// every map.
    #[arg(long = "map", value_name = "NAME")]
    pub maps: Vec<String>,
    /// Write to FILE instead of standard output (`-`). A file is replaced atomically; a
    /// symbolic link keeps pointing at it; a device or FIFO is written to.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    /// The checked model (maps, claims, citations, links, and the references cited, as
    /// CSL-JSON) as one document; its JSON Schema is `argmap schema export`.
    Json,
    /// Argdown: a statement per claim titled `map:id`, its citations in its text, and
    /// `+>`/`->` under it for its supports and attacks.
    Argdown,
    /// AIF as AIFdb and OVA write it (JSON): claims are I-nodes, supports RA-nodes,
    /// attacks CA-nodes, quotes L-nodes asserting their claims; ids made from `map:id`.
    Aif,
    /// The attack graph as an ICCMA'23 abstract argumentation framework (`p af N`, then
    /// `i j` per attack), each argument's `map:id` in a `#` comment before it.
    Iccma,
}

pub fn run(args: ExportArgs) -> Outcome {
    let host = AnalysisHost::open(&args.root);
    let mut host = match host {
        Ok(host) => host,
        Err(e) => return fail(e),
    };
    let analysis = host.analysis();
    let blocking = argmap::eval::blocking(&analysis);
    if !blocking.is_empty() {
        let findings: Vec<argmap::Diagnostic> = blocking.into_iter().cloned().collect();
        super::dot::report(&analysis, &findings, &findings);
        return Outcome::Findings;
    }
    let selection = match Selection::new(&analysis, &args.maps) {
        Ok(s) => s,
        Err(unknown) => return fail(unknown),
    };
    let exported = match args.format {
        ExportFormat::Json => export::json::write(&selection),
        ExportFormat::Argdown => export::argdown::write(&selection),
        ExportFormat::Aif => export::aif::write(&selection),
        ExportFormat::Iccma => export::iccma::write(&selection),
    };
    for line in &exported.lost {
        warn_line("not exported: ", line);
    }
    match &args.output {
        Some(path) if argmap::load::is_input_file(&args.root, path) => fail(format!(
            "refusing to write the export over {}, one of the files it is made from",
            path.display()
        )),
        Some(path) if path.as_os_str() != "-" => {
            match argmap::output::write(path, exported.text.as_bytes()) {
                Ok(()) => Outcome::Clean,
                Err(e) => fail(format!("cannot write {}: {e}", path.display())),
            }
        }
        _ => print(&exported.text, Outcome::Clean),
    }
}
