import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bundledPath, resolveServer, which, type ResolveInput } from '../../src/serverPath';

function input(files: string[], over: Partial<ResolveInput> = {}): ResolveInput {
  return {
    setting: undefined,
    env: { PATH: '/usr/local/bin:/usr/bin' },
    platform: 'linux',
    arch: 'x64',
    extensionPath: '/ext',
    workspaceFolder: '/ws',
    home: '/home/me',
    isExecutable: (f) => files.includes(f),
    ...over,
  };
}

test('the setting wins, with ~, ${workspaceFolder} and relative paths expanded', () => {
  const files = ['/opt/lsp', '/home/me/bin/lsp', '/ws/tools/lsp', '/usr/bin/mcp-config-lsp'];
  assert.deepEqual(resolveServer(input(files, { setting: '/opt/lsp' })), { ok: true, command: '/opt/lsp', source: 'setting' });
  assert.deepEqual(resolveServer(input(files, { setting: '~/bin/lsp' })), { ok: true, command: '/home/me/bin/lsp', source: 'setting' });
  assert.deepEqual(resolveServer(input(files, { setting: '${workspaceFolder}/tools/lsp' })), { ok: true, command: '/ws/tools/lsp', source: 'setting' });
  assert.deepEqual(resolveServer(input(files, { setting: 'tools/lsp' })), { ok: true, command: '/ws/tools/lsp', source: 'setting' });
  assert.deepEqual(resolveServer(input(files, { setting: 'mcp-config-lsp' })), { ok: true, command: '/usr/bin/mcp-config-lsp', source: 'setting' });
});

test('a setting that points nowhere is an error, not a silent fallback', () => {
  const r = resolveServer(input(['/usr/bin/mcp-config-lsp'], { setting: '/nope/lsp' }));
  assert.equal(r.ok, false);
  assert.match((r as { message: string }).message, /mcpConfigLsp\.server\.path.*\/nope\/lsp/);
});

test('then PATH, then the bundled binary', () => {
  const bundled = bundledPath('/ext', 'linux', 'x64');
  assert.equal(bundled, '/ext/server/linux-x64/mcp-config-lsp');
  assert.deepEqual(resolveServer(input(['/usr/bin/mcp-config-lsp', bundled])), { ok: true, command: '/usr/bin/mcp-config-lsp', source: 'path' });
  assert.deepEqual(resolveServer(input([bundled])), { ok: true, command: bundled, source: 'bundled' });
  assert.deepEqual(resolveServer(input([bundled], { setting: '  ' })), { ok: true, command: bundled, source: 'bundled' });
  const none = resolveServer(input([]));
  assert.equal(none.ok, false);
  assert.match((none as { message: string }).message, /not on PATH.*linux-x64/);
});

test('Windows: Path, PATHEXT and the .exe bundle', () => {
  const files = ['C:\\tools\\mcp-config-lsp.EXE'.replace('.EXE', '.exe')];
  const w = { env: { Path: 'C:\\Windows;C:\\tools', PATHEXT: '.COM;.EXE' }, platform: 'win32', isExecutable: (f: string) => files.includes(f) };
  assert.equal(which('mcp-config-lsp', w), 'C:\\tools\\mcp-config-lsp.exe');
  assert.equal(bundledPath('C:\\ext', 'win32', 'arm64').replace(/\\/g, '/').endsWith('server/win32-arm64/mcp-config-lsp.exe'), true);
});
