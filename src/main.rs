//! The `argmap` command: arguments, output and exit codes. The work is in the library.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
