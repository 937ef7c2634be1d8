#!/usr/bin/env node
// Runs the mcp-config-lsp binary for this platform. The binary comes in a
// package of its own per platform (@mcp-config-lsp/linux-x64, ...), which npm
// installs as an optional dependency when its `os` and `cpu` match: the way
// esbuild, Biome and oxlint ship theirs. This file only finds it and hands
// over stdio, arguments and the exit code (the language server speaks LSP on
// stdout, so nothing is written there from here).
'use strict';

const { spawnSync } = require('node:child_process');

const PLATFORMS = {
  'linux-x64': '@mcp-config-lsp/linux-x64',
  'linux-arm64': '@mcp-config-lsp/linux-arm64',
  'darwin-x64': '@mcp-config-lsp/darwin-x64',
  'darwin-arm64': '@mcp-config-lsp/darwin-arm64',
  'win32-x64': '@mcp-config-lsp/win32-x64',
  'win32-arm64': '@mcp-config-lsp/win32-arm64',
};

function fail(message) {
  process.stderr.write(`mcp-config-lsp: ${message}\n`);
  process.exit(2);
}

function binary() {
  if (process.env.MCP_CONFIG_LSP_BINARY) return process.env.MCP_CONFIG_LSP_BINARY;
  const platform = `${process.platform}-${process.arch}`;
  const pkg = PLATFORMS[platform];
  if (!pkg) {
    fail(
      `There is no prebuilt binary for ${platform}. Build one with ` +
        '`cargo install --locked mcp-config-lsp` and run that instead.',
    );
  }
  const exe = process.platform === 'win32' ? 'mcp-config-lsp.exe' : 'mcp-config-lsp';
  try {
    return require.resolve(`${pkg}/bin/${exe}`);
  } catch {
    return fail(
      `The package ${pkg}, which holds the binary for ${platform}, is not installed. ` +
        'npm leaves it out when optional dependencies are turned off (--omit=optional, ' +
        '--no-optional) or when the lock file was made on another platform: reinstall ' +
        'without those, or set MCP_CONFIG_LSP_BINARY to a binary you built.',
    );
  }
}

const exe = binary();
const result = spawnSync(exe, process.argv.slice(2), { stdio: 'inherit', windowsHide: true });
if (result.error) fail(`Could not start ${exe}: ${result.error.message}`);
if (result.signal) {
  // Die of the same signal, so a caller sees what the binary saw.
  process.kill(process.pid, result.signal);
} else {
  process.exitCode = result.status ?? 1;
}
