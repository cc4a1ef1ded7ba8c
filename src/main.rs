use clap::Parser;

fn main() {
    let cli = zhitong::cli::Cli::parse();
    let code = zhitong::cli::run(cli);
    std::process::exit(code as i32);
}
