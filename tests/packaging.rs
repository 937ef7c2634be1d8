//! The install channels describe the same release: the platforms built by the
//! release workflow, the npm launcher's table, the npm packaging script, the
//! Mason registry entry and the VS Code packages all name the same six
//! platforms, and every version is Cargo.toml's. (Building and running the npm
//! and PyPI packages is `scripts/test-install-channels`.)

use std::collections::BTreeSet;
use std::path::Path;

fn read(rel: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The platforms as npm and VS Code name them.
fn expected() -> BTreeSet<String> {
    [
        "linux-x64",
        "linux-arm64",
        "darwin-x64",
        "darwin-arm64",
        "win32-x64",
        "win32-arm64",
    ]
    .map(String::from)
    .into()
}

/// Every `'name-arch'`-shaped token after `marker` up to the first `end`.
fn platforms_in(text: &str, marker: &str, end: &str) -> BTreeSet<String> {
    let start = text.find(marker).unwrap_or_else(|| panic!("no {marker:?}")) + marker.len();
    let section = &text[start..];
    let section = &section[..section.find(end).unwrap_or(section.len())];
    section
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
        .filter(|w| {
            ["linux-", "darwin-", "win32-"]
                .iter()
                .any(|p| w.starts_with(p))
                && (w.ends_with("x64") || w.ends_with("arm64"))
        })
        .map(String::from)
        .collect()
}

fn crate_version() -> String {
    let cargo = read("Cargo.toml");
    let line = cargo
        .lines()
        .find(|l| l.starts_with("version = "))
        .expect("Cargo.toml has a version");
    line.trim_start_matches("version = ")
        .trim_matches('"')
        .to_string()
}

#[test]
fn every_channel_ships_the_same_six_platforms() {
    let release = read(".github/workflows/release.yml");
    assert_eq!(
        platforms_in(&release, "  binaries:", "runs-on"),
        expected(),
        "release.yml binaries"
    );
    assert_eq!(
        platforms_in(&release, "  vsix:", "runs-on"),
        expected(),
        "release.yml vsix"
    );
    let launcher = read("packaging/npm/mcp-config-lsp/bin/mcp-config-lsp.js");
    assert_eq!(
        platforms_in(&launcher, "const PLATFORMS", "};"),
        expected(),
        "npm launcher"
    );
    let script = read("scripts/package-npm");
    assert_eq!(
        platforms_in(&script, "PLATFORMS = [", "]"),
        expected(),
        "package-npm"
    );
}

#[test]
fn the_mason_entry_installs_the_release_archives_of_this_version() {
    let mason = read("editors/nvim/mason/package.yaml");
    let version = crate_version();
    assert!(
        mason.contains(&format!(
            "id: pkg:github/mcp-config-lsp/mcp-config-lsp@v{version}\n"
        )),
        "Mason's source id names v{version}"
    );
    for platform in expected() {
        let (os, arch) = platform.split_once('-').expect("os-arch");
        let target = format!("{}_{arch}", if os == "win32" { "win" } else { os });
        let (archive, bin) = if os == "win32" {
            ("zip", "mcp-config-lsp.exe")
        } else {
            ("tar.gz", "mcp-config-lsp")
        };
        let asset = format!(
            "    - target: {target}\n      file: mcp-config-lsp-{platform}.{archive}\n      bin: {bin}\n"
        );
        assert!(
            mason.contains(&asset),
            "Mason asset for {platform}:\n{asset}"
        );
    }
    // The archive names are the ones the release workflow makes.
    let release = read(".github/workflows/release.yml");
    assert!(release.contains(r#"name="mcp-config-lsp-${{ matrix.platform }}""#));
}

#[test]
fn every_package_carries_the_crate_version() {
    let version = crate_version();
    let vscode = read("editors/vscode/package.json");
    assert!(
        vscode.contains(&format!("\"version\": \"{version}\"")),
        "editors/vscode/package.json has version {version}"
    );
    // npm and PyPI take theirs from Cargo.toml when they are built.
    assert!(read("scripts/package-npm").contains("\"version\": meta[\"version\"]"));
    assert!(read("pyproject.toml").contains("dynamic = [\"version\""));
}
