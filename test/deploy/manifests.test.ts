// deploy/k8s and deploy/config checked offline: every YAML document against the Kubernetes
// schemas (kubernetes-models), every kustomization against the files beside it, and the fleet's
// settings against Switchyard's own config (ports, probes, grace periods, timeouts, body size).
//
// Decisions:
// - The overlay is rendered by a small subset of kustomize (test/helpers/k8s-manifests.ts:
//   resources, generators, images, JSON 6902 patches, namespace, labels): the checks then run on what would be
//   applied, on any machine. Where kubectl is installed, its real `kubectl kustomize` output
//   must equal that rendering (generated-name hashes aside), which keeps the subset honest.
// - The config is loaded by src/config/load.ts with the environment the pod would get: plain
//   env values from the Deployment, secretKeyRef values from secret.example.yaml. So a
//   variable the config needs and the pod lacks fails here, not at the first rollout.
// - Checks return lists of problems rather than asserting one by one, so a failure shows every
//   disagreement at once, and the checks themselves are tested on broken copies below.
// - Numbers that must agree with the config (port, shutdownGraceMs, requestTimeoutMs,
//   bodyLimit) are read from the loaded config, whose defaults are DEFAULTS: never restated.
import { execFileSync } from 'node:child_process'
import { readFileSync, statSync } from 'node:fs'
import { basename, dirname, join, relative, resolve } from 'node:path'
import t from 'tap'
import { parseAllDocuments } from 'yaml'
import type { IDeployment } from 'kubernetes-models/apps/v1'
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1'
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1'
import type { IContainer, IService } from 'kubernetes-models/v1'
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'
import { generatorFile, KUSTOMIZE_FIELDS, podContainers, readDocs, readKustomization, render, ROOT, schemaProblem, yamlFiles, type Obj } from '../helpers/k8s-manifests.js'
import { loadConfig } from '../../src/config/load.js'
import { DEFAULTS, type Config } from '../../src/config/schema.js'

const K8S = join(ROOT, 'deploy', 'k8s')
const BASE = join(K8S, 'base')
const OVERLAY = join(K8S, 'overlays', 'production')
const CONFIG_FILE = join(ROOT, 'deploy', 'config', 'switchyard.yaml')
const GATEWAY = 'switchyard' // Deployment, container, Service, HPA, PDB, Ingress name


// ---- the fleet's settings against the config ------------------------------------------------

const find = <T>(objects: Obj[], kind: string, name: string) => objects.find(o => o.kind === kind && o.metadata?.name === name) as T | undefined
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  selector !== undefined && Object.keys(selector).length > 0 && Object.entries(selector).every(([k, v]) => labels?.[k] === v)

/** Kubernetes quantities (`500m`, `1`, `512Mi`, `1Gi`) as plain numbers, for comparing. */
function quantity (q: string | number | undefined): number {
  const m = /^(\d+(?:\.\d+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(String(q))
  if (m === null) return NaN
  const unit = { m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40 }[m[2] ?? ''] ?? 1
  return Number(m[1]) * unit
}

/** nginx sizes (`16m`, `512k`, `1g`; bytes without a unit). */
function nginxSize (s: string | undefined): number {
  const m = /^(\d+)([kKmMgG]?)$/.exec(s ?? '')
  if (m === null) return NaN
  return Number(m[1]) * ({ k: 2 ** 10, m: 2 ** 20, g: 2 ** 30 }[(m[2] ?? '').toLowerCase()] ?? 1)
}

/** How long preStop holds the pod before SIGTERM: a `sleep` handler, `sleep N` or a node timer. */
function preStopSeconds (c: IContainer): number {
  const pre = c.lifecycle?.preStop
  if (pre?.sleep !== undefined) return pre.sleep.seconds
  const cmd = pre?.exec?.command ?? []
  if (cmd[0] === 'sleep') return Number(cmd[1])
  const timer = cmd[0] === 'node' ? /setTimeout\([^,]*,\s*(\d+)\s*\)/.exec(cmd.join(' ')) : null
  return timer === null ? 0 : Number(timer[1]) / 1000
}

/** The environment the gateway container gets: plain values, and secretKeyRefs resolved from `secrets`. */
function podEnv (c: IContainer, secrets: Obj[]): { env: Record<string, string>, problems: string[] } {
  const env: Record<string, string> = {}
  const problems: string[] = []
  for (const e of c.env ?? []) {
    const ref = e.valueFrom?.secretKeyRef
    if (e.value !== undefined) env[e.name] = e.value
    else if (ref !== undefined) {
      const secret = secrets.find(s => s.kind === 'Secret' && s.metadata?.name === ref.name) as { stringData?: Record<string, string>, data?: Record<string, string> } | undefined
      const value = secret?.stringData?.[ref.key] ?? (secret?.data?.[ref.key] === undefined ? undefined : Buffer.from(secret.data[ref.key] ?? '', 'base64').toString())
      if (value === undefined) problems.push(`env ${e.name}: secret ${ref.name} has no key ${ref.key} in secret.example.yaml`)
      else env[e.name] = value
    } else problems.push(`env ${e.name}: neither a value nor a secretKeyRef`)
  }
  return { env, problems }
}

function loadDeployConfig (env: Record<string, string>): Config {
  return loadConfig({ path: CONFIG_FILE, env, cwd: ROOT }).config
}

/** Everything that must agree between the manifests and the config; [] when all is well. */
function fleetProblems (objects: Obj[], secrets: Obj[], configText: string): string[] {
  const p: string[] = []
  const dep = find<IDeployment>(objects, 'Deployment', GATEWAY)
  const pod = dep?.spec?.template
  const c = pod?.spec?.containers.find(x => x.name === GATEWAY)
  if (dep === undefined || pod?.spec === undefined || c === undefined) return [`Deployment ${GATEWAY} with a container ${GATEWAY} is missing`]
  const podLabels = pod.metadata?.labels

  // The config, loaded with the pod's own environment.
  const { env, problems: envProblems } = podEnv(c, secrets)
  p.push(...envProblems)
  let config: Config
  try {
    config = loadDeployConfig(env)
  } catch (err) {
    return [...p, `deploy/config/switchyard.yaml with the pod's environment: ${(err as Error).message}`]
  }
  for (const name of Object.keys(env)) {
    if (name !== 'SWITCHYARD_CONFIG' && !configText.includes('${' + name)) p.push(`env ${name}: the config never reads it`)
  }

  // Port, probes, scraping.
  const port = c.ports?.find(x => x.name === 'http')
  if (port?.containerPort !== config.server.port) p.push(`container port "http" is ${port?.containerPort}, the config listens on ${config.server.port}`)
  const probes = { readinessProbe: '/health/ready', livenessProbe: '/health/live' } as const
  for (const [probe, path] of Object.entries(probes) as [keyof typeof probes, string][]) {
    const get = c[probe]?.httpGet
    if (get?.path !== path) p.push(`${probe}: path ${get?.path}, want ${path}`)
    if (get?.port !== 'http' && get?.port !== config.server.port) p.push(`${probe}: port ${get?.port} is not the http port`)
  }
  const ann = pod.metadata?.annotations ?? {}
  if (ann['prometheus.io/scrape'] !== 'true' || ann['prometheus.io/path'] !== '/metrics' || ann['prometheus.io/port'] !== String(config.server.port)) {
    p.push(`prometheus.io annotations ${JSON.stringify(ann)} do not point at /metrics on ${config.server.port}`)
  }

  // Shutdown: the preStop pause, then the drain, must both fit in the grace period.
  const pause = preStopSeconds(c)
  const grace = pod.spec.terminationGracePeriodSeconds ?? 30
  if (pause <= 0) p.push('no preStop pause: the ingress may still send while the pod drains')
  if (!(grace > config.server.shutdownGraceMs / 1000 + pause)) {
    p.push(`terminationGracePeriodSeconds ${grace} must exceed shutdownGraceMs ${config.server.shutdownGraceMs / 1000} s + preStop ${pause} s`)
  }

  // Security context: pod-level settings hold unless the container overrides them.
  const ps = pod.spec.securityContext ?? {}
  const cs = c.securityContext ?? {}
  if ((cs.runAsNonRoot ?? ps.runAsNonRoot) !== true) p.push('runAsNonRoot is not true')
  if ((cs.runAsUser ?? ps.runAsUser) !== 1000) p.push('runAsUser is not 1000 (the image\'s node user)')
  if (cs.readOnlyRootFilesystem !== true) p.push('readOnlyRootFilesystem is not true')
  if (cs.allowPrivilegeEscalation !== false) p.push('allowPrivilegeEscalation is not false')
  if (cs.capabilities?.drop?.includes('ALL') !== true) p.push('capabilities do not drop ALL')
  if ((cs.seccompProfile ?? ps.seccompProfile)?.type !== 'RuntimeDefault') p.push('seccompProfile is not RuntimeDefault')

  // Resources: both set, requests within limits.
  for (const r of ['cpu', 'memory']) {
    const req = quantity(c.resources?.requests?.[r] as string | undefined)
    const lim = quantity(c.resources?.limits?.[r] as string | undefined)
    if (!(req > 0 && lim > 0 && req <= lim)) p.push(`resources.${r}: request ${c.resources?.requests?.[r]} and limit ${c.resources?.limits?.[r]} must both be set, request <= limit`)
  }

  // The config file: SWITCHYARD_CONFIG names a file in the mounted ConfigMap, holding the config.
  const file = env.SWITCHYARD_CONFIG ?? ''
  const mount = c.volumeMounts?.find(m => m.mountPath === dirname(file))
  const volume = pod.spec.volumes?.find(v => v.name === mount?.name)
  const cm = find<{ data?: Record<string, string> }>(objects, 'ConfigMap', volume?.configMap?.name ?? '')
  if (cm?.data?.[basename(file)] !== configText) p.push(`SWITCHYARD_CONFIG ${file}: not deploy/config/switchyard.yaml from a mounted ConfigMap`)

  // Redis: an in-cluster URL must name a Service and port that exist.
  if (config.redis !== undefined) {
    const url = new URL(config.redis.url)
    const svc = find<IService>(objects, 'Service', url.hostname)
    if (svc !== undefined && !svc.spec?.ports?.some(x => x.port === Number(url.port || 6379))) p.push(`REDIS_URL ${url.host}: the Service has no such port`)
  }

  // Service, HPA, PDB, ServiceMonitor, Ingress around the pods.
  const others = objects.filter(o => o.kind === 'Deployment' && o !== (dep as unknown)).map(o => (o as unknown as IDeployment).spec?.template.metadata?.labels)
  const svc = find<IService>(objects, 'Service', GATEWAY)
  const svcPort = svc?.spec?.ports?.find(x => x.targetPort === 'http')
  if (!selects(svc?.spec?.selector, podLabels) || others.some(l => selects(svc?.spec?.selector, l))) p.push('Service selector must select the gateway pods and only them')
  if (svc?.spec?.type !== 'ClusterIP' || svcPort?.port !== 80 || svcPort.name !== 'http') p.push('Service must be ClusterIP, port 80 (named http) → targetPort http')

  const hpa = find<IHorizontalPodAutoscaler>(objects, 'HorizontalPodAutoscaler', GATEWAY)
  if (hpa?.spec?.scaleTargetRef.kind !== 'Deployment' || hpa.spec.scaleTargetRef.name !== GATEWAY) p.push('HPA must scale the gateway Deployment')
  if (!(hpa?.spec?.metrics ?? []).some(m => m.resource?.name === 'cpu')) p.push('HPA has no CPU metric')
  if ((hpa?.spec?.minReplicas ?? 1) < 2) p.push('HPA minReplicas < 2: one pod is no fleet')
  if (hpa !== undefined && dep.spec?.replicas !== undefined) p.push('Deployment sets replicas while an HPA owns the count')

  const pdb = find<IPodDisruptionBudget>(objects, 'PodDisruptionBudget', GATEWAY)
  if (!selects(pdb?.spec?.selector?.matchLabels, podLabels)) p.push('PodDisruptionBudget does not select the gateway pods')
  if (pdb?.spec?.maxUnavailable === undefined && pdb?.spec?.minAvailable === undefined) p.push('PodDisruptionBudget sets neither maxUnavailable nor minAvailable')

  const sm = find<IServiceMonitor>(objects, 'ServiceMonitor', GATEWAY)
  if (!selects(sm?.spec.selector.matchLabels, svc?.metadata?.labels)) p.push('ServiceMonitor does not select the gateway Service')
  if (!(sm?.spec.endpoints ?? []).some(e => e.port === svcPort?.name && e.path === '/metrics')) p.push('ServiceMonitor does not scrape /metrics on the Service\'s http port')

  const ing = find<IIngress>(objects, 'Ingress', GATEWAY)
  const backends = (ing?.spec?.rules ?? []).flatMap(r => r.http?.paths ?? []).map(x => x.backend.service)
  if (backends.length === 0 || backends.some(b => b?.name !== GATEWAY || (b.port?.name ?? b.port?.number) !== (b.port?.name === undefined ? svcPort?.port : svcPort?.name))) {
    p.push('Ingress must route to the gateway Service\'s http port')
  }
  const ia = ing?.metadata?.annotations ?? {}
  const nginx = (k: string) => ia[`nginx.ingress.kubernetes.io/${k}`]
  if (nginx('proxy-buffering') !== 'off') p.push('Ingress: proxy-buffering must be "off" for streams')
  for (const k of ['proxy-read-timeout', 'proxy-send-timeout']) {
    if (!(Number(nginx(k)) >= config.server.requestTimeoutMs / 1000)) p.push(`Ingress: ${k} ${nginx(k)} s is below requestTimeoutMs ${config.server.requestTimeoutMs / 1000} s`)
  }
  if (!(nginxSize(nginx('proxy-body-size')) >= config.server.bodyLimit)) p.push(`Ingress: proxy-body-size ${nginx('proxy-body-size')} is below bodyLimit ${config.server.bodyLimit}`)
  return p
}

// ---- the tests ------------------------------------------------------------------------------

const configText = readFileSync(CONFIG_FILE, 'utf8')
const kustomizationDirs = yamlFiles(K8S).filter(f => basename(f) === 'kustomization.yaml').map(dirname)
const generatorData = new Set(kustomizationDirs.flatMap(d => (readKustomization(d).configMapGenerator ?? []).flatMap(g => (g.files ?? []).map(f => resolve(d, generatorFile(f)[1])))))
const manifestFiles = yamlFiles(K8S).filter(f => basename(f) !== 'kustomization.yaml' && !generatorData.has(f))
const exampleSecrets = manifestFiles.filter(f => f.endsWith('.example.yaml')).flatMap(readDocs)

t.test('every YAML document under deploy/k8s is a known kind and valid against its schema', async t => {
  t.ok(manifestFiles.length >= 9, 'the manifests are found')
  for (const file of manifestFiles) {
    for (const doc of readDocs(file)) t.equal(schemaProblem(doc), undefined, `${relative(K8S, file)}: ${doc.kind}/${doc.metadata?.name}`)
  }
  t.match(schemaProblem({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'x' } }), /unknown kind/, 'an unknown kind fails')
  t.match(schemaProblem({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { ports: [{ port: 'eighty' }] } }), /port/, 'a schema violation fails')
})

t.test('each kustomization lists every manifest beside it, and everything it lists exists', async t => {
  t.same(kustomizationDirs.map(d => relative(K8S, d)).sort(), ['base', join('overlays', 'production')])
  for (const dir of kustomizationDirs) {
    const k = readKustomization(dir)
    const at = relative(K8S, dir)
    t.equal(k.apiVersion, 'kustomize.config.k8s.io/v1beta1', `${at}: apiVersion`)
    t.equal(k.kind, 'Kustomization', `${at}: kind`)
    t.same(Object.keys(k).filter(f => !KUSTOMIZE_FIELDS.has(f)), [], `${at}: only fields this test models`)
    const listed = (k.resources ?? []).map(r => resolve(dir, r))
    for (const r of listed) {
      const s = statSync(r, { throwIfNoEntry: false })
      t.ok(s !== undefined && (s.isFile() || statSync(join(r, 'kustomization.yaml'), { throwIfNoEntry: false }) !== undefined), `${at}: resource ${relative(dir, r)} exists`)
    }
    for (const g of k.configMapGenerator ?? []) {
      for (const f of g.files ?? []) t.ok(statSync(resolve(dir, generatorFile(f)[1]), { throwIfNoEntry: false })?.isFile(), `${at}: generator file ${f} exists`)
    }
    for (const file of manifestFiles.filter(f => dirname(f) === dir)) {
      const example = file.endsWith('.example.yaml')
      t.equal(listed.includes(file), !example, `${at}: ${basename(file)} ${example ? 'is an example, never applied' : 'is listed'}`)
    }
  }
})

t.test('the generated config is deploy/config/switchyard.yaml, byte for byte', async t => {
  t.equal(readFileSync(join(BASE, 'switchyard.yaml'), 'utf8'), configText, 'deploy/k8s/base/switchyard.yaml must be a copy of deploy/config/switchyard.yaml')
})

t.test('the production overlay renders to valid objects that agree with the config', async t => {
  const base = render(BASE)
  const prod = render(OVERLAY)
  t.same(prod.map(schemaProblem).filter(Boolean), [], 'rendered objects are valid')
  t.same(fleetProblems(base, exampleSecrets, configText), [], 'base')
  t.same(fleetProblems(prod, exampleSecrets, configText), [], 'production')
  const image = podContainers(find<Obj>(prod, 'Deployment', GATEWAY) ?? {})[0]?.image ?? ''
  t.match(image, /^[^:@]+(:[\w][\w.-]*|@sha256:[0-9a-f]{64})$/, 'production image is pinned')
  t.notMatch(image, /:latest$/, 'never :latest')
  t.ok(prod.every(o => o.kind === 'Namespace' || o.metadata?.namespace === readKustomization(OVERLAY).namespace), 'everything lands in the overlay namespace')
  t.ok(find(prod, 'Namespace', readKustomization(OVERLAY).namespace ?? ''), 'and the overlay creates it')
})

let kubectl = false
try { execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 20_000 }); kubectl = true } catch { /* not installed */ }

t.test('kubectl kustomize renders the same objects', { skip: kubectl ? false : 'kubectl is not installed: the test\'s own rendering was checked above' }, async t => {
  for (const dir of [BASE, OVERLAY]) {
    const out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 })
    let real = parseAllDocuments(out).map(d => d.toJS() as Obj)
    // Generated ConfigMaps carry a content hash; the rendering here keeps the plain name.
    const generated = readKustomization(BASE).configMapGenerator?.map(g => g.name) ?? []
    real = real.map(o => JSON.parse(generated.reduce((s, g) => s.replace(new RegExp(`"${g}-[a-z0-9]{10}"`, 'g'), `"${g}"`), JSON.stringify(o))) as Obj)
    const byKey = (objs: Obj[]) => Object.fromEntries(objs.map(o => [`${o.kind}/${o.metadata?.name}`, o]))
    t.strictSame(byKey(real), byKey(render(dir)), `${relative(K8S, dir)}: kubectl output equals the test's rendering`)
    t.same(real.map(schemaProblem).filter(Boolean), [], `${relative(K8S, dir)}: kubectl output is valid`)
  }
})

t.test('the checks catch what they are for', async t => {
  const broken = (edit: (objects: Obj[]) => void) => {
    const objects = render(OVERLAY)
    edit(objects)
    return fleetProblems(objects, exampleSecrets, configText).join('\n')
  }
  const dep = (objects: Obj[]) => find<IDeployment>(objects, 'Deployment', GATEWAY)!
  const ing = (objects: Obj[]) => find<IIngress>(objects, 'Ingress', GATEWAY)!.metadata!.annotations!
  t.match(broken(o => { dep(o).spec!.template.spec!.terminationGracePeriodSeconds = DEFAULTS.server.shutdownGraceMs / 1000 }), /terminationGracePeriodSeconds/)
  t.match(broken(o => { delete dep(o).spec!.template.spec!.containers[0]!.lifecycle }), /no preStop pause/)
  t.match(broken(o => { dep(o).spec!.template.spec!.containers[0]!.ports![0]!.containerPort = 9090 }), /container port "http" is 9090/)
  t.match(broken(o => { dep(o).spec!.template.spec!.containers[0]!.readinessProbe!.httpGet!.path = '/health/live' }), /readinessProbe: path/)
  t.match(broken(o => { const env = dep(o).spec!.template.spec!.containers[0]!.env!; env.splice(env.findIndex(e => e.name === 'TEAM_A_KEY'), 1) }), /TEAM_A_KEY is not set/)
  t.match(broken(o => { dep(o).spec!.replicas = 3 }), /replicas while an HPA/)
  t.match(broken(o => { ing(o)['nginx.ingress.kubernetes.io/proxy-buffering'] = 'on' }), /proxy-buffering/)
  t.match(broken(o => { ing(o)['nginx.ingress.kubernetes.io/proxy-read-timeout'] = '60' }), /proxy-read-timeout 60 s is below/)
  t.match(broken(o => { ing(o)['nginx.ingress.kubernetes.io/proxy-body-size'] = '1m' }), /proxy-body-size 1m is below/)
  t.equal(preStopSeconds({ name: 'x', lifecycle: { preStop: { exec: { command: ['node', '-e', 'setTimeout(() => {}, 5000)'] } } } }), 5)
  t.equal(quantity('500m'), 0.5)
  t.equal(quantity('1Gi'), 2 ** 30)
  t.equal(nginxSize('16m'), 16 * 2 ** 20)
})
