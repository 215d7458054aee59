use clap::Parser;

fn main() -> std::process::ExitCode {
    sinergi::cli::run(sinergi::cli::Cli::parse())
}
