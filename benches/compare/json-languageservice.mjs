// Parse + validate each file with vscode-json-languageservice against our
// Cursor schema, the way VS Code's JSON extension does on every keystroke.
// Prints one JSON line per file: {file, bytes, iterations, meanUs, diagnostics}.
import { readFileSync } from 'node:fs';
import { getLanguageService } from 'vscode-json-languageservice';
import { TextDocument } from 'vscode-languageserver-textdocument';

const [schemaPath, ...files] = process.argv.slice(2);
const schema = JSON.parse(readFileSync(schemaPath, 'utf8'));
const uri = 'file:///schema.json';
const ls = getLanguageService({ schemaRequestService: async () => JSON.stringify(schema) });
ls.configure({ validate: true, allowComments: false, schemas: [{ uri, fileMatch: ['*.json'], schema }] });

for (const file of files) {
  const text = readFileSync(file, 'utf8');
  const run = async () => {
    const doc = TextDocument.create('file:///p/.cursor/mcp.json', 'json', 1, text);
    const json = ls.parseJSONDocument(doc);
    return ls.doValidation(doc, json, { comments: 'error', trailingCommas: 'error' });
  };
  for (let i = 0; i < 20; i++) await run(); // warm up the JIT
  const budgetMs = 2000;
  let n = 0, diags = 0;
  const start = process.hrtime.bigint();
  while (Number(process.hrtime.bigint() - start) / 1e6 < budgetMs || n < 10) {
    diags = (await run()).length;
    n++;
  }
  const meanUs = Number(process.hrtime.bigint() - start) / 1e3 / n;
  console.log(JSON.stringify({ file, bytes: Buffer.byteLength(text), iterations: n, meanUs, diagnostics: diags }));
}
