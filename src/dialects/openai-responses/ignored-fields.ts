// Responses request fields accepted and deliberately not carried (STYLE.md §2.4). Fields that
// change what the client gets back (logprobs, `truncation:"auto"`, hosted tools…) are not listed
// here: the decoders accept them per request and name them in the canonical `dropped` list.
import type { IgnoredFields } from '../shared/fields.js'

/** Fields accepted and deliberately not carried, each with the reason it is safe. */
export const IGNORED_FIELDS: IgnoredFields = {
  metadata: 'tags for listing stored responses, which Switchyard does not offer; the reply is unchanged',
  service_tier: 'billing/latency tier of the upstream account, not of the reply',
  prompt_cache_key: 'prompt-cache routing hint; does not change the reply',
  prompt_cache_retention: 'prompt-cache lifetime hint; does not change the reply',
  prompt_cache_options: 'prompt-cache breakpoint/lifetime settings; do not change the reply',
  client_metadata: 'Codex client tags; not a model input',
  context_management: 'server-side compaction thresholds; the backend sees the full history the client sent',
  max_tool_calls: 'caps calls to hosted (OpenAI-run) tools, which are never carried (see `dropped`)',
  'stream_options.include_obfuscation': 'asks for side-channel padding; Switchyard sends none',
  'tools[].defer_loading': 'tool-search deferral; without tool search every tool is simply always loaded',
  'tools[].allowed_callers': 'programmatic tool calling switch (an OpenAI-hosted runtime); direct calls still work',
  'tools[].output_schema': 'schema of the tool output for programmatic tool calling; not a model input',
  'tools[].tools[].defer_loading': 'tool-search deferral; without tool search every tool is simply always loaded',
  'tools[].tools[].allowed_callers': 'programmatic tool calling switch (an OpenAI-hosted runtime); direct calls still work',
  'tools[].tools[].output_schema': 'schema of the tool output for programmatic tool calling; not a model input',
  'input[].id': 'id of a replayed item; its content is carried (only item_reference ids are looked up, §7.23)',
  'input[].status': 'status of a replayed output item; its content is carried',
  'input[].phase': 'commentary/final-answer label of a replayed assistant message; its text is carried',
  'input[].caller': 'who issued a replayed call (direct or a hosted program); the call itself is carried',
  'input[].environment': 'where a replayed shell call ran; the command and its output are carried',
  'input[].max_output_length': 'output cap the client applied to a shell call; the output itself is carried',
  'input[].content[].annotations': 'citations attached to a replayed answer; its text is carried',
  'input[].content[].logprobs': 'logprobs attached to a replayed answer; its text is carried',
  'input[].content[].prompt_cache_breakpoint': 'prompt-cache breakpoint; does not change the reply',
  'input[].content[].detail': 'file rendering detail; the file itself is carried',
  'input[].output[].prompt_cache_breakpoint': 'prompt-cache breakpoint; does not change the reply',
  'input[].output[].detail': 'file rendering detail; the file itself is carried',
}
