// Model globs (`gpt-*`, `claude-?-opus`, `o*`) compiled once at boot into anchored RegExps.
// Only `*` (any run of characters, `/` included: model ids such as `meta-llama/Llama-3` are
// matched whole) and `?` (one character) are special; everything else is literal.

const SPECIAL = new Set(['\\', '^', '$', '.', '|', '+', '(', ')', '[', ']', '{', '}'])

export function compileGlob (glob: string): RegExp {
  let source = '^'
  for (const ch of glob) {
    if (ch === '*') source += '.*'
    else if (ch === '?') source += '.'
    else source += SPECIAL.has(ch) ? '\\' + ch : ch
  }
  return new RegExp(source + '$', 's')
}

/** One matcher for a list of globs: true when any of them matches the whole model name. */
export function compileGlobs (globs: readonly string[]): (model: string) => boolean {
  const patterns = globs.map(compileGlob)
  return model => patterns.some(p => p.test(model))
}
