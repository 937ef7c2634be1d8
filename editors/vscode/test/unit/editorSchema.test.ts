// The schemas contributed to VS Code's JSON support report nothing (the
// server does), but still document and complete what the repo's schemas do.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { forEditor } from '../../src/editorSchema';

const repo = join(__dirname, '../../../../..');
const schemas = readdirSync(join(repo, 'schemas')).filter((f) => f.endsWith('.schema.json'));
const load = (f: string) => JSON.parse(readFileSync(join(repo, 'schemas', f), 'utf8'));

/** Every keyword used anywhere in a schema tree, with property names skipped. */
function keywords(schema: unknown, out = new Set<string>()): Set<string> {
  if (Array.isArray(schema)) schema.forEach((s) => keywords(s, out));
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return out;
  for (const [k, v] of Object.entries(schema)) {
    out.add(k);
    if (k === 'properties' || k === '$defs' || k === 'patternProperties') {
      Object.values(v as object).forEach((s) => keywords(s, out));
    } else if (k !== 'examples' && k !== 'default') {
      keywords(v, out);
    }
  }
  return out;
}

test('no contributed schema keeps a keyword that makes VS Code report a problem', () => {
  for (const f of schemas) {
    const used = keywords(forEditor(load(f)));
    for (const k of ['required', 'type', 'enum', 'const', 'deprecated', 'minimum', 'pattern', 'anyOf', 'if']) {
      assert.ok(!used.has(k), `${f} still has ${k}`);
    }
    const closed = JSON.stringify(forEditor(load(f))).includes('"additionalProperties":false');
    assert.ok(!closed, `${f} still closes an object (additionalProperties: false)`);
  }
});

test('the Cursor schema still documents an entry and offers its transports', () => {
  const cursor = forEditor(load('cursor.schema.json'));
  const text = JSON.stringify(cursor);
  assert.match(text, /"command":\{"description":"[^"]+"/);
  assert.match(text, /"env":\{[^}]*"description"/);
  // A closed set of values survives as examples, which completion offers.
  const withExamples = [...text.matchAll(/"examples":\[([^\]]*)\]/g)].map((m) => m[1]).join(',');
  assert.match(withExamples, /"stdio"/);
});

test('enum and const become examples, alternatives become one set of properties', () => {
  const flat = forEditor({
    type: 'object',
    additionalProperties: false,
    required: ['a'],
    anyOf: [
      { properties: { command: { type: 'string', description: 'run' } }, required: ['command'] },
      { properties: { url: { type: 'string', format: 'uri', description: 'reach' } } },
    ],
    properties: { type: { enum: ['stdio', 'http'], description: 'transport' }, v: { const: 1 } },
  });
  assert.deepEqual(flat, {
    properties: {
      command: { description: 'run' },
      url: { description: 'reach' },
      type: { description: 'transport', examples: ['stdio', 'http'] },
      v: { examples: [1] },
    },
  });
});
