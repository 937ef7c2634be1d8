// Settings helpers. Pure: no `vscode` import.

/** The setting `mcpConfigLsp.rules.ignore` after ignoring `code`: unchanged
 * (undefined) when it is already covered by an entry (`secret/` covers
 * `secret/plaintext`). */
export function addIgnored(current: readonly unknown[] | undefined, code: string): string[] | undefined {
  const list = (current ?? []).filter((c): c is string => typeof c === 'string');
  const norm = (c: string) => c.trim().replace(/\/\*$/, '').replace(/\/$/, '');
  const want = norm(code);
  if (!want) return undefined;
  const covered = list.some((c) => {
    const n = norm(c);
    return n === want || want.startsWith(n + '/');
  });
  return covered ? undefined : [...list, code];
}

/** Text for a finished test launch, from what `workspace/executeCommand`
 * returned (`{"results": [{"server", "code", "summary", ...}]}`): the server
 * attaches the real result (diagnostics, code lens); this is only the
 * one-line echo in the status bar. */
export function describeLaunchResult(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (result && typeof result === 'object') {
    const r = result as { [k: string]: unknown };
    if (Array.isArray(r.results)) {
      const parts = r.results
        .filter((x): x is { [k: string]: unknown } => !!x && typeof x === 'object')
        .map((x) => `${typeof x.server === 'string' ? x.server : '?'}: ${typeof x.summary === 'string' ? x.summary : typeof x.code === 'string' ? x.code : '?'}`);
      return parts.length ? parts.join('; ') : undefined;
    }
    for (const k of ['summary', 'message', 'title']) {
      if (typeof r[k] === 'string') return r[k] as string;
    }
  }
  return undefined;
}
