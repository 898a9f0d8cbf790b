// One upstream SSE payload as a JSON object, or the upstream-invalid-data error that names what
// was wrong (the handler rewraps it naming the backend). Every backend stream decoder parses
// each event exactly once, here.
import { UpstreamInvalidData } from '../../errors/codes.js'
import { isObject, type JsonObject } from './json.js'

/** `what` names the payload in the error, e.g. `a stream event`. */
export function parseUpstreamObject (data: string, what: string): JsonObject {
  let value: unknown
  try {
    value = JSON.parse(data)
  } catch (err) {
    throw new UpstreamInvalidData(what + ' is not valid JSON', { cause: err })
  }
  if (!isObject(value)) throw new UpstreamInvalidData(what + ' is not a JSON object')
  return value
}
