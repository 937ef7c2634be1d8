import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serverAt, serverNames } from '../../src/serverPick';

const r = (l1: number, c1: number, l2: number, c2: number) => ({ start: { line: l1, character: c1 }, end: { line: l2, character: c2 } });
// {                                   line 0
//   "mcpServers": {                   line 1
//     "github": {                     line 2
//       "command": "npx"              line 3
//     },                              line 4
//     "everything": { "command": "x" } line 5
//   }
// }
const symbols = [
  { name: 'github', range: r(2, 4, 4, 5), children: [{ name: 'command', range: r(3, 6, 3, 22) }] },
  { name: 'everything', range: r(5, 4, 5, 36) },
];

test('the server whose entry holds the cursor', () => {
  assert.equal(serverAt(symbols, { line: 3, character: 10 })?.name, 'github');
  assert.equal(serverAt(symbols, { line: 2, character: 4 })?.name, 'github');
  assert.equal(serverAt(symbols, { line: 4, character: 5 })?.name, 'github');
  assert.equal(serverAt(symbols, { line: 5, character: 20 })?.name, 'everything');
});

test('outside every entry: none', () => {
  assert.equal(serverAt(symbols, { line: 0, character: 0 }), undefined);
  assert.equal(serverAt(symbols, { line: 6, character: 2 }), undefined);
  assert.equal(serverAt(null, { line: 0, character: 0 }), undefined);
});

test('SymbolInformation (flat, with location) works too, and nesting picks the innermost', () => {
  const flat = [
    { name: 'outer', location: { range: r(1, 0, 10, 0) } },
    { name: 'inner', location: { range: r(3, 0, 5, 0) } },
  ];
  assert.equal(serverAt(flat, { line: 4, character: 0 })?.name, 'inner');
  assert.equal(serverAt(flat, { line: 8, character: 0 })?.name, 'outer');
});

test('names in document order for the quick pick', () => {
  assert.deepEqual(serverNames([symbols[1], symbols[0]]), ['github', 'everything']);
  assert.deepEqual(serverNames(undefined), []);
});
