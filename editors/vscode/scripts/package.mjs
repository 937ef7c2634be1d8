// Packages the extension into a .vsix with the language server bundled for
// one platform:
//
//   npm run package                      this machine's platform, binary from
//                                        $MCP_CONFIG_LSP_BIN or <repo>/target/release
//   npm run package -- --target darwin-arm64 --bin path/to/mcp-config-lsp
//   npm run package -- --no-bin          a universal vsix without a binary
//                                        (the server must then be on PATH)
//
// Writes the repo's schemas/*.schema.json into schemas/ (jsonValidation
// points there), made documentation-only by src/editorSchema.ts so that VS
// Code's JSON support completes and explains but leaves reporting problems to
// the server, and the binary into server/<target>/, then runs vsce.
import { execFileSync } from 'node:child_process';
import { build } from 'esbuild';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ext = join(dirname(fileURLToPath(import.meta.url)), '..');
const repo = resolve(ext, '../..');
const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};
const noBin = args.includes('--no-bin');
const target = opt('--target') ?? `${process.platform}-${process.arch}`;
const exe = target.startsWith('win32') ? 'mcp-config-lsp.exe' : 'mcp-config-lsp';
const targetDir = process.env.CARGO_TARGET_DIR ? resolve(repo, process.env.CARGO_TARGET_DIR) : join(repo, 'target');
const bin = opt('--bin') ?? process.env.MCP_CONFIG_LSP_BIN ?? join(targetDir, 'release', exe);
const pkg = JSON.parse(readFileSync(join(ext, 'package.json'), 'utf8'));

rmSync(join(ext, 'schemas'), { recursive: true, force: true });
mkdirSync(join(ext, 'schemas'));
const bundled = await build({
  entryPoints: [join(ext, 'src/editorSchema.ts')],
  bundle: true,
  platform: 'node',
  format: 'esm',
  write: false,
  logLevel: 'warning',
});
const { forEditor } = await import(`data:text/javascript,${encodeURIComponent(bundled.outputFiles[0].text)}`);
for (const f of readdirSync(join(repo, 'schemas')).filter((f) => f.endsWith('.schema.json'))) {
  const schema = forEditor(JSON.parse(readFileSync(join(repo, 'schemas', f), 'utf8')));
  writeFileSync(join(ext, 'schemas', f), `${JSON.stringify(schema, null, 2)}\n`);
}

rmSync(join(ext, 'server'), { recursive: true, force: true });
if (!noBin) {
  if (!existsSync(bin)) {
    console.error(`No language server binary at ${bin}: run \`cargo build --release\` first, or pass --bin PATH or --no-bin.`);
    process.exit(1);
  }
  mkdirSync(join(ext, 'server', target), { recursive: true });
  copyFileSync(bin, join(ext, 'server', target, exe));
  chmodSync(join(ext, 'server', target, exe), 0o755);
}

const out = noBin ? `${pkg.name}-${pkg.version}.vsix` : `${pkg.name}-${target}-${pkg.version}.vsix`;
const vsce = join(ext, 'node_modules', '@vscode', 'vsce', 'vsce');
const vsceArgs = ['package', '--skip-license', '--no-dependencies', '-o', out];
if (!noBin) vsceArgs.push('--target', target);
execFileSync(process.execPath, [vsce, ...vsceArgs], { cwd: ext, stdio: 'inherit' });
console.log(`Packaged ${join(ext, out)}${noBin ? ' (no bundled binary)' : ` with ${bin}`}`);
