// Runs the real Codex CLI (`@openai/codex`, PROTOCOLS.md §9) headless and offline against a
// local Responses endpoint: `codex exec` with a throwaway CODEX_HOME whose config.toml names a
// custom provider (wire_api "responses"), no retries, and analytics, update checks and
// plugins off, so the only traffic is to base_url. The native binary is run directly (the
// npm wrapper only execs it), in its own process group so a hung run and the commands it
// started can be killed together.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

type Tap = { teardown (fn: () => unknown): void }

// @openai/codex picks its binary from an optional per-platform package (bin/codex.js).
const PLATFORM_PACKAGES: Record<string, readonly [pkg: string, triple: string]> = {
  'linux-x64': ['@openai/codex-linux-x64', 'x86_64-unknown-linux-musl'],
  'linux-arm64': ['@openai/codex-linux-arm64', 'aarch64-unknown-linux-musl'],
  'darwin-x64': ['@openai/codex-darwin-x64', 'x86_64-apple-darwin'],
  'darwin-arm64': ['@openai/codex-darwin-arm64', 'aarch64-apple-darwin'],
}

/** The native codex binary, or why it is not there (to skip with). */
export function findCodexBinary (): { path: string } | { missing: string } {
  const platform = `${process.platform}-${process.arch}`
  const entry = PLATFORM_PACKAGES[platform]
  if (entry === undefined) return { missing: `no Codex CLI binary package for ${platform}` }
  const [pkg, triple] = entry
  try {
    const require = createRequire(import.meta.url)
    const root = dirname(require.resolve(`${pkg}/package.json`))
    const path = join(root, 'vendor', triple, 'bin', 'codex')
    return existsSync(path) ? { path } : { missing: `${path} does not exist` }
  } catch {
    return { missing: `optional package ${pkg} (Codex CLI binary) is not installed` }
  }
}

export interface CodexOptions {
  /** The provider's base_url, e.g. `<app.url>/v1` (Codex posts to `{base_url}/responses`). */
  readonly baseUrl: string
  readonly prompt: string
  /** `-m`; gpt-5.5 makes Codex offer apply_patch and send reasoning effort. */
  readonly model?: string
  /** Hard limit for the whole run; the process group is killed after it. */
  readonly timeoutMs?: number
}

export interface CodexRun {
  /** Exit code, null when killed. */
  readonly code: number | null
  readonly timedOut: boolean
  readonly stdout: string
  readonly stderr: string
  /** The directory Codex worked in (`-C`); removed in teardown. */
  readonly workdir: string
}

const CLIENT_KEY = 'sk-codex-client'

function configToml (baseUrl: string): string {
  return [
    'model = "switchyard-test-model"',
    'model_provider = "switchyard"',
    'check_for_update_on_startup = false',
    '',
    '[model_providers.switchyard]',
    'name = "switchyard"',
    `base_url = ${JSON.stringify(baseUrl)}`,
    'wire_api = "responses"',
    'env_key = "SWITCHYARD_CODEX_KEY"',
    // A failure must show, not be retried away; a stalled stream must end the run.
    'request_max_retries = 0',
    'stream_max_retries = 0',
    'stream_idle_timeout_ms = 8000',
    '',
    '[analytics]',
    'enabled = false',
    '',
    '[feedback]',
    'enabled = false',
    '',
    '[otel]',
    'exporter = "none"',
    'trace_exporter = "none"',
    'metrics_exporter = "none"',
    '',
    '[features]',
    'plugins = false',
    'apps = false',
    'remote_plugin = false',
    'tool_suggest = false',
    '',
  ].join('\n')
}

/** Codex's environment: ours minus anything that would point it at a real OpenAI account. */
function codexEnv (home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(process.env)) {
    if (!/^(OPENAI_|CODEX_)/.test(k)) env[k] = v
  }
  return { ...env, CODEX_HOME: home, SWITCHYARD_CODEX_KEY: CLIENT_KEY }
}

/** Run `codex exec` once with stdin closed, full access (the workdir is a fresh temp dir). */
export async function runCodex (t: Tap, binary: string, opts: CodexOptions): Promise<CodexRun> {
  const root = await mkdtemp(join(tmpdir(), 'swy-codex-'))
  t.teardown(() => rm(root, { recursive: true, force: true }))
  const home = join(root, 'home')
  const workdir = join(root, 'work')
  await mkdir(home)
  await mkdir(workdir)
  await writeFile(join(home, 'config.toml'), configToml(opts.baseUrl))

  // Bypass, not --sandbox workspace-write: bubblewrap may be missing or unusable in containers.
  const args = ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-C', workdir,
    ...(opts.model === undefined ? [] : ['-m', opts.model]), opts.prompt]
  const child = spawn(binary, args, { env: codexEnv(home), cwd: workdir, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let closed = false
  // The group, not just codex: commands it started may outlive it and hold our pipes open.
  const killGroup = (): void => {
    if (child.pid === undefined || closed) return
    try { process.kill(-child.pid, 'SIGKILL') } catch { /* already gone */ }
  }
  t.teardown(killGroup)

  let stdout = ''
  let stderr = ''
  // Decoded as streams so a UTF-8 character split across chunks stays whole.
  child.stdout.setEncoding('utf8').on('data', (c: string) => { stdout += c })
  child.stderr.setEncoding('utf8').on('data', (c: string) => { stderr += c })
  let timedOut = false
  const timer = setTimeout(() => { timedOut = true; killGroup() }, opts.timeoutMs ?? 20_000)
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject)
    child.once('close', c => { closed = true; resolve(c) })
    // Exited but a straggler keeps stdout open: give it a moment, then end the group.
    child.once('exit', () => { setTimeout(killGroup, 2_000).unref() })
  }).finally(() => clearTimeout(timer))
  return { code, timedOut, stdout, stderr, workdir }
}
