// Bounded `model` label values for switchyard_tokens_total. Backend names come from the config,
// but model names come from clients and upstreams: each distinct value is a new series in every
// scrape, kept for the life of the process, so a client cycling through made-up model names
// could grow the registry (and Prometheus' TSDB) without bound. The first MAX_MODEL_LABELS
// distinct names are kept as they are — real fleets use tens of models — and any later one is
// counted as `other`, so token totals stay right while the series count stays capped. Absurdly
// long names are `other` too: a model name is an identifier, not free text (SPEC: label values
// never include free text).

import { holdsKnownSecret } from '../log/secrets.js'

export const MAX_MODEL_LABELS = 100
export const MAX_MODEL_LABEL_LENGTH = 128
export const OTHER_MODEL = 'other'
export const UNKNOWN_MODEL = 'unknown'

export class ModelLabels {
  private readonly seen = new Set<string>()

  constructor (private readonly max: number = MAX_MODEL_LABELS) {}

  /** The label value to use for `model`. */
  label (model: string): string {
    if (model === '') return UNKNOWN_MODEL
    if (this.seen.has(model)) return model
    // A key typed as the model (swapped env vars) must not become a label on /metrics.
    if (holdsKnownSecret(model)) return OTHER_MODEL
    if (this.seen.size >= this.max || model.length > MAX_MODEL_LABEL_LENGTH) return OTHER_MODEL
    this.seen.add(model)
    return model
  }
}
