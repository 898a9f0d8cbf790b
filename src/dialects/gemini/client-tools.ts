// Gemini `tools` and `toolConfig` → canonical tools and tool choice (PROTOCOLS.md §4.1, §6.3,
// §6.4). Decisions:
// - `functionDeclarations[]` → FunctionTool: `parameters` (Gemini's OpenAPI-subset Schema) is
//   converted to JSON Schema (client-schema.ts), `parametersJsonSchema` passes as it is; a
//   declared result schema (`response`, `responseJsonSchema`) has no slot elsewhere: named in
//   `dropped`, results still travel;
// - every other tool field (`googleSearch`, `codeExecution`, `urlContext`…) is a tool Google
//   runs on its own servers: not carried, one `dropped` entry each (as the Responses decoder
//   does for hosted tools), and `toolConfig.retrievalConfig`, which configures them, likewise;
// - `functionCallingConfig.mode`: AUTO → auto, NONE → none, ANY → required, or the named tool
//   when `allowedFunctionNames` holds exactly one name; VALIDATED (the model may call or not,
//   calls are schema-checked) → auto, the only choice with that freedom; MODE_UNSPECIFIED →
//   no choice. `allowedFunctionNames` keeps only those tools in `tools` (exactly its meaning);
//   a name no declaration has, or names with mode NONE, is a 400.
import type { DroppedField, FunctionTool, ToolChoice } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys } from '../shared/fields.js'
import { expectArray, expectObject, expectOneOf, expectString, fieldPath, isAbsent, itemPath, optionalString, optionalStringList, type JsonObject } from '../shared/json.js'
import type { Mutable } from '../shared/request.js'
import { camelCase, field, rules } from './client-fields.js'
import { jsonSchema } from './client-schema.js'

const DECLARATION_KEYS = rules(['name', 'description', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema'], 'tools[].functionDeclarations[]')
const CONFIG_KEYS = rules(['functionCallingConfig', 'retrievalConfig'], 'toolConfig')
const CALLING_KEYS = rules(['mode', 'allowedFunctionNames'], 'toolConfig.functionCallingConfig')
const MODES = ['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED'] as const
const HOSTED = new Set([
  'googleSearch', 'googleSearchRetrieval', 'codeExecution', 'urlContext', 'retrieval', 'fileSearch',
  'googleMaps', 'computerUse', 'enterpriseWebSearch', 'mcpServers',
])

function droppedReason (key: string): string {
  if (HOSTED.has(key)) return `Google-hosted tool '${key}' runs on Google's servers; the backend model cannot call it`
  return `unknown tool '${key}'; not carried, so the backend model cannot call it`
}

/** `path` is where `tools` sits. */
export function decodeTools (value: unknown, path: string, dropped: DroppedField[]): FunctionTool[] | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, path)
  const tools: FunctionTool[] = []
  for (let i = 0; i < list.length; i++) {
    const at = itemPath(path, i)
    const tool = expectObject(list[i], at)
    for (const raw of Object.keys(tool)) {
      if (isAbsent(tool[raw])) continue
      const key = camelCase(raw)
      if (key !== 'functionDeclarations') {
        dropped.push({ path: fieldPath(at, raw), reason: droppedReason(key) })
        continue
      }
      const declarations = expectArray(tool[raw], fieldPath(at, raw))
      for (let j = 0; j < declarations.length; j++) tools.push(declaration(declarations[j], itemPath(fieldPath(at, raw), j), dropped))
    }
  }
  return tools
}

function declaration (value: unknown, path: string, dropped: DroppedField[]): FunctionTool {
  const decl = expectObject(value, path)
  checkKeys(decl, path, DECLARATION_KEYS)
  const out: Mutable<FunctionTool> = { kind: 'function', name: expectString(decl.name, fieldPath(path, 'name')) }
  const description = optionalString(decl.description, fieldPath(path, 'description'))
  if (description !== undefined) out.description = description
  const schema = decl.parameters
  const full = field(decl, 'parametersJsonSchema', 'parameters_json_schema')
  if (!isAbsent(schema) && !isAbsent(full)) throw convertError(fieldPath(path, 'parametersJsonSchema'), 'send either parameters or parametersJsonSchema')
  if (!isAbsent(schema)) out.parameters = jsonSchema(schema, fieldPath(path, 'parameters'))
  if (!isAbsent(full)) out.parameters = expectObject(full, fieldPath(path, 'parametersJsonSchema'))
  for (const [camel, snake] of [['response', 'response'], ['responseJsonSchema', 'response_json_schema']] as const) {
    if (isAbsent(field(decl, camel, snake))) continue
    dropped.push({ path: fieldPath(path, camel), reason: 'a declared result schema has no slot on other backends; results still travel' })
  }
  return out
}

/** What toolConfig decides: the choice, and for `allowedFunctionNames` the tools that remain. */
export interface ToolSelection {
  readonly toolChoice?: ToolChoice
  readonly tools?: readonly FunctionTool[]
}

/** `path` is where `toolConfig` sits. */
export function decodeToolConfig (value: unknown, path: string, tools: readonly FunctionTool[], dropped: DroppedField[]): ToolSelection {
  if (isAbsent(value)) return {}
  const config = expectObject(value, path)
  checkKeys(config, path, CONFIG_KEYS)
  const retrieval = field(config, 'retrievalConfig', 'retrieval_config')
  if (!isAbsent(retrieval)) dropped.push({ path: fieldPath(path, 'retrievalConfig'), reason: 'configures Google-hosted tools, which are not carried' })
  const calling = field(config, 'functionCallingConfig', 'function_calling_config')
  return isAbsent(calling) ? {} : functionCalling(expectObject(calling, fieldPath(path, 'functionCallingConfig')), fieldPath(path, 'functionCallingConfig'), tools)
}

function functionCalling (config: JsonObject, path: string, tools: readonly FunctionTool[]): ToolSelection {
  checkKeys(config, path, CALLING_KEYS)
  const mode = isAbsent(config.mode) ? undefined : expectOneOf(config.mode, fieldPath(path, 'mode'), MODES)
  const namesPath = fieldPath(path, 'allowedFunctionNames')
  const names = optionalStringList(field(config, 'allowedFunctionNames', 'allowed_function_names'), namesPath) ?? []
  const out: Mutable<ToolSelection> = {}
  if (names.length > 0) {
    if (mode === 'NONE') throw convertError(namesPath, 'applies only with mode ANY, AUTO or VALIDATED')
    for (let i = 0; i < names.length; i++) {
      if (!tools.some(t => t.name === names[i])) throw convertError(itemPath(namesPath, i), `no functionDeclaration is named '${names[i] as string}'`)
    }
    out.tools = tools.filter(t => names.includes(t.name))
  }
  if (mode === 'ANY' && tools.length === 0) throw convertError(fieldPath(path, 'mode'), 'ANY requires a call, but no functionDeclaration is carried')
  const choice = toolChoice(mode, names)
  if (choice !== undefined) out.toolChoice = choice
  return out
}

function toolChoice (mode: typeof MODES[number] | undefined, names: readonly string[]): ToolChoice | undefined {
  switch (mode) {
    case 'AUTO': case 'VALIDATED': return { type: 'auto' }
    case 'NONE': return { type: 'none' }
    case 'ANY': return names.length === 1 ? { type: 'tool', name: names[0] as string } : { type: 'required' }
    default: return undefined
  }
}
