// Where the language server binary comes from: the setting
// `mcpConfigLsp.server.path`, else `mcp-config-lsp` on PATH, else the binary
// bundled in the extension under `server/<platform>-<arch>/`. Pure apart from
// the file-system probe it is given, so it is unit-tested under plain Node.

import * as path from 'node:path';

export const BINARY = 'mcp-config-lsp';

export interface ResolveInput {
  /** `mcpConfigLsp.server.path`, as the user wrote it. */
  setting: string | undefined;
  /** The extension host's PATH (and PATHEXT on Windows). */
  env: { [key: string]: string | undefined };
  platform: string; // process.platform
  arch: string; // process.arch
  extensionPath: string;
  /** First workspace folder, for a relative `server.path`. */
  workspaceFolder?: string;
  home?: string;
  /** Whether a regular, executable file exists there. */
  isExecutable: (file: string) => boolean;
}

export type Resolved =
  | { ok: true; command: string; source: 'setting' | 'path' | 'bundled' }
  | { ok: false; message: string };

/** The directory name of the bundled binary for a platform, e.g. `linux-x64`;
 * it is also the `vsce package --target` name. */
export function platformDir(platform: string, arch: string): string {
  return `${platform}-${arch}`;
}

export function bundledPath(extensionPath: string, platform: string, arch: string): string {
  const exe = platform === 'win32' ? `${BINARY}.exe` : BINARY;
  return path.join(extensionPath, 'server', platformDir(platform, arch), exe);
}

function expandSetting(value: string, input: ResolveInput): string {
  let v = value.trim();
  if (input.workspaceFolder) v = v.replace(/\$\{workspaceFolder\}/g, input.workspaceFolder);
  if (input.home && (v === '~' || v.startsWith('~/') || v.startsWith('~\\'))) v = input.home + v.slice(1);
  const isAbs = input.platform === 'win32' ? path.win32.isAbsolute(v) : path.posix.isAbsolute(v);
  if (!isAbs && (v.includes('/') || v.includes('\\')) && input.workspaceFolder) {
    v = path.join(input.workspaceFolder, v);
  }
  return v;
}

/** Look a bare command up on PATH, like a shell would. */
export function which(cmd: string, input: Pick<ResolveInput, 'env' | 'platform' | 'isExecutable'>): string | undefined {
  const win = input.platform === 'win32';
  const pathVar = win ? (input.env.Path ?? input.env.PATH ?? input.env.path) : input.env.PATH;
  if (!pathVar) return undefined;
  const sep = win ? ';' : ':';
  const exts = win
    ? [''].concat((input.env.PATHEXT ?? '.COM;.EXE;.BAT;.CMD').split(';').filter(Boolean).map((e) => e.toLowerCase()))
    : [''];
  const join = win ? path.win32.join : path.posix.join;
  for (const dir of pathVar.split(sep)) {
    if (!dir) continue;
    for (const ext of exts) {
      if (win && ext === '' && !/\.[a-z0-9]+$/i.test(cmd)) continue;
      const candidate = join(dir.replace(/^"(.*)"$/, '$1'), cmd + ext);
      if (input.isExecutable(candidate)) return candidate;
    }
  }
  return undefined;
}

export function resolveServer(input: ResolveInput): Resolved {
  const setting = input.setting?.trim();
  if (setting) {
    const expanded = expandSetting(setting, input);
    const isBare = !expanded.includes('/') && !expanded.includes('\\');
    const found = isBare ? which(expanded, input) : input.isExecutable(expanded) ? expanded : undefined;
    if (found) return { ok: true, command: found, source: 'setting' };
    return {
      ok: false,
      message: `The setting mcpConfigLsp.server.path is "${setting}", but no executable file is there${
        isBare ? ' (looked on PATH)' : expanded !== setting ? ` (${expanded})` : ''
      }. Fix the path, or clear the setting to use ${BINARY} from PATH or the one bundled with the extension.`,
    };
  }
  const onPath = which(BINARY, input);
  if (onPath) return { ok: true, command: onPath, source: 'path' };
  const bundled = bundledPath(input.extensionPath, input.platform, input.arch);
  if (input.isExecutable(bundled)) return { ok: true, command: bundled, source: 'bundled' };
  return {
    ok: false,
    message: `Could not find the ${BINARY} language server: it is not on PATH, and this build of the extension has no binary for ${platformDir(
      input.platform,
      input.arch,
    )}. Install it with \`cargo install mcp-config-lsp\` (or from a release), or set mcpConfigLsp.server.path.`,
  };
}
