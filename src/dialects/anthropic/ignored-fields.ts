// Anthropic request fields accepted and deliberately not carried (STYLE.md §2.4). Headers
// (`anthropic-version`, `anthropic-beta`) never reach decodeRequest: they are the HTTP layer's,
// and an Anthropic backend gets the client's bytes untouched via passthrough anyway (§8).
// Deliberately NOT listed, so rejected by path as unsupported: `mcp_servers` (the API would call
// remote MCP servers: the model gets tools no other backend has), server tools in `tools[]`,
// `document.context`, `search_result` blocks, file sources, and any key not known.
import type { IgnoredFields } from '../shared/fields.js'

/** Fields accepted and deliberately not carried, each with the reason it is safe. */
export const IGNORED_FIELDS: IgnoredFields = {
  service_tier: 'capacity tier of the upstream account, not of the reply',
  cache_control: 'automatic prompt-caching switch; does not change the reply',
  inference_geo: 'where Anthropic runs inference (data residency); does not change the reply',
  speed: 'Anthropic fast-mode switch; changes latency, not the reply',
  container: 'code-execution container id; only meaningful with server tools, which are rejected',
  context_management: 'server-side context editing (Claude Code sends it, §8); the backend sees the full history the client sent',
  // Canonical cache hints exist for text, images, documents, tool results, system and tools;
  // on tool_use and thinking blocks the hint has no canonical slot (mapped everywhere else).
  'messages[].content[].cache_control': 'prompt-cache breakpoint on a tool_use/thinking block; does not change the reply',
  '*.cache_control.scope': 'prompt-caching-scope beta: who may share the cache entry; does not change the reply (§7.25)',
  'messages[].content[].citations': 'citation metadata (cited spans on text, the citations switch on documents); the text itself is carried',
  'messages[].content[].content[].citations': 'citation metadata on tool-result text; the text itself is carried',
  'tools[].input_examples': 'usage examples for the model; the input schema still binds the call',
  'tools[].eager_input_streaming': 'fine-grained tool-input streaming; changes fragment sizes, not the input',
  'tools[].defer_loading': 'tool-search deferral; without it the tool is simply always loaded',
}
