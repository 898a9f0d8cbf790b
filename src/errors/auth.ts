// Client authentication and authorisation errors (SPEC.md "auth"), in the style of codes.ts:
// expected per-request errors, so no stack is captured. Messages say what is wrong and never
// carry the presented key; the 403s name the key's *name* and what was refused.
import createError from '@fastify/error'

const NO_STACK = false

export const AuthMissingKey = createError(
  'SWY_ERR_AUTH_MISSING_KEY',
  'missing API key: send it as "Authorization: Bearer <key>", "x-api-key", "x-goog-api-key" or "?key="',
  401, Error, NO_STACK)
export const AuthInvalidKey = createError('SWY_ERR_AUTH_INVALID_KEY', 'invalid API key', 401, Error, NO_STACK)
export const AuthBackendDenied = createError<[string, string]>('SWY_ERR_AUTH_BACKEND_DENIED', 'key %s may not use backend %s', 403, Error, NO_STACK)
export const AuthModelDenied = createError<[string, string]>('SWY_ERR_AUTH_MODEL_DENIED', 'key %s may not use model %s', 403, Error, NO_STACK)
export const AuthUnreadableModel = createError<[string]>('SWY_ERR_AUTH_UNREADABLE_MODEL', 'key %s may use only some models: send a JSON body that names the model', 415, Error, NO_STACK)
