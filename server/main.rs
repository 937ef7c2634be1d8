use std::process::ExitCode;

fn main() -> ExitCode {
    mcp_config_lsp::cli::main()
}
