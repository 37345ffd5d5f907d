//! kmdiag's entry point: parse the command line (with the settings file under it), run,
//! turn the outcome into an exit code.

use std::process::ExitCode;

fn main() -> ExitCode {
    match kmdiag::cmd::settings::parse().and_then(kmdiag::cmd::run) {
        Ok(outcome) => ExitCode::from(outcome.code()),
        Err(e) if kmdiag::exit::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Whatever the error quotes from an input, never more than a screenful and never a
            // control sequence.
            let text = kmdiag::input::clip_to(&format!("{e:#}"), kmdiag::input::MESSAGE_CHARS);
            eprintln!("kmdiag: error: {text}");
            ExitCode::from(kmdiag::exit::code_for_error(&e))
        }
    }
}
