// CanonicalRequest → one Gemini generateContent / streamGenerateContent / countTokens call, for
// a Gemini backend (PROTOCOLS.md §4.1, §6.1, §6.10). Contents are encoded in
// encode-contents.ts, tools in encode-tools.ts, generationConfig in encode-config.ts. The caller
// adds credentials (`x-goog-api-key`). Choices made here:
// - streaming uses `:streamGenerateContent?alt=sse` (data-only SSE, §4.3), else
//   `:generateContent`; usage arrives in every chunk, so nothing needs asking for;
// - `{model}` is the backend model with a leading `models/` removed, sent as one path segment:
//   a name holding `/` or `..` (which could reach another endpoint) is rejected naming `model`;
// - system text → `systemInstruction` as ONE text part, parts joined with "\n\n" (§6.1, as the
//   Chat and Responses encoders join them); empty system text sends no instruction;
// - Gemini 3 models: a model turn whose calls carry no signature (they came from another
//   backend) gets Google's documented stand-in on its first call, which Gemini 3 requires;
// - not sent, as Gemini has no form for them: `user`, `verbosity`, `includeUsage` (usage always
//   comes), `encryptedReasoning` (Gemini signatures always come back, on thought parts and in
//   minted call ids), `parallelToolCalls`, `reasoning.summary`, and every `cacheControl`.
import type { CanonicalRequest } from '../../canonical/request.js'
import { convertError } from '../../errors/codes.js'
import type { Mutable } from '../shared/request.js'
import type { BackendOptions, UpstreamCall } from '../types.js'
import { GEMINI_3, generationConfig } from './encode-config.js'
import { encodeContents } from './encode-contents.js'
import { encodeToolConfig, encodeTools } from './encode-tools.js'
import type { CountTokensBody, GenerateContentBody, SystemInstruction } from './wire-request.js'

const MODELS_PREFIX = 'models/'

/** The bare model name (`gemini-2.5-pro`), safe to use as one path segment. */
function bareModel (model: string): string {
  const bare = model.startsWith(MODELS_PREFIX) ? model.slice(MODELS_PREFIX.length) : model
  if (bare === '') throw convertError('model', 'the backend model name is empty')
  if (bare.includes('/') || bare.includes('..')) throw convertError('model', `'${model}' is not a single Gemini model name`)
  return bare
}

function modelPath (bare: string, verb: string): string {
  return '/models/' + encodeURIComponent(bare) + ':' + verb
}

function systemInstruction (req: CanonicalRequest): SystemInstruction | undefined {
  const text = req.system.filter(p => p.text !== '').map(p => p.text).join('\n\n')
  return text === '' ? undefined : { parts: [{ text }] }
}

export function generateContentBody (req: CanonicalRequest, options: BackendOptions): GenerateContentBody {
  const body: Mutable<GenerateContentBody> = { contents: encodeContents(req.messages, GEMINI_3.test(options.model)) }
  const system = systemInstruction(req)
  if (system !== undefined) body.systemInstruction = system
  const tools = encodeTools(req.tools)
  if (tools !== undefined) body.tools = tools
  const toolConfig = encodeToolConfig(req)
  if (toolConfig !== undefined) body.toolConfig = toolConfig
  const config = generationConfig(req, options)
  if (config !== undefined) body.generationConfig = config
  return body
}

export function encodeRequest (request: CanonicalRequest, options: BackendOptions): UpstreamCall {
  const model = bareModel(options.model)
  const body = generateContentBody(request, options)
  return request.stream
    ? { method: 'POST', path: modelPath(model, 'streamGenerateContent'), query: 'alt=sse', body }
    : { method: 'POST', path: modelPath(model, 'generateContent'), query: '', body }
}

/** countTokens accepts `contents` or a whole `generateContentRequest` at top level (§4.1). */
export function countTokens (request: CanonicalRequest, options: BackendOptions): UpstreamCall {
  const model = bareModel(options.model)
  const body: CountTokensBody = { generateContentRequest: { model: MODELS_PREFIX + model, ...generateContentBody(request, options) } }
  return { method: 'POST', path: modelPath(model, 'countTokens'), query: '', body }
}
