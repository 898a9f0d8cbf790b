// Request settings beyond sampling → canonical (PROTOCOLS.md §3.1, §6.9, §6.10): `thinking`,
// `output_config` (effort, structured-output format; `output_format` is the structured-outputs
// beta's older spelling of `output_config.format`) and `metadata.user_id`.
import type { ReasoningConfig, ReasoningEffort, ResponseFormat } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import { checkKeys, type KeyRules } from '../shared/fields.js'
import { expectObject, expectOneOf, fieldPath, isAbsent, optionalPositiveInteger, optionalString } from '../shared/json.js'
import { IGNORED_FIELDS } from './ignored-fields.js'

const rules = (known: readonly string[], pattern: string): KeyRules => ({ known: new Set(known), ignored: IGNORED_FIELDS, pattern })
const THINKING_KEYS = rules(['type', 'budget_tokens', 'display'], 'thinking')
const OUTPUT_KEYS = rules(['effort', 'format'], 'output_config')
const FORMAT_KEYS = rules(['type', 'schema'], 'output_config.format')
const METADATA_KEYS = rules(['user_id'], 'metadata')
const DISPLAYS = ['summarized', 'omitted'] as const
const FORMATS = ['json_schema'] as const
const EFFORTS = ['low', 'medium', 'high', 'xhigh', 'max'] as const

/**
 * `thinking` + `output_config.effort` → one ReasoningConfig. Effort without `thinking` becomes
 * `adaptive` (the model decides how much to think, guided by effort): the closest canonical
 * reading of Anthropic's effort knob, which steers thinking and output length together.
 */
export function decodeReasoning (thinking: unknown, effort: ReasoningEffort | undefined): ReasoningConfig | undefined {
  if (isAbsent(thinking)) return effort === undefined ? undefined : { mode: 'adaptive', effort }
  const t = expectObject(thinking, 'thinking')
  checkKeys(t, 'thinking', THINKING_KEYS)
  const type = optionalString(t.type, 'thinking.type')
  let out: ReasoningConfig
  if (type === 'enabled') {
    const budgetTokens = optionalPositiveInteger(t.budget_tokens, 'thinking.budget_tokens')
    // Out-of-range budgets are the backend's to judge (an Anthropic encoder raises them to 1024).
    if (budgetTokens === undefined) throw convertError('thinking.budget_tokens', 'required')
    out = { mode: 'on', budgetTokens }
  } else if (type === 'adaptive') {
    out = { mode: 'adaptive' }
  } else if (type === 'disabled') {
    out = { mode: 'off' }
  } else {
    throw convertError('thinking.type', type === undefined ? 'required' : `'${type}' is not supported yet`, type !== undefined)
  }
  if (effort !== undefined) out = { ...out, effort }
  const display = isAbsent(t.display) ? undefined : expectOneOf(t.display, 'thinking.display', DISPLAYS)
  return display === undefined ? out : { ...out, visible: display === 'summarized' }
}

export interface OutputSettings {
  readonly effort?: ReasoningEffort
  readonly responseFormat?: ResponseFormat
}

export function decodeOutputConfig (value: unknown, legacyFormat: unknown): OutputSettings {
  let out: OutputSettings = {}
  if (!isAbsent(value)) {
    const config = expectObject(value, 'output_config')
    checkKeys(config, 'output_config', OUTPUT_KEYS)
    if (!isAbsent(config.effort)) out = { effort: expectOneOf(config.effort, 'output_config.effort', EFFORTS) }
    if (!isAbsent(config.format)) out = { ...out, responseFormat: decodeFormat(config.format, 'output_config.format') }
  }
  if (!isAbsent(legacyFormat)) out = { ...out, responseFormat: decodeFormat(legacyFormat, 'output_format') }
  return out
}

function decodeFormat (value: unknown, path: string): ResponseFormat {
  const format = expectObject(value, path)
  checkKeys(format, path, FORMAT_KEYS)
  expectOneOf(format.type, fieldPath(path, 'type'), FORMATS)
  return { type: 'json_schema', schema: expectObject(format.schema, fieldPath(path, 'schema')) }
}

export function decodeUser (value: unknown): string | undefined {
  if (isAbsent(value)) return undefined
  const metadata = expectObject(value, 'metadata')
  checkKeys(metadata, 'metadata', METADATA_KEYS)
  return optionalString(metadata.user_id, 'metadata.user_id')
}
