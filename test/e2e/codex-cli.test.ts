// PROTOCOLS.md §10 cases 20-22 with the real Codex CLI (0.169.0, §9): `codex exec` talks
// Responses to Switchyard, Switchyard talks Anthropic Messages or Chat Completions to a loopback
// mock upstream that scripts the model's turns. Codex executes what the `output_item.done`
// items say (a shell command, a freeform patch), so a file in its workdir proves the call
// arrived whole; the upstream's second request proves the history came back paired (and,
// for thinking, with the signed block restored from the swy1 envelope).
// Skipped only when the platform binary is not installed, never because a run failed.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { findCodexBinary, runCodex, type CodexRun } from '../helpers/codex-cli.js'
import type { RecordedRequest } from '../helpers/mock-upstream.js'
import {
  anthSse, anthText, anthThinking, anthTool, chatChunk, chatSse, chatToolArgs, chatToolStart, rig, upstreamBody,
  type Rig,
} from './conformance/fixtures.js'

type Json = Record<string, unknown>
type Message = { role: string, content: unknown, tool_calls?: Json[], tool_call_id?: string }

const codex = findCodexBinary()
const skip = 'missing' in codex ? `Codex CLI binary not available: ${codex.missing}` : false
const binary = 'path' in codex ? codex.path : ''

// A run takes 1-3 s; the bound keeps four failing runs inside tap's 60 s per-file timeout
// (a refused connection makes Codex wait for the network until killed).
const RUN_TIMEOUT_MS = 12_000

const SHELL_CMD = 'echo codex-was-here > out.txt'
const SHELL_ARGS = JSON.stringify({ cmd: SHELL_CMD })
const ANSWER = 'All done: out.txt written through Switchyard.'
// Codex's apply_patch Lark grammar: Begin line, `*** Add File: ` hunk of `+` lines, End line.
const PATCH = '*** Begin Patch\n*** Add File: patched.txt\n+hello from patch\n*** End Patch\n'
const SIGNATURE = 'EqQBCkgIARABGAIiQL2pY1sig=='
const THINKING = ['The user wants a file;', ' I will run echo.']

const messagesOf = (body: Json): Message[] => body.messages as Message[]
const bodyOf = (r: RecordedRequest): Json => JSON.parse(r.body.toString('utf8')) as Json

/** Anthropic turn 2 is the one whose history carries a tool_result. */
function anthHasToolResult (r: RecordedRequest): boolean {
  return messagesOf(bodyOf(r)).some(m => Array.isArray(m.content) && (m.content as Json[]).some(b => b.type === 'tool_result'))
}

/** Split a JSON string in two fragments, as models stream arguments. */
function fragments (s: string): string[] {
  const half = Math.floor(s.length / 2)
  return [s.slice(0, half), s.slice(half)]
}

/** What every successful Codex turn must show. */
function finishedCleanly (t: Test, run: CodexRun, { app, upstream }: Rig, answer: string): void {
  const diag = { stderr: run.stderr.slice(-3000), stdout: run.stdout.slice(-1000) }
  t.equal(run.timedOut, false, 'codex finished before the hard timeout', diag)
  t.equal(run.code, 0, 'codex exec exits 0', diag)
  t.match(run.stdout, answer, 'the final answer is printed on stdout', diag)
  t.notMatch(run.stderr, 'stream closed before response.completed', 'every stream ended with response.completed')
  t.notMatch(run.stderr, /^ERROR:/m, 'codex reported no error', diag)
  t.equal(upstream.requests.length, 2, 'two model turns reached the upstream: the call, then the answer')
  const served = app.logs.filter(l => l.msg === 'request').map(l => ({ path: l.path, status: l.status }))
  t.same(served, [{ path: '/v1/responses', status: 200 }, { path: '/v1/responses', status: 200 }], 'Switchyard served both turns on /v1/responses')
  t.same(app.logs.filter(l => typeof l.level === 'number' && l.level >= 50), [], 'Switchyard logged no error')
}

async function fileText (run: CodexRun, name: string): Promise<string | undefined> {
  return readFile(join(run.workdir, name), 'utf8').catch(() => undefined)
}

/** The assistant message holding the given tool_use, and the message after it. */
function anthToolTurn (messages: readonly Message[], id: string): { call: Json[], result: Json[] } {
  const i = messages.findIndex(m => m.role === 'assistant' && Array.isArray(m.content) && (m.content as Json[]).some(b => b.type === 'tool_use' && b.id === id))
  if (i < 0) throw new Error(`no assistant tool_use ${id} in ${JSON.stringify(messages).slice(0, 2000)}`)
  return { call: messages[i]!.content as Json[], result: (messages[i + 1]?.content ?? []) as Json[] }
}

async function codexAgainst (t: Test, r: Rig, prompt: string, model?: string): Promise<CodexRun> {
  return runCodex(t, binary, { baseUrl: r.app.url + '/v1', prompt, timeoutMs: RUN_TIMEOUT_MS, ...(model === undefined ? {} : { model }) })
}

t.test('codex-smoke — Codex CLI, ANTH backend', { skip }, async t => {
  const r = await rig(t, 'anthropic', req => anthHasToolResult(req)
    ? anthSse(anthText(0, ['All done: out.txt ', 'written through Switchyard.']), 'end_turn')
    : anthSse(anthTool(0, 'toolu_01CodexShell', 'exec_command', fragments(SHELL_ARGS)), 'tool_use'))
  const run = await codexAgainst(t, r, 'write out.txt')
  finishedCleanly(t, run, r, ANSWER)
  t.equal(await fileText(run, 'out.txt'), 'codex-was-here\n', 'Codex ran the exec_command call it received')

  const offered = (upstreamBody(r.upstream, 0).tools as Json[]).find(x => x.name === 'exec_command')
  t.match(offered, { input_schema: { type: 'object', properties: { cmd: { type: 'string' } } } }, 'exec_command offered with its cmd parameter')
  const { call, result } = anthToolTurn(messagesOf(upstreamBody(r.upstream, 1)), 'toolu_01CodexShell')
  t.match(call, [{ type: 'tool_use', id: 'toolu_01CodexShell', name: 'exec_command', input: { cmd: SHELL_CMD } }], 'turn 2 replays the call')
  t.match(result, [{ type: 'tool_result', tool_use_id: 'toolu_01CodexShell' }], 'its result follows, paired by id')
  t.match(JSON.stringify(result), 'exited with code 0', 'the result is the command output Codex recorded')
})

t.test('codex-smoke — Codex CLI, CHAT backend', { skip }, async t => {
  const r = await rig(t, 'openai-chat', req => messagesOf(bodyOf(req)).some(m => m.role === 'tool')
    ? chatSse([chatChunk({ content: 'All done: out.txt ' }), chatChunk({ content: 'written through Switchyard.' }), chatChunk({}, 'stop')])
    : chatSse([chatToolStart(0, 'call_codexShell1', 'exec_command'), ...fragments(SHELL_ARGS).map(f => chatToolArgs(0, f)), chatChunk({}, 'tool_calls')]))
  const run = await codexAgainst(t, r, 'write out.txt')
  finishedCleanly(t, run, r, ANSWER)
  t.equal(await fileText(run, 'out.txt'), 'codex-was-here\n', 'Codex ran the exec_command call it received')

  const offered = (upstreamBody(r.upstream, 0).tools as Json[]).map(x => x.function as Json).find(f => f.name === 'exec_command')
  t.match(offered, { parameters: { type: 'object', properties: { cmd: { type: 'string' } } } }, 'exec_command offered with its cmd parameter')
  const messages = messagesOf(upstreamBody(r.upstream, 1))
  const i = messages.findIndex(m => m.role === 'assistant' && m.tool_calls !== undefined)
  t.ok(i >= 0, 'turn 2 has the assistant tool call')
  const calls = messages[i]?.tool_calls ?? []
  t.match(calls, [{ id: 'call_codexShell1', type: 'function', function: { name: 'exec_command' } }], 'turn 2 replays the call')
  t.same(JSON.parse(((calls[0]?.function as Json | undefined)?.arguments as string | undefined) ?? 'null'), { cmd: SHELL_CMD }, 'with its arguments')
  t.match(messages[i + 1], { role: 'tool', tool_call_id: 'call_codexShell1', content: /exited with code 0/ }, 'its result follows as a tool message paired by id')
})

t.test('codex-apply-patch — Codex CLI, ANTH backend', { skip }, async t => {
  const r = await rig(t, 'anthropic', req => anthHasToolResult(req)
    ? anthSse(anthText(0, ['Patched ', 'patched.txt.']), 'end_turn')
    : anthSse(anthTool(0, 'toolu_01CodexPatch', 'apply_patch', fragments(JSON.stringify({ input: PATCH }))), 'tool_use'))
  const run = await codexAgainst(t, r, 'create patched.txt', 'gpt-5.5')
  finishedCleanly(t, run, r, 'Patched patched.txt.')
  t.equal(await fileText(run, 'patched.txt'), 'hello from patch\n', 'Codex applied the raw patch it got as custom_tool_call input')

  const offered = (upstreamBody(r.upstream, 0).tools as Json[]).find(x => x.name === 'apply_patch')
  t.match(offered, { input_schema: { type: 'object', properties: { input: { type: 'string' } } } }, 'custom apply_patch offered as a one-string function')
  const { call, result } = anthToolTurn(messagesOf(upstreamBody(r.upstream, 1)), 'toolu_01CodexPatch')
  t.match(call, [{ type: 'tool_use', id: 'toolu_01CodexPatch', name: 'apply_patch', input: { input: PATCH } }], 'turn 2 re-wraps the custom call for Anthropic')
  t.match(result, [{ type: 'tool_result', tool_use_id: 'toolu_01CodexPatch' }], 'its result follows, paired by id')
  t.match(JSON.stringify(result), 'patched.txt', 'the result is the apply_patch report Codex recorded')
})

t.test('codex-reasoning-replay — Codex CLI, ANTH backend with thinking', { skip }, async t => {
  const r = await rig(t, 'anthropic', req => anthHasToolResult(req)
    ? anthSse(anthText(0, ['All done: out.txt ', 'written through Switchyard.']), 'end_turn')
    : anthSse([...anthThinking(0, THINKING, SIGNATURE), ...anthTool(1, 'toolu_01CodexThink', 'exec_command', fragments(SHELL_ARGS))], 'tool_use'))
  // gpt-5.5: Codex sends reasoning {effort} and include ["reasoning.encrypted_content"].
  const run = await codexAgainst(t, r, 'write out.txt', 'gpt-5.5')
  finishedCleanly(t, run, r, ANSWER)
  t.equal(await fileText(run, 'out.txt'), 'codex-was-here\n', 'Codex ran the call that followed the thinking')

  const { call } = anthToolTurn(messagesOf(upstreamBody(r.upstream, 1)), 'toolu_01CodexThink')
  t.same(call[0], { type: 'thinking', thinking: THINKING.join(''), signature: SIGNATURE }, 'the signed thinking block comes back byte-exact (no Invalid signature)')
  t.match(call[1], { type: 'tool_use', id: 'toolu_01CodexThink', name: 'exec_command', input: { cmd: SHELL_CMD } }, 'before the tool_use it preceded')
  t.equal(call.length, 2, 'nothing else in the assistant turn')
})
