// Which server entry the cursor is in, from the server's document symbols
// (one top-level symbol per server, whose range covers the whole entry).
// Pure: no `vscode` import.

export interface Pos {
  line: number;
  character: number;
}
export interface Rng {
  start: Pos;
  end: Pos;
}
/** LSP `DocumentSymbol` (hierarchical) or `SymbolInformation` (flat), as
 * they arrive over the wire or from the VS Code API. */
export interface SymbolLike {
  name: string;
  range?: Rng;
  location?: { range: Rng };
  detail?: string;
}

function before(a: Pos, b: Pos): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

export function contains(r: Rng, p: Pos): boolean {
  return !before(p, r.start) && !before(r.end, p);
}

export function rangeOf(s: SymbolLike): Rng | undefined {
  return s.range ?? s.location?.range;
}

/** The server whose entry contains the position; the innermost when ranges
 * nest, the first when two touch (cursor right after one entry's `}`). */
export function serverAt(symbols: readonly SymbolLike[] | null | undefined, pos: Pos): SymbolLike | undefined {
  let best: SymbolLike | undefined;
  for (const s of symbols ?? []) {
    const r = rangeOf(s);
    if (!r || !contains(r, pos)) continue;
    const br = best && rangeOf(best);
    if (!best || (br && before(br.start, r.start))) best = s;
  }
  return best;
}

/** Server names, in document order, for a quick pick. */
export function serverNames(symbols: readonly SymbolLike[] | null | undefined): string[] {
  return [...(symbols ?? [])]
    .filter((s) => rangeOf(s))
    .sort((a, b) => {
      const ra = rangeOf(a)!.start;
      const rb = rangeOf(b)!.start;
      return ra.line - rb.line || ra.character - rb.character;
    })
    .map((s) => s.name);
}
