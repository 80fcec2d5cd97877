use clap::Parser;

fn main() {
    let cli = pmlint::cli::Cli::parse();
    std::process::exit(pmlint::app::run(cli));
}
