// The JSON Schemas the extension contributes to VS Code's own JSON support
// (`jsonValidation`) are made from the repo's schemas with every validating
// keyword taken out: VS Code keeps hover docs and completion of keys and
// values from them, and the language server alone reports the problems.
// Otherwise each problem shows twice ("Property comand is not allowed" next
// to schema/unknown-key, "Incorrect type" next to schema/wrong-type).
//
// Kept: descriptions, titles, defaults, properties, items, $defs/$ref, and
// the allowed values (`enum`, `const`) as `examples`, which VS Code offers in
// completion without judging a value against them.

type Schema = { [key: string]: unknown };

/** Keywords whose only effect in VS Code is a diagnostic. */
const VALIDATING = new Set([
  'type', 'required', 'enum', 'const', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum',
  'minLength', 'maxLength', 'pattern', 'format', 'minItems', 'maxItems', 'uniqueItems',
  'minProperties', 'maxProperties', 'deprecated', 'deprecationMessage', 'markdownDeprecationMessage',
  'errorMessage', 'patternErrorMessage', 'if', 'then', 'else', 'not', 'dependentRequired',
]);

const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

function mapValues(map: unknown): Schema | undefined {
  if (!isSchema(map)) return undefined;
  return Object.fromEntries(Object.entries(map).map(([k, v]) => [k, isSchema(v) ? forEditor(v) : v]));
}

/** A schema that documents and completes but never reports a problem. */
export function forEditor(schema: Schema): Schema {
  const out: Schema = {};
  const examples = new Set<unknown>(Array.isArray(schema.examples) ? schema.examples : []);
  if (Array.isArray(schema.enum)) schema.enum.forEach((v) => examples.add(v));
  if ('const' in schema) examples.add(schema.const);
  let properties = mapValues(schema.properties);
  for (const [key, value] of Object.entries(schema)) {
    if (VALIDATING.has(key) || key === 'examples' || key === 'properties') continue;
    if (key === 'anyOf' || key === 'oneOf' || key === 'allOf') {
      // Alternatives become one set of documented properties.
      for (const branch of Array.isArray(value) ? value : []) {
        if (!isSchema(branch)) continue;
        const flat = forEditor(branch);
        properties = { ...(mapValues(flat.properties) ?? {}), ...(properties ?? {}) };
        if (flat.description && !out.description && !schema.description) out.description = flat.description;
      }
      continue;
    }
    if (key === 'additionalProperties') {
      if (isSchema(value)) out.additionalProperties = forEditor(value);
      continue; // `false` would report every unknown key
    }
    if (key === 'items') {
      out.items = isSchema(value) ? forEditor(value) : value;
      continue;
    }
    if (key === '$defs' || key === 'definitions' || key === 'patternProperties') {
      out[key] = mapValues(value);
      continue;
    }
    out[key] = value;
  }
  if (properties && Object.keys(properties).length) out.properties = properties;
  if (examples.size) out.examples = [...examples];
  return out;
}
