// Kubernetes manifests as test/deploy reads them: YAML documents loaded and validated against
// the Kubernetes schemas (kubernetes-models; any kind without a schema here is a problem), and a
// small subset of kustomize (resources, configMapGenerator, images, inline JSON 6902 patches,
// namespace, labels) so the checks run on what would be applied, on any machine.
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { basename, join, relative, resolve } from 'node:path'
import { parse, parseAllDocuments } from 'yaml'
import { Deployment, type IDeployment } from 'kubernetes-models/apps/v1'
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2'
import { Ingress, NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1'
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1'
import { ConfigMap, Namespace, Secret, Service, type IContainer } from 'kubernetes-models/v1'
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1'

export const ROOT = join(import.meta.dirname, '..', '..')

export type Obj = { apiVersion?: string, kind?: string, metadata?: { name?: string, namespace?: string, labels?: Record<string, string>, annotations?: Record<string, string> }, [key: string]: unknown }
type Validator = new (data: object) => { validate (): void }
const model = (c: unknown) => c as Validator

/** apiVersion/kind → the schema it is validated against. Any other kind fails the test. */
const MODELS: Record<string, Validator> = {
  'apps/v1/Deployment': model(Deployment),
  'autoscaling/v2/HorizontalPodAutoscaler': model(HorizontalPodAutoscaler),
  'networking.k8s.io/v1/Ingress': model(Ingress),
  'networking.k8s.io/v1/NetworkPolicy': model(NetworkPolicy),
  'policy/v1/PodDisruptionBudget': model(PodDisruptionBudget),
  'v1/ConfigMap': model(ConfigMap),
  'v1/Namespace': model(Namespace),
  'v1/Secret': model(Secret),
  'v1/Service': model(Service),
  'monitoring.coreos.com/v1/ServiceMonitor': model(ServiceMonitor),
}

export function schemaProblem (o: Obj): string | undefined {
  const Model = MODELS[`${o.apiVersion}/${o.kind}`]
  if (Model === undefined) return `${o.apiVersion}/${o.kind}: unknown kind (add it to MODELS with its schema)`
  if (o.metadata?.name === undefined) return `${o.kind}: metadata.name is missing`
  try {
    new Model(o).validate()
    return undefined
  } catch (err) {
    return `${o.kind}/${o.metadata.name}: ${(err as Error).message}`
  }
}

export function readDocs (file: string): Obj[] {
  const docs = parseAllDocuments(readFileSync(file, 'utf8'))
  const errors = docs.flatMap(d => d.errors.map(e => `${relative(ROOT, file)}: ${e.message}`))
  if (errors.length > 0) throw new Error(errors.join('\n'))
  return docs.map(d => d.toJS() as Obj | null).filter((d): d is Obj => d !== null)
}

export function yamlFiles (dir: string): string[] {
  return readdirSync(dir).sort().flatMap(name => {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) return yamlFiles(p)
    return /\.ya?ml$/.test(name) ? [p] : []
  })
}

// ---- kustomize, the subset these manifests use -------------------------------------------

export interface Kustomization {
  apiVersion?: string
  kind?: string
  namespace?: string
  resources?: string[]
  labels?: { pairs: Record<string, string>, includeSelectors?: boolean }[]
  configMapGenerator?: { name: string, files?: string[] }[]
  images?: { name: string, newName?: string, newTag?: string, digest?: string }[]
  patches?: { target?: { group?: string, version?: string, kind?: string, name?: string }, patch?: string, path?: string }[]
}
export const KUSTOMIZE_FIELDS = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'labels', 'configMapGenerator', 'images', 'patches'])

export const readKustomization = (dir: string) => parse(readFileSync(join(dir, 'kustomization.yaml'), 'utf8')) as Kustomization
/** `key=path` or `path` → [key, path]. */
export const generatorFile = (entry: string): [string, string] => {
  const i = entry.indexOf('=')
  return i < 0 ? [basename(entry), entry] : [entry.slice(0, i), entry.slice(i + 1)]
}

type Json = unknown
/** JSON 6902 add/replace/remove at a JSON pointer. */
function applyOp (doc: Json, op: { op: string, path: string, value?: Json }): void {
  const keys = op.path.split('/').slice(1).map(k => k.replace(/~1/g, '/').replace(/~0/g, '~'))
  const last = keys.pop()
  let at = doc as Record<string, Json>
  for (const k of keys) {
    at = at[k] as Record<string, Json>
    if (at === undefined) throw new Error(`patch path ${op.path} does not exist`)
  }
  if (last === undefined) throw new Error('patch of the whole document is not supported')
  if (op.op === 'remove') { delete at[last]; return }
  if (op.op === 'replace' && !(last in at)) throw new Error(`replace: ${op.path} does not exist`)
  if (op.op !== 'add' && op.op !== 'replace') throw new Error(`patch op ${op.op} is not supported here`)
  if (Array.isArray(at) && last === '-') at.push(op.value)
  else at[last] = op.value
}

export function render (dir: string): Obj[] {
  const k = readKustomization(dir)
  const objects: Obj[] = []
  for (const r of k.resources ?? []) {
    const p = resolve(dir, r)
    objects.push(...(statSync(p).isDirectory() ? render(p) : readDocs(p)))
  }
  for (const g of k.configMapGenerator ?? []) {
    const data = Object.fromEntries((g.files ?? []).map(generatorFile).map(([key, file]) => [key, readFileSync(join(dir, file), 'utf8')]))
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: g.name }, data })
  }
  for (const p of k.patches ?? []) {
    if (p.patch === undefined || p.path !== undefined) throw new Error('only inline JSON 6902 patches are modelled')
    const ops = parse(p.patch) as { op: string, path: string, value?: Json }[]
    const targets = objects.filter(o => {
      const [group, version] = o.apiVersion?.includes('/') === true ? o.apiVersion.split('/') : ['', o.apiVersion]
      const want = p.target ?? {}
      return (want.kind ?? o.kind) === o.kind && (want.name ?? o.metadata?.name) === o.metadata?.name &&
        (want.group ?? group) === group && (want.version ?? version) === version
    })
    if (targets.length === 0) throw new Error(`patch target ${JSON.stringify(p.target)} matches nothing`)
    for (const o of targets) for (const op of ops) applyOp(o, op)
  }
  for (const o of objects) {
    for (const c of podContainers(o)) {
      const name = c.image?.split(/[:@]/)[0]
      const img = k.images?.find(i => i.name === name)
      if (img !== undefined && c.image !== undefined) c.image = `${img.newName ?? img.name}${img.digest !== undefined ? '@' + img.digest : ':' + (img.newTag ?? 'latest')}`
    }
    for (const l of k.labels ?? []) {
      if (l.includeSelectors === true) throw new Error('labels.includeSelectors is not modelled')
      o.metadata = { ...o.metadata, labels: { ...o.metadata?.labels, ...l.pairs } }
    }
    if (k.namespace !== undefined && o.kind !== 'Namespace') o.metadata = { ...o.metadata, namespace: k.namespace }
  }
  return objects
}

export function podContainers (o: Obj): IContainer[] {
  return o.kind === 'Deployment' ? (o as unknown as IDeployment).spec?.template.spec?.containers ?? [] : []
}
