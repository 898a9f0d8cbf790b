// The `response` object of §2.2, shared by the non-streaming body and every lifecycle event.
// The request-derived fields echo the canonical request and are computed once per response
// (`requestEcho`). Where the wire needs a value the request did not give, the API's own
// default is echoed (`tool_choice:"auto"`, `parallel_tool_calls:true`, `text.format` text)
// or `null`; nothing else is invented (`user`, `text.verbosity` only when set).
// `previous_response_id` and `store` say what the gateway's response store did (null/false
// when it did not serve the request: canonical `previousResponseId`/`store` are absent then).
// Tools are echoed flat: a namespaced tool appears as itself, without its group (a wire
// `namespace` tool needs a description the canonical request does not keep).
import type { CanonicalRequest, ResponseFormat, ToolChoice, ToolDefinition } from '../../canonical/request.js'
import type {
  IncompleteDetails, OutputItem, ReasoningEcho, ResponseError, ResponseStatus, ResponsesUsage, TextConfig, TextFormat,
  ToolChoiceEcho, ToolEcho, WireResponse,
} from './wire.js'

/** Fixed per response. */
export interface ResponseHead {
  readonly id: string
  readonly createdAt: number
  readonly model: string
}

export interface ResponseState {
  readonly status: ResponseStatus
  readonly output: readonly OutputItem[]
  readonly usage: ResponsesUsage | null
  readonly error?: ResponseError | undefined
  readonly incomplete?: IncompleteDetails | null
}

/** The request's half of the response object. */
export interface RequestEcho {
  readonly instructions: string | null
  readonly maxOutputTokens: number | null
  readonly parallelToolCalls: boolean
  readonly reasoning: ReasoningEcho
  readonly temperature: number | null
  readonly text: TextConfig
  readonly toolChoice: ToolChoiceEcho
  readonly tools: readonly ToolEcho[]
  readonly topP: number | null
  readonly user?: string
  readonly previousResponseId: string | null
  readonly store: boolean
}

function toolEcho (tool: ToolDefinition): ToolEcho {
  const described = tool.description === undefined ? {} : { description: tool.description }
  if (tool.kind === 'custom') {
    return tool.format === undefined ? { type: 'custom', name: tool.name, ...described } : { type: 'custom', name: tool.name, ...described, format: tool.format }
  }
  return { type: 'function', name: tool.name, ...described, parameters: tool.parameters ?? null, strict: tool.strict ?? null }
}

/** A forced tool is named by its own kind: `{type:"custom",name}` for a freeform tool. */
function toolChoiceEcho (choice: ToolChoice | undefined, tools: readonly ToolDefinition[] | undefined): ToolChoiceEcho {
  if (choice === undefined) return 'auto'
  if (choice.type !== 'tool') return choice.type
  const custom = tools?.some(t => t.kind === 'custom' && t.name === choice.name) === true
  return { type: custom ? 'custom' : 'function', name: choice.name }
}

function textFormat (format: ResponseFormat | undefined): TextFormat {
  if (format === undefined) return { type: 'text' }
  if (format.type !== 'json_schema') return format
  return {
    type: 'json_schema',
    ...(format.name === undefined ? {} : { name: format.name }),
    schema: format.schema,
    strict: format.strict ?? null,
    ...(format.description === undefined ? {} : { description: format.description }),
  }
}

/**
 * `instructions` echoes the canonical system prompt: Responses `instructions` and any
 * system/developer input messages were merged into it by decode-request.ts.
 */
export function requestEcho (req: CanonicalRequest): RequestEcho {
  const echo: RequestEcho = {
    instructions: req.system.length === 0 ? null : req.system.map(p => p.text).join('\n\n'),
    maxOutputTokens: req.maxTokens ?? null,
    parallelToolCalls: req.parallelToolCalls ?? true,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    temperature: req.temperature ?? null,
    text: req.verbosity === undefined ? { format: textFormat(req.responseFormat) } : { format: textFormat(req.responseFormat), verbosity: req.verbosity },
    toolChoice: toolChoiceEcho(req.toolChoice, req.tools),
    tools: req.tools === undefined ? [] : req.tools.map(toolEcho),
    topP: req.topP ?? null,
    previousResponseId: req.previousResponseId ?? null,
    store: req.store === true,
  }
  return req.user === undefined ? echo : { ...echo, user: req.user }
}

export function responseObject (head: ResponseHead, echo: RequestEcho, state: ResponseState): WireResponse {
  const response: WireResponse = {
    id: head.id,
    object: 'response',
    created_at: head.createdAt,
    status: state.status,
    background: false,
    error: state.error ?? null,
    incomplete_details: state.incomplete ?? null,
    instructions: echo.instructions,
    max_output_tokens: echo.maxOutputTokens,
    model: head.model,
    output: state.output,
    parallel_tool_calls: echo.parallelToolCalls,
    previous_response_id: echo.previousResponseId,
    reasoning: echo.reasoning,
    store: echo.store,
    temperature: echo.temperature,
    text: echo.text,
    tool_choice: echo.toolChoice,
    tools: echo.tools,
    top_p: echo.topP,
    truncation: 'disabled',
    usage: state.usage,
    metadata: {},
  }
  return echo.user === undefined ? response : { ...response, user: echo.user }
}
