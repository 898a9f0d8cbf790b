// Gemini `Schema` (the OpenAPI 3.0 subset used by `functionDeclarations[].parameters` and
// `generationConfig.responseSchema`) → JSON Schema, for backends that speak JSON Schema
// (PROTOCOLS.md §4.1, §6.3). Decisions:
// - type words are upper-case on the wire (js-genai `Type.OBJECT` = "OBJECT"): lower-cased;
//   `TYPE_UNSPECIFIED` means no type;
// - `nullable:true` → `type:[t,"null"]` (`null` joins `enum` too, else a null value would fail
//   it); without a type it joins `anyOf`, and with neither it adds nothing (any value is allowed);
// - the int64 counts (`minItems`, `maxLength`…) arrive as strings in proto JSON: made numbers;
// - `example` → `examples:[example]`; `propertyOrdering` only orders Gemini's own output: dropped;
// - any other key is not part of Gemini's Schema: a 400 naming it (full JSON Schema belongs in
//   `parametersJsonSchema` / `responseJsonSchema`, which pass as they are).
// Keys are read in camelCase or snake_case; property names are the client's and stay verbatim.
import { convertError } from '../../errors/codes.js'
import { expectArray, expectObject, expectString, fieldPath, isAbsent, itemPath, optionalBoolean, optionalNumber, optionalStringList } from '../shared/json.js'
import { camelCase } from './client-fields.js'

const TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object', 'null'])
const COUNTS = new Set(['minItems', 'maxItems', 'minLength', 'maxLength', 'minProperties', 'maxProperties'])
const STRINGS = new Set(['format', 'title', 'description', 'pattern'])
const NUMBERS = new Set(['minimum', 'maximum'])

type Schema = Record<string, unknown>

/** One Gemini Schema object (and everything under it) as JSON Schema. */
export function jsonSchema (value: unknown, path: string): Schema {
  const schema = expectObject(value, path)
  const out: Schema = {}
  let nullable = false
  for (const raw of Object.keys(schema)) {
    const v = schema[raw]
    if (isAbsent(v)) continue
    const key = camelCase(raw)
    const at = fieldPath(path, raw)
    if (key === 'nullable') nullable = optionalBoolean(v, at) === true
    else if (key === 'type') setType(out, v, at)
    else if (key === 'properties') out.properties = properties(v, at)
    else if (key === 'items') out.items = jsonSchema(v, at)
    else if (key === 'anyOf') out.anyOf = expectArray(v, at).map((s, i) => jsonSchema(s, itemPath(at, i)))
    else if (key === 'required' || key === 'enum') out[key] = optionalStringList(v, at)
    else if (key === 'propertyOrdering') optionalStringList(v, at)
    else if (key === 'example') out.examples = [v]
    else if (key === 'default') out.default = v
    else if (COUNTS.has(key)) out[key] = count(v, at)
    else if (STRINGS.has(key)) out[key] = expectString(v, at)
    else if (NUMBERS.has(key)) out[key] = optionalNumber(v, at)
    else throw convertError(at, 'is not a field of Gemini\'s Schema; send full JSON Schema as parametersJsonSchema or responseJsonSchema', true)
  }
  if (nullable) allowNull(out)
  return out
}

function setType (out: Schema, value: unknown, path: string): void {
  const word = expectString(value, path)
  if (word === 'TYPE_UNSPECIFIED') return
  const type = word.toLowerCase()
  if (!TYPES.has(type)) throw convertError(path, 'must be one of STRING, NUMBER, INTEGER, BOOLEAN, ARRAY, OBJECT, NULL')
  out.type = type
}

function properties (value: unknown, path: string): Schema {
  const props = expectObject(value, path)
  const out: Schema = {}
  for (const name of Object.keys(props)) out[name] = jsonSchema(props[name], fieldPath(path, name))
  return out
}

/** int64 in proto JSON: a number or a decimal string. */
function count (value: unknown, path: string): number {
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) throw convertError(path, 'must be a non-negative integer')
  return n
}

function allowNull (out: Schema): void {
  if (typeof out.type === 'string') out.type = out.type === 'null' ? 'null' : [out.type, 'null']
  else if (Array.isArray(out.anyOf)) out.anyOf = [...(out.anyOf as unknown[]), { type: 'null' }]
  if (Array.isArray(out.enum) && !(out.enum as unknown[]).includes(null)) out.enum = [...(out.enum as unknown[]), null]
}
