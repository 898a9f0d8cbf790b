// Responses request fields accepted and deliberately not carried (STYLE.md §2.4).
import type { IgnoredFields } from '../shared/fields.js'

/** Fields accepted and deliberately not carried, each with the reason it is safe. */
export const IGNORED_FIELDS: IgnoredFields = {
  user: 'end-user id for abuse monitoring; does not change the reply',
  safety_identifier: 'end-user id for abuse monitoring; does not change the reply',
  metadata: 'tags for stored responses; Switchyard stores nothing',
  store: 'Switchyard keeps no responses (the reply says store:false); the reply itself is unchanged',
  service_tier: 'billing/latency tier of the upstream account, not of the reply',
  prompt_cache_key: 'prompt-cache routing hint; does not change the reply',
  prompt_cache_retention: 'prompt-cache lifetime hint; does not change the reply',
  parallel_tool_calls: 'only meaningful with tools, which are rejected until mapped',
  client_metadata: 'Codex client tags; not a model input',
  'stream_options.include_obfuscation': 'asks for side-channel padding; Switchyard sends none',
  'input[].id': 'id of a replayed output item; its content is carried',
  'input[].status': 'status of a replayed output item; its content is carried',
  'input[].content[].annotations': 'citations attached to a replayed answer; its text is carried',
  'input[].content[].logprobs': 'logprobs attached to a replayed answer; its text is carried',
}
