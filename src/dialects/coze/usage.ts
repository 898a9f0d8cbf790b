// Coze usage → canonical (PROTOCOLS.md §6.8). Chat (`conversation.chat.completed` data.usage) and
// workflow (`Message` data.usage) share one shape: `{token_count, output_count, input_count}`
// (SDK `CreateChatData.usage`; docs: workflow_stream_run "usage"). Coze reports no cache or
// reasoning split, so only input and output are kept.
import type { Usage } from '../../canonical/usage.js'
import { isObject } from '../shared/json.js'

function count (value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined
}

/** `undefined` when absent or without token counts. */
export function cozeUsage (value: unknown): Usage | undefined {
  if (!isObject(value)) return undefined
  const input = count(value.input_count)
  const output = count(value.output_count)
  if (input === undefined && output === undefined) return undefined
  return { input: input ?? 0, output: output ?? 0 }
}
