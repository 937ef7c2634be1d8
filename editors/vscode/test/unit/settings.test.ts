import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addIgnored, describeLaunchResult } from '../../src/settings';

test('ignoring a rule adds it once, unless a family already covers it', () => {
  assert.deepEqual(addIgnored(undefined, 'env/empty-value'), ['env/empty-value']);
  assert.deepEqual(addIgnored(['secret/'], 'env/empty-value'), ['secret/', 'env/empty-value']);
  assert.equal(addIgnored(['env/empty-value'], 'env/empty-value'), undefined);
  assert.equal(addIgnored(['secret/'], 'secret/plaintext'), undefined);
  assert.equal(addIgnored(['secret'], 'secret/plaintext'), undefined);
  assert.equal(addIgnored(['secret/*'], 'secret/plaintext'), undefined);
  assert.deepEqual(addIgnored(['secretive/x'], 'secret/plaintext'), ['secretive/x', 'secret/plaintext']);
  assert.deepEqual(addIgnored([42, 'url/insecure'], 'syntax'), ['url/insecure', 'syntax']);
  assert.equal(addIgnored([], ' '), undefined);
});

test('launch results become one line when they carry one', () => {
  assert.equal(describeLaunchResult('✓ 12 tools'), '✓ 12 tools');
  assert.equal(describeLaunchResult({ summary: 'ok' }), 'ok');
  assert.equal(describeLaunchResult({ message: 'm' }), 'm');
  assert.equal(describeLaunchResult(null), undefined);
  assert.equal(describeLaunchResult({ ok: true }), undefined);
  assert.equal(
    describeLaunchResult({ results: [{ server: 'everything', code: 'launch/ok', summary: '✓ 14 tools · 1476 ms' }, { server: 'broken', code: 'launch/exited' }] }),
    'everything: ✓ 14 tools · 1476 ms; broken: launch/exited',
  );
  assert.equal(describeLaunchResult({ results: [] }), undefined);
});
