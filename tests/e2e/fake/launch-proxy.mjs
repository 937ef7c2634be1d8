#!/usr/bin/env node
// A stand-in for the server's test-launch commands, to test the editors'
// client side (which server entry a command picks, the arguments it sends,
// how progress is shown) while the real server has no launch commands yet.
//
// Sits between the editor and the real language server
// ($FAKE_LAUNCH_REAL_BIN, started with this script's arguments), passes
// everything through, except that it
//   - adds mcp-config-lsp.testLaunch / testLaunchAll to the server's
//     executeCommandProvider when the server lacks them,
//   - when the server has no code lenses, answers textDocument/codeLens with
//     one "▶ Test launch (fake)" lens per server (from the server's document
//     symbols), running mcp-config-lsp.testLaunch [uri, name], and
//   - answers those commands itself: records the call in $FAKE_LAUNCH_LOG
//     (one JSON line), reports work-done progress ($/progress begin/report/end
//     on the request's workDoneToken, or on one it creates with
//     window/workDoneProgress/create) and returns {"summary": "..."}.
// Commands the real server has are passed through untouched.
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const FAKED = ['mcp-config-lsp.testLaunch', 'mcp-config-lsp.testLaunchAll'];
const real = spawn(process.env.FAKE_LAUNCH_REAL_BIN, process.argv.slice(2), { stdio: ['pipe', 'pipe', 'inherit'] });
real.on('exit', (code) => process.exit(code ?? 1));
const log = (entry) => process.env.FAKE_LAUNCH_LOG && appendFileSync(process.env.FAKE_LAUNCH_LOG, JSON.stringify(entry) + '\n');

function reader(onMessage) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    for (;;) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      const m = /Content-Length:\s*(\d+)/i.exec(buf.subarray(0, end).toString('ascii'));
      const len = m ? Number(m[1]) : 0;
      if (buf.length < end + 4 + len) return;
      const body = buf.subarray(end + 4, end + 4 + len).toString('utf8');
      buf = buf.subarray(end + 4 + len);
      onMessage(JSON.parse(body));
    }
  };
}
const frame = (msg) => {
  const body = Buffer.from(JSON.stringify(msg), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
};
const toEditor = (msg) => process.stdout.write(frame(msg));
const toServer = (msg) => real.stdin.write(frame(msg));

let initializeId;
let realCommands = [];
let fakeLenses = false;
const pendingLenses = new Map(); // our documentSymbol request id -> the editor's codeLens request
let ourId = 0;
const ours = new Set();

process.stdin.on('data', reader((msg) => {
  if (msg.method === 'initialize') initializeId = msg.id;
  if (msg.id !== undefined && !msg.method && ours.has(msg.id)) {
    ours.delete(msg.id); // the editor's answer to our workDoneProgress/create
    return;
  }
  if (msg.method === 'textDocument/codeLens' && fakeLenses) {
    const id = `fake-symbols-${++ourId}`;
    pendingLenses.set(id, msg);
    toServer({ jsonrpc: '2.0', id, method: 'textDocument/documentSymbol', params: { textDocument: msg.params.textDocument } });
    return;
  }
  if (msg.method === 'workspace/executeCommand' && FAKED.includes(msg.params.command) && !realCommands.includes(msg.params.command)) {
    void fakeLaunch(msg);
    return;
  }
  toServer(msg);
}));
process.stdin.on('end', () => real.stdin.end());

real.stdout.on('data', reader((msg) => {
  if (msg.id !== undefined && pendingLenses.has(msg.id)) {
    const req = pendingLenses.get(msg.id);
    pendingLenses.delete(msg.id);
    const uri = req.params.textDocument.uri;
    const lenses = (msg.result ?? []).map((sym) => ({
      range: sym.selectionRange ?? sym.range ?? sym.location.range,
      command: { title: '▶ Test launch (fake)', command: 'mcp-config-lsp.testLaunch', arguments: [uri, sym.name] },
    }));
    toEditor({ jsonrpc: '2.0', id: req.id, result: lenses });
    return;
  }
  if (msg.id !== undefined && msg.id === initializeId && msg.result) {
    const caps = msg.result.capabilities;
    if (!caps.codeLensProvider) {
      fakeLenses = true;
      caps.codeLensProvider = { resolveProvider: false };
    }
    realCommands = caps.executeCommandProvider?.commands ?? [];
    caps.executeCommandProvider = { ...(caps.executeCommandProvider ?? {}), commands: [...new Set([...realCommands, ...FAKED])] };
    log({ real: { commands: realCommands, codeLens: !fakeLenses } });
  }
  toEditor(msg);
}));

async function fakeLaunch(msg) {
  const [, name] = msg.params.arguments ?? [];
  log({ command: msg.params.command, arguments: msg.params.arguments ?? [], workDoneToken: msg.params.workDoneToken ?? null });
  // The editor's token if it sent one (client-initiated progress), else one
  // we create (server-initiated), as the LSP specification allows both.
  let token = msg.params.workDoneToken;
  if (token === undefined) {
    token = `fake-launch-${++ourId}`;
    const id = `fake-${ourId}`;
    ours.add(id);
    toEditor({ jsonrpc: '2.0', id, method: 'window/workDoneProgress/create', params: { token } });
  }
  const title = `Test launch (fake) of ${name ?? 'every server'}`;
  const progress = (value) => toEditor({ jsonrpc: '2.0', method: '$/progress', params: { token, value } });
  await new Promise((r) => setTimeout(r, 200));
  progress({ kind: 'begin', title, message: 'initialize', percentage: 0, cancellable: false });
  await new Promise((r) => setTimeout(r, 1500));
  progress({ kind: 'report', message: 'tools/list', percentage: 50 });
  await new Promise((r) => setTimeout(r, 1500));
  progress({ kind: 'end', message: 'done' });
  toEditor({ jsonrpc: '2.0', id: msg.id, result: { summary: `${title}: done` } });
}
