// JSON Schema for Gemini's `parametersJsonSchema` and `responseJsonSchema` (PROTOCOLS.md §6.3,
// §7.13): the full-JSON-Schema fields take `additionalProperties`, `const`, `$ref` and type
// arrays, but not a `$schema` declaration (Claude Code's tool schemas carry one). `$schema` is
// removed from every schema object in the tree; the walk follows only keywords whose values are
// schemas, so data (`enum`, `const`, `default`, `examples`) and property names — a property
// may well be called `$schema` — are kept as sent.
import { isObject, type JsonObject } from '../shared/json.js'

/** Keywords whose value is one schema (`items` may also be a draft-4 tuple list). */
const ONE_SCHEMA: ReadonlySet<string> = new Set([
  'items', 'additionalItems', 'contains', 'additionalProperties', 'propertyNames', 'not', 'if', 'then', 'else',
  'unevaluatedItems', 'unevaluatedProperties',
])
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST: ReadonlySet<string> = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems'])
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAP: ReadonlySet<string> = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'])

function subschema (value: unknown): unknown {
  if (isObject(value)) return withoutSchemaKeyword(value)
  return Array.isArray(value) ? value.map(subschema) : value
}

function schemaMap (value: unknown): unknown {
  if (!isObject(value)) return value
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(value)) out[key] = subschema(value[key])
  return out
}

export function withoutSchemaKeyword (schema: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(schema)) {
    if (key === '$schema') continue
    const value = schema[key]
    if (ONE_SCHEMA.has(key) || SCHEMA_LIST.has(key)) out[key] = subschema(value)
    else if (SCHEMA_MAP.has(key)) out[key] = schemaMap(value)
    else out[key] = value
  }
  return out
}
