// The conversation every client/backend pair of the matrix must carry (issue 3's test list):
// plain text, a tool round trip with two parallel calls, and reasoning — each streaming and not.
// Backends answer from these facts in their own wire format; clients assert on what their
// official SDK's accumulator returns.

export type ScenarioId = 'text' | 'tools' | 'reasoning'
export const SCENARIOS: readonly ScenarioId[] = ['text', 'tools', 'reasoning']

/** Multi-byte characters on purpose: they must survive every translation byte for byte. */
export const TEXT = 'Hello from upstream — 你好🌍!'
export const TEXT_PIECES = ['Hello from', ' upstream — ', '你好', '🌍!']

export const QUESTION = 'What is the weather and the time in Paris?'
export const SYSTEM = 'You are terse.'

export interface ToolFact { readonly name: string, readonly args: Readonly<Record<string, unknown>>, readonly result: string }
export const TOOL_CALLS: readonly ToolFact[] = [
  { name: 'get_weather', args: { city: 'Paris', unit: 'c' }, result: '18C and sunny' },
  { name: 'get_time', args: { tz: 'Europe/Paris' }, result: '14:05' },
]
export const TOOL_DEFS = [
  { name: 'get_weather', description: 'Weather for a city', schema: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } }, required: ['city'] } },
  { name: 'get_time', description: 'Time in a zone', schema: { type: 'object', properties: { tz: { type: 'string' } }, required: ['tz'] } },
] as const
export const AFTER_TOOLS = 'It is 18C and sunny, and 14:05.'

export const REASONING = 'The user wants the answer; 6 times 7 is 42.'
export const ANSWER = '42'
export const ASK = 'What is 6 times 7?'
export const THANKS = 'Thanks. And 7 times 8?'

/** Usage every backend fixture reports: the client must see the same numbers. */
export const USAGE = { input: 12, output: 6 }

/** What a client got back, normalised across dialects. */
export interface Outcome {
  readonly text: string
  /** `signature`: a proof riding on the call itself (Gemini `thoughtSignature`), replayed with it. */
  readonly toolCalls: ReadonlyArray<{ readonly id: string, readonly name: string, readonly args: unknown, readonly signature?: string }>
  readonly reasoning?: string
  /** The opaque signature the client must replay with its reasoning, where the dialect has one. */
  readonly reasoningSignature?: string
  readonly finish: 'stop' | 'tool-calls' | 'length' | 'other'
  readonly usage: { readonly input: number, readonly output: number }
}

/** Turn 2 of the tool scenario: the calls the client got, answered. */
export interface ToolTurn {
  readonly calls: Outcome['toolCalls']
}
