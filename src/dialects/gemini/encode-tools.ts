// Canonical tools and tool_choice → Gemini `tools` / `toolConfig` (PROTOCOLS.md §4.1, §6.3,
// §6.4, §7.13). Choices:
// - all function tools go in ONE `{functionDeclarations}` entry, their schema as
//   `parametersJsonSchema` (full JSON Schema, so `additionalProperties`/`const` pass) without
//   `$schema` (encode-schema.ts); a tool without parameters gets none (§6.3);
// - custom (freeform) tools become functions taking one string `input` (custom-tools.ts);
//   namespaced tools are named `<namespace>__<name>` (namespaces.ts);
// - `strict` and `cacheControl` have no Gemini form and are dropped; so is
//   `parallelToolCalls` (Gemini has no switch, §6.4);
// - tool_choice: auto → AUTO, none → NONE, required → ANY, a named tool → ANY restricted to
//   it; sent only with tools, as the other encoders do.
import type { CanonicalRequest, ToolDefinition } from '../../canonical/request.js'
import { CUSTOM_TOOL_PARAMETERS } from '../shared/custom-tools.js'
import { checkFlatNames, choiceToolName, flatToolName } from '../shared/namespaces.js'
import type { Mutable } from '../shared/request.js'
import { withoutSchemaKeyword } from './encode-schema.js'
import type { FunctionDeclaration, ToolConfig, ToolParam } from './wire-request.js'

function declaration (tool: ToolDefinition): FunctionDeclaration {
  const out: Mutable<FunctionDeclaration> = { name: flatToolName(tool.name, tool.namespace) }
  if (tool.description !== undefined) out.description = tool.description
  if (tool.kind === 'custom') out.parametersJsonSchema = CUSTOM_TOOL_PARAMETERS
  else if (tool.parameters !== undefined) out.parametersJsonSchema = withoutSchemaKeyword(tool.parameters)
  return out
}

export function encodeTools (tools: readonly ToolDefinition[] | undefined): ToolParam[] | undefined {
  if (tools === undefined || tools.length === 0) return undefined
  checkFlatNames(tools)
  return [{ functionDeclarations: tools.map(declaration) }]
}

export function encodeToolConfig (request: CanonicalRequest): ToolConfig | undefined {
  const tools = request.tools
  const choice = request.toolChoice
  if (tools === undefined || tools.length === 0 || choice === undefined) return undefined
  switch (choice.type) {
    case 'auto': return { functionCallingConfig: { mode: 'AUTO' } }
    case 'none': return { functionCallingConfig: { mode: 'NONE' } }
    case 'required': return { functionCallingConfig: { mode: 'ANY' } }
    case 'tool': return { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: [choiceToolName(choice.name, tools)] } }
  }
}
