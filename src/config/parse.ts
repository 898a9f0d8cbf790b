// Config file text → plain data. The rule: a `.json` file is parsed as JSON (strict, as its
// name promises), anything else as YAML 1.2. Syntax errors name the file, line and column.
import { extname } from 'node:path'
import { parseDocument } from 'yaml'
import { ConfigError } from './errors.js'

export function parseConfigText (source: string, file: string): unknown {
  if (source.trim() === '') throw new ConfigError([`${file}: file is empty`])
  return extname(file).toLowerCase() === '.json' ? parseJson(source, file) : parseYaml(source, file)
}

function parseJson (source: string, file: string): unknown {
  const body = source.startsWith('\uFEFF') ? source.slice(1) : source // JSON.parse rejects a BOM
  try {
    return JSON.parse(body)
  } catch (err) {
    throw new ConfigError([jsonSyntaxProblem(err, body, file)], { cause: err })
  }
}

/** V8 says "... in JSON at position N" (Node 22 adds the line); we always print file:line:col. */
function jsonSyntaxProblem (err: unknown, body: string, file: string): string {
  const message = err instanceof Error ? err.message : String(err)
  const position = /at position (\d+)/.exec(message)?.[1]
  const offset = position === undefined ? (message.includes('end of JSON') ? body.length : undefined) : Number(position)
  const reason = message.replace(/ in JSON at position \d+.*$/, '')
  if (offset === undefined) return `${file}: invalid JSON: ${reason}`
  const before = body.slice(0, offset)
  const line = before.split('\n').length
  const col = offset - before.lastIndexOf('\n')
  return `${file}:${line}:${col}: invalid JSON: ${reason}`
}

function parseYaml (source: string, file: string): unknown {
  // merge: `<<: *common` lets many backends share settings, as compose files do.
  const doc = parseDocument(source, { merge: true })
  if (doc.errors.length > 0) {
    throw new ConfigError(doc.errors.map(e => {
      const reason = e.message.replace(/ at line \d+, column \d+:[\s\S]*$/, '')
      const at = e.linePos?.[0]
      return at === undefined ? `${file}: invalid YAML: ${reason}` : `${file}:${at.line}:${at.col}: invalid YAML: ${reason}`
    }))
  }
  if (doc.contents === null) throw new ConfigError([`${file}: file is empty`]) // only comments
  try {
    return doc.toJS() // throws on alias bombs (maxAliasCount)
  } catch (err) {
    throw new ConfigError([`${file}: invalid YAML: ${err instanceof Error ? err.message : String(err)}`], { cause: err })
  }
}
