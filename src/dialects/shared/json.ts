// Narrowing helpers for wire input, shared by the client decoders. Request bodies arrive as
// `unknown`; every failure names the JSON path of the field at fault (STYLE.md §2.4).
import { convertError } from '../../errors/codes.js'

export type JsonObject = Readonly<Record<string, unknown>>

export function isObject (value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/** `null` and `undefined` both mean "not sent": OpenAI and Gemini clients send explicit nulls. */
export function isAbsent (value: unknown): value is null | undefined {
  return value === undefined || value === null
}

export function fieldPath (parent: string, key: string): string {
  return parent === '' ? key : parent + '.' + key
}

export function itemPath (parent: string, index: number): string {
  return parent + '[' + index + ']'
}

export function expectObject (value: unknown, path: string): JsonObject {
  if (isAbsent(value)) throw convertError(path, 'required')
  if (!isObject(value)) throw convertError(path, 'must be an object')
  return value
}

export function expectArray (value: unknown, path: string): readonly unknown[] {
  if (isAbsent(value)) throw convertError(path, 'required')
  if (!Array.isArray(value)) throw convertError(path, 'must be an array')
  return value
}

export function expectString (value: unknown, path: string): string {
  if (isAbsent(value)) throw convertError(path, 'required')
  if (typeof value !== 'string') throw convertError(path, 'must be a string')
  return value
}

export function optionalString (value: unknown, path: string): string | undefined {
  return isAbsent(value) ? undefined : expectString(value, path)
}

export function optionalNumber (value: unknown, path: string): number | undefined {
  if (isAbsent(value)) return undefined
  if (typeof value !== 'number' || !Number.isFinite(value)) throw convertError(path, 'must be a number')
  return value
}

/** Token limits: out-of-range values are the backend's to judge, but the type is ours. */
export function optionalPositiveInteger (value: unknown, path: string): number | undefined {
  if (isAbsent(value)) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw convertError(path, 'must be a positive integer')
  return value
}

export function optionalBoolean (value: unknown, path: string): boolean | undefined {
  if (isAbsent(value)) return undefined
  if (typeof value !== 'boolean') throw convertError(path, 'must be a boolean')
  return value
}

export function optionalStringList (value: unknown, path: string): readonly string[] | undefined {
  if (isAbsent(value)) return undefined
  const list = expectArray(value, path)
  for (let i = 0; i < list.length; i++) expectString(list[i], itemPath(path, i))
  return list as readonly string[]
}

/** A `type` tag that must be one of a closed set. */
export function expectOneOf<T extends string> (value: unknown, path: string, allowed: readonly T[]): T {
  const s = expectString(value, path)
  if (!(allowed as readonly string[]).includes(s)) throw convertError(path, 'must be one of ' + allowed.join(', '))
  return s as T
}
