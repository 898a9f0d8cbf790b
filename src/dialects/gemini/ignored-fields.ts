// Gemini request fields accepted and deliberately not carried (STYLE.md §2.4). Keys are
// camelCase; snake_case spellings are normalised before the lookup.
import type { IgnoredFields } from '../shared/fields.js'

/** Fields accepted and deliberately not carried, each with the reason it is safe. */
export const IGNORED_FIELDS: IgnoredFields = {
  safetySettings: 'safety thresholds are the serving backend\'s policy; no other dialect expresses them',
  labels: 'Vertex billing labels; not a model input',
  'systemInstruction.role': 'the API ignores the role of a system instruction',
}
