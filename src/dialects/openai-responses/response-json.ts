// The response object of a stream's lifecycle events, serialised with the request's half done
// once per response (issue 8). `response.created`, `response.in_progress` and the terminal event
// all echo the request — Codex's tool list alone is tens of KB — and serialising it three times
// was most of a Responses stream's fixed cost (the encoder alone, 20 tools: 108 µs a reply
// before, 55 with this; without tools 22 and 20). The text is exactly
// `JSON.stringify(responseObject(head, echo, state))`: the same fields in the same order
// (response-object.ts; test/unit/dialects/openai-responses/response-json.test.ts holds them
// equal).
import type { RequestEcho, ResponseHead, ResponseState } from './response-object.js'

const json = JSON.stringify

export class ResponseJson {
  /** From `instructions` to `max_output_tokens`. */
  readonly #afterIncomplete: string
  /** From `parallel_tool_calls` to `truncation`. */
  readonly #afterOutput: string
  /** `metadata`, `user` when set, and the closing brace. */
  readonly #afterUsage: string

  constructor (echo: RequestEcho) {
    this.#afterIncomplete = ',"instructions":' + json(echo.instructions) + ',"max_output_tokens":' + json(echo.maxOutputTokens)
    this.#afterOutput = ',"parallel_tool_calls":' + json(echo.parallelToolCalls) +
      ',"previous_response_id":' + json(echo.previousResponseId) +
      ',"reasoning":' + json(echo.reasoning) +
      ',"store":' + json(echo.store) +
      ',"temperature":' + json(echo.temperature) +
      ',"text":' + json(echo.text) +
      ',"tool_choice":' + json(echo.toolChoice) +
      ',"tools":' + json(echo.tools) +
      ',"top_p":' + json(echo.topP) +
      ',"truncation":"disabled"'
    this.#afterUsage = ',"metadata":{}' + (echo.user === undefined ? '' : ',"user":' + json(echo.user)) + '}'
  }

  serialise (head: ResponseHead, state: ResponseState): string {
    return '{"id":' + json(head.id) + ',"object":"response","created_at":' + json(head.createdAt) +
      ',"status":' + json(state.status) + ',"background":false' +
      ',"error":' + json(state.error ?? null) + ',"incomplete_details":' + json(state.incomplete ?? null) +
      this.#afterIncomplete + ',"model":' + json(head.model) + ',"output":' + json(state.output) +
      this.#afterOutput + ',"usage":' + json(state.usage) + this.#afterUsage
  }
}
