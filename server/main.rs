use std::process::ExitCode;

/// mimalloc: analysis allocates a small string for every key and value of
/// the file, and glibc's allocator spent a quarter of its time on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    mcp_config_lsp::cli::main()
}
