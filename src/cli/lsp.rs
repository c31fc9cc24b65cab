//! `argmap lsp`: the language server, over standard input and output. The protocol and
//! every answer are the library's (`argmap::lsp`); this connects it to the process.

use super::{Outcome, fail};

pub fn run() -> Outcome {
    let (connection, io_threads) = lsp_server::Connection::stdio();
    // The connection is the server's: when it returns, its end of the channels closes and
    // the threads that read and write the streams can finish.
    let served = argmap::lsp::serve(connection);
    let joined = io_threads.join();
    match (served, joined) {
        (Ok(()), Ok(())) => Outcome::Clean,
        (Err(e), _) => fail(e),
        (_, Err(e)) => fail(e),
    }
}
