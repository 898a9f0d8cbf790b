// deploy/Dockerfile and .dockerignore, checked as text (no Docker daemon here): stages, base
// image, user, signals, production-only dependencies, the port and the config path agreeing
// with the config and the Deployment, and the build context. The HEALTHCHECK command is the
// one part that can run without Docker, so it runs, against a live Switchyard.
//
// Decisions:
// - A small Dockerfile reader (continuation lines, comments, exec/shell forms, stages) rather
//   than a parser package: the instructions used here are few and the rules are simple.
// - "Production dependencies only" is checked twice: the image side (every node_modules the
//   runtime stage copies was installed with --omit=dev, and it installs nothing itself) and
//   the code side (every package src/ and plugins/ import at run time is a `dependency`, so the
//   pruned node_modules can run them).
// - .dockerignore is read with Docker's rules (last matching pattern wins, a pattern matching
//   a directory covers everything under it, `!` re-includes) and checked both ways: what the
//   Dockerfile copies gets through, what must never be sent stays out.
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { createServer } from 'node:net'
import { join, posix, relative } from 'node:path'
import t from 'tap'
import { parse, parseAllDocuments } from 'yaml'
import type { IDeployment } from 'kubernetes-models/apps/v1'
import { DEMO_CONFIG } from '../../src/config/demo.js'
import { DEFAULTS } from '../../src/config/schema.js'
import { startApp } from '../helpers/start-app.js'

const ROOT = join(import.meta.dirname, '..', '..')
const BASE = join(ROOT, 'deploy', 'k8s', 'base')
const read = (...p: string[]) => readFileSync(join(ROOT, ...p), 'utf8')

interface Instruction { readonly keyword: string, readonly args: string, readonly line: number }
interface Stage { readonly image: string, readonly name: string | undefined, readonly body: Instruction[] }

function instructions (text: string): Instruction[] {
  const out: Instruction[] = []
  let buf = ''
  let start = 0
  text.split('\n').forEach((raw, i) => {
    const line = raw.trimEnd()
    if (line.trim() === '' || line.trim().startsWith('#')) return // comments may sit inside a continuation
    if (buf === '') start = i + 1
    buf += line.endsWith('\\') ? line.slice(0, -1) + ' ' : line
    if (line.endsWith('\\')) return
    const m = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(buf)
    if (m === null) throw new Error(`Dockerfile:${start}: cannot read ${JSON.stringify(buf)}`)
    out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!.trim().replace(/\s+/g, ' '), line: start })
    buf = ''
  })
  return out
}

function stages (all: Instruction[]): Stage[] {
  const out: Stage[] = []
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const [image = '', as, name] = ins.args.split(' ').filter(w => !w.startsWith('--'))
      out.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, body: [] })
    } else out.at(-1)?.body.push(ins)
  }
  return out
}

/** The JSON-array (exec) form, or undefined for the shell form. */
function execForm (args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined
  const v = JSON.parse(args) as unknown
  return Array.isArray(v) && v.every(x => typeof x === 'string') ? v : undefined
}

function envOf (stage: Stage): Record<string, string> {
  const env: Record<string, string> = {}
  for (const ins of stage.body.filter(i => i.keyword === 'ENV')) {
    for (const m of ins.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|\S+)/g)) env[m[1]!] = m[3] ?? m[2]!
  }
  return env
}

/** COPY [--from=X] [--chown=..] src... dest → flags and paths. */
function copyOf (ins: Instruction): { from: string | undefined, sources: string[], dest: string } {
  const words = execForm(ins.args) ?? ins.args.split(' ')
  const from = words.find(w => w.startsWith('--from='))?.slice('--from='.length)
  const paths = words.filter(w => !w.startsWith('--'))
  return { from, sources: paths.slice(0, -1), dest: paths.at(-1) ?? '' }
}

/** Docker's .dockerignore rules: ordered patterns, last match wins, parents count, `!` re-includes. */
function dockerignore (text: string): (path: string) => boolean {
  const rules = text.split('\n').map(l => l.trim()).filter(l => l !== '' && !l.startsWith('#')).map(l => {
    const keep = l.startsWith('!')
    const pattern = posix.normalize((keep ? l.slice(1) : l).trim()).replace(/^\/+|\/+$/g, '')
    const source = pattern.split(/(\*\*\/?|\*|\?)/).map(part =>
      part === '**/' ? '(?:.*/)?' : part === '**' ? '.*' : part === '*' ? '[^/]*' : part === '?' ? '[^/]' : part.replace(/[.+^${}()|[\]\\]/g, '\\$&')).join('')
    return { keep, re: new RegExp(`^${source}$`) }
  })
  return path => {
    const parts = path.split('/')
    const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'))
    let ignored = false
    for (const r of rules) if (prefixes.some(p => r.re.test(p))) ignored = !r.keep
    return ignored
  }
}

function filesUnder (dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? filesUnder(p) : [p]
  })
}

/** Packages a module loads at run time (type-only imports are erased by the compiler). */
function runtimePackages (source: string): string[] {
  const specs = [
    ...[...source.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^'"]*?\sfrom\s+['"]([^'"]+)['"]/gm)].map(m => m[1]!),
    ...[...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map(m => m[1]!),
    ...[...source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map(m => m[1]!),
    ...[...source.matchAll(/createRequire\([^)]*\)\(\s*['"]([^'"]+)['"]/g)].map(m => m[1]!),
  ]
  return specs.filter(s => !s.startsWith('.') && !s.startsWith('/') && !s.startsWith('node:') && !builtinModules.includes(s))
    .map(s => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/'))
}

const dockerfile = instructions(read('deploy', 'Dockerfile'))
const all = stages(dockerfile)
const final = all.at(-1)!
const finalOf = (keyword: string) => final.body.filter(i => i.keyword === keyword)
const stageNamed = (name: string | undefined) => all.find(s => s.name === name)
const pkg = JSON.parse(read('package.json')) as { bin: Record<string, string>, dependencies: Record<string, string>, devDependencies: Record<string, string> }
const configPort = (parse(read('deploy', 'config', 'switchyard.yaml')) as { server?: { port?: number } }).server?.port ?? DEFAULTS.server.port

t.test('multi-stage build on Node 24 LTS slim', async t => {
  t.ok(all.length >= 2, `${all.length} stages`)
  t.match(final.image, /^node:24(\.\d+){0,2}-slim(@sha256:[0-9a-f]{64})?$/, 'the runtime stage is node:24-slim')
  t.same(all.filter(s => s.image !== final.image).map(s => s.image), [], 'every stage uses the same base, so installed modules match the runtime')
  const build = all.find(s => s.body.some(i => i.keyword === 'RUN' && /\bnpm run build\b/.test(i.args)))
  t.ok(build?.body.some(i => i.keyword === 'RUN' && /\bnpm ci\b/.test(i.args)), 'the build stage installs from the lockfile (npm ci) and runs npm run build')
  t.ok(finalOf('COPY').some(i => { const c = copyOf(i); return c.from === build?.name && c.sources.some(s => s.replace(/^\/app\//, '') === 'dist') }), 'the runtime copies dist from the build stage')
})

t.test('production dependencies only', async t => {
  const installs = (s: Stage) => s.body.filter(i => i.keyword === 'RUN' && /\bnpm (ci|install|i)\b/.test(i.args))
  t.same(installs(final).filter(i => !/--omit=dev\b/.test(i.args)).map(i => i.args), [], 'the runtime stage installs no dev dependencies')
  const modules = finalOf('COPY').map(copyOf).filter(c => c.sources.some(s => /node_modules\/?$/.test(s)))
  t.ok(modules.length + installs(final).length > 0, 'the runtime gets its node_modules somewhere')
  for (const c of modules) {
    const from = stageNamed(c.from)
    t.ok(from !== undefined && installs(from).length > 0 && installs(from).every(i => /--omit=dev\b/.test(i.args)), `node_modules from stage ${c.from} was installed with --omit=dev`)
  }
  const files = ['src', 'plugins'].flatMap(d => filesUnder(join(ROOT, d))).filter(f => f.endsWith('.ts'))
  const used = new Set(files.flatMap(f => runtimePackages(readFileSync(f, 'utf8'))))
  t.ok(used.has('fastify'), 'imports are found')
  t.same([...used].filter(p => pkg.dependencies[p] === undefined).sort(), [], 'every package loaded at run time is in dependencies, not devDependencies')
  t.same(runtimePackages("import type { X } from 'dev-only'\nimport { type Y, z } from 'real'\nconst r = createRequire(import.meta.url)('@s/p/x.js')"), ['real', '@s/p'], 'the import reader skips type-only imports')
})

t.test('non-root, production env, exec-form entrypoint', async t => {
  const user = finalOf('USER').at(-1)?.args.split(':')[0]
  t.ok(user !== undefined && user !== 'root' && user !== '0', `USER ${user} is not root`)
  t.ok(user === 'node' || user === '1000', 'the image\'s node user (uid 1000), which the Deployment runs as')
  t.equal(envOf(final).NODE_ENV, 'production')
  t.same(finalOf('SHELL'), [], 'no SHELL override')
  const entry = execForm(finalOf('ENTRYPOINT').at(-1)?.args ?? '')
  t.ok(entry, 'ENTRYPOINT is a JSON array: Node is PID 1, no shell in between to swallow SIGTERM')
  t.equal(entry?.[0], 'node')
  t.ok(entry?.slice(1, -1).every(a => a.startsWith('--')), 'only Node options between node and the script')
  t.equal(entry?.at(-1), posix.normalize(pkg.bin.switchyard ?? ''), 'it runs the CLI package.json names as `switchyard`')
  const outDir = (JSON.parse(read('tsconfig.json')) as { compilerOptions: { outDir: string } }).compilerOptions.outDir
  t.equal(entry?.at(-1), posix.join(outDir, 'src', 'cli.js'), 'which is where tsc puts src/cli.ts')
  for (const cmd of finalOf('CMD')) t.ok(execForm(cmd.args), `CMD on line ${cmd.line} is in exec form`)
  t.match(read('src', 'cli.ts'), /process\.(once|on)\(\s*'SIGTERM'/, 'src/cli.ts handles SIGTERM (PID 1 gets no default action)')
})

// Objects that live long enough to be promoted, then die: a proxy's in-flight requests. Prints
// how many full (mark-compact) collections V8 ran.
const PROMOTING_WORKLOAD = `
const { PerformanceObserver, constants } = require('node:perf_hooks')
let majors = 0
new PerformanceObserver(l => { for (const e of l.getEntries()) if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors++ }).observe({ entryTypes: ['gc'] })
const ring = new Array(1 << 18)
let i = 0
const step = () => {
  for (let k = 0; k < 100000; k++) { ring[i & (ring.length - 1)] = { n: i, s: 'v' + i, a: [i, i] }; i++ }
  if (i < 5e6) setImmediate(step)
  else setTimeout(() => console.log(majors), 50)
}
step()`

t.test('the ENTRYPOINT\'s V8 flags: Node takes them, and they keep full collections rare under a pod\'s heap', async t => {
  const flags = execForm(finalOf('ENTRYPOINT').at(-1)?.args ?? '')?.slice(1, -1) ?? []
  t.ok(flags.some(f => f.startsWith('--heap-growing-percent=')), 'the growing factor is set (NODE_OPTIONS cannot carry it)')
  // Node sizes V8's heap from the container's memory limit: 512 MiB gives a 256 MiB old
  // generation, which --max-old-space-size=256 stands in for (no cgroup needed).
  const majors = async (extra: string[]) => {
    const child = spawn(process.execPath, ['--max-old-space-size=256', ...extra, '-e', PROMOTING_WORKLOAD], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => { out += d })
    child.stderr.on('data', (d: Buffer) => { err += d })
    const [code] = await once(child, 'exit') as [number | null]
    t.equal(code, 0, `${['node', '--max-old-space-size=256', ...extra].join(' ')} runs${err === '' ? '' : `: ${err.trim()}`}`)
    return Number(out.trim())
  }
  const plain = await majors([])
  const image = await majors(flags)
  t.ok(plain > 0 && image > 0, `full collections counted (${plain} without the flags, ${image} with them)`)
  // Measured: 13-18 without, 5-7 with, on Node 20.20 and 24.21.
  t.ok(image <= plain * 0.6, `the image's flags cut full collections: ${image} against ${plain}`)
})

t.test('EXPOSE and the config path agree with the config and the Deployment', async t => {
  t.same(finalOf('EXPOSE').map(i => i.args), [String(DEFAULTS.server.port)], 'EXPOSE is the default port')
  t.equal(configPort, DEFAULTS.server.port, 'deploy/config/switchyard.yaml listens on it too')
  const path = envOf(final).SWITCHYARD_CONFIG
  t.equal(path, '/etc/switchyard/switchyard.yaml', 'the documented path')
  const dep = parseAllDocuments(read('deploy', 'k8s', 'base', 'deployment.yaml')).map(d => d.toJS() as IDeployment).find(d => d.kind === 'Deployment')
  const pod = dep?.spec?.template.spec
  const c = pod?.containers.find(x => x.name === 'switchyard')
  t.equal(c?.env?.find(e => e.name === 'SWITCHYARD_CONFIG')?.value, path, 'the Deployment sets the same SWITCHYARD_CONFIG')
  const volume = pod?.volumes?.find(v => v.configMap !== undefined)
  const mount = c?.volumeMounts?.find(m => m.name === volume?.name)
  const kustomization = parse(readFileSync(join(BASE, 'kustomization.yaml'), 'utf8')) as { configMapGenerator?: { name: string, files?: string[] }[] }
  const generator = kustomization.configMapGenerator?.find(g => g.name === volume?.configMap?.name)
  const key = (generator?.files?.[0] ?? '').split('=')[0]!.split('/').at(-1)
  t.equal(posix.join(mount?.mountPath ?? '', key ?? ''), path, 'SWITCHYARD_CONFIG = the ConfigMap mount path + the file name it generates')
  t.ok(finalOf('COPY').map(copyOf).some(cp => cp.from === undefined && cp.sources.includes('deploy/config/switchyard.yaml') && cp.dest === path), 'the image carries the example config at that path')
})

t.test('HEALTHCHECK hits /health/live with node, and works', async t => {
  const hc = finalOf('HEALTHCHECK').at(-1)?.args ?? ''
  const cmd = execForm(hc.slice(hc.indexOf('CMD ') + 4))
  t.ok(cmd, 'HEALTHCHECK CMD is in exec form')
  if (cmd === undefined) return
  t.equal(cmd[0], 'node', 'no curl or wget in slim images: Node\'s fetch')
  t.match(cmd.join(' '), '/health/live')
  t.match(cmd.join(' '), `|| ${DEFAULTS.server.port})`, 'defaults to the default port')
  const run = async (port: string) => {
    const child = spawn(process.execPath, cmd.slice(1), { env: { PATH: process.env.PATH, PORT: port }, stdio: 'ignore', timeout: 10_000 })
    const [code] = await once(child, 'exit') as [number | null]
    return code
  }
  const app = await startApp(t, DEMO_CONFIG)
  t.equal(await run(new URL(app.url).port), 0, 'healthy against a live Switchyard')
  const closed = createServer()
  await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve))
  const port = String((closed.address() as { port: number }).port)
  await new Promise(resolve => closed.close(resolve))
  t.equal(await run(port), 1, 'unhealthy when nothing answers')
})

t.test('.dockerignore lets the build in and keeps the rest out', async t => {
  const ignored = dockerignore(read('.dockerignore'))
  const sources = all.flatMap(s => s.body.filter(i => i.keyword === 'COPY').map(copyOf).filter(c => c.from === undefined).flatMap(c => c.sources))
  for (const src of sources) {
    const abs = join(ROOT, src)
    const files = statSync(abs).isDirectory() ? filesUnder(abs) : [abs]
    t.same(files.map(f => relative(ROOT, f).split('\\').join('/')).filter(ignored), [], `COPY ${src} reaches the build`)
  }
  const roots = (JSON.parse(read('tsconfig.build.json')) as { include: string[] }).include.map(p => p.split('/')[0]!)
  const build = all.find(s => s.body.some(i => /\bnpm run build\b/.test(i.args)))
  const copied = build?.body.filter(i => i.keyword === 'COPY').flatMap(i => copyOf(i).sources) ?? []
  t.same(roots.filter(r => !copied.includes(r)), [], 'every directory tsconfig.build.json compiles is copied into the build stage')
  for (const path of ['node_modules/fastify/package.json', 'src/node_modules/x.js', 'dist/src/cli.js', '.git/HEAD', 'coverage/lcov.info',
    '.tap/processinfo/x.json', 'test/e2e/cli.test.ts', 'bench/run.js', 'bench/results/latest.json', 'switchyard.yaml', 'npm-debug.log',
    '.env', 'deploy/k8s/base/secret.example.yaml']) {
    t.ok(ignored(path), `${path} stays out`)
  }
  t.notOk(dockerignore('*\n!src/\n**/node_modules')('src/app.ts'), 'the reader: a re-included directory is let through')
  t.ok(dockerignore('*\n!src/\n**/node_modules')('src/node_modules/x'), 'the reader: a later pattern wins')
})
