#!/usr/bin/env bash
# Side by side: VS Code's JSON language service (parse + schema validation)
# against mcp-config-lsp's full analysis (parse + model + every rule), on the
# same generated Cursor configs. Run by hand: benches/compare/run.sh
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$here/../.."
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

target="${CARGO_TARGET_DIR:-$root/target}"
timing="$target/release/examples/analysis_timing"

(cd "$here" && npm install --no-audit --no-fund --silent)
cargo build --release --quiet --manifest-path "$root/Cargo.toml" --example analysis_timing

files=()
for n in 5 40 600 6000; do
  "$timing" --generate "$n" > "$work/servers-$n.json"
  files+=("$work/servers-$n.json")
done

node "$here/json-languageservice.mjs" "$root/schemas/cursor.schema.json" "${files[@]}" > "$work/node.jsonl"
"$timing" "${files[@]}" > "$work/rust.jsonl"

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg), node $(node --version)"
python3 - "$work/node.jsonl" "$work/rust.jsonl" <<'PY'
import json, sys
node = {json.loads(l)["file"]: json.loads(l) for l in open(sys.argv[1])}
rust = {json.loads(l)["file"]: json.loads(l) for l in open(sys.argv[2])}
print(f"| servers | size | vscode-json-languageservice | mcp-config-lsp | ratio |")
print(f"|---|---|---|---|---|")
for f, r in rust.items():
    n = node[f]
    servers = f.rsplit("-", 1)[1].split(".")[0]
    def fmt(us): return f"{us/1000:.2f} ms" if us >= 1000 else f"{us:.1f} µs"
    print(f"| {servers} | {r['bytes']/1024:.1f} KB | {fmt(n['meanUs'])} | {fmt(r['meanUs'])} | {n['meanUs']/r['meanUs']:.1f}× |")
PY
