fn main() {
    let cli = zhitong::cli::zh_help::parse();
    if cli.command.is_some() {
        restore_default_sigpipe();
    }
    let code = zhitong::cli::run(cli);
    std::process::exit(code as i32);
}

/// Commands are used in pipelines (`zhitong plan --json | head`): when the reader goes away the
/// process should end quietly, as other command-line tools do, instead of panicking on a write.
fn restore_default_sigpipe() {
    #[cfg(unix)]
    // SAFETY: called once at start-up before any thread exists; SIG_DFL is a valid handler.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
