import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from './env.ts'

/** The media types Hono's JSON validator parses (hono/validator's jsonRegex). */
const JSON_TYPE = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/

const strict = new TextDecoder('utf-8', { fatal: true })
const SURROGATE_ESCAPE = /\\u[dD][89a-fA-F][0-9a-fA-F]{2}/

/** Offset of the first byte that does not start a well-formed UTF-8 sequence (the lenient decoder's first U+FFFD that the bytes did not spell). */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  const text = new TextDecoder().decode(bytes)
  for (let i = text.indexOf('\uFFFD'); i >= 0; i = text.indexOf('\uFFFD', i + 1)) {
    const at = Buffer.byteLength(text.slice(0, i))
    if (!(bytes[at] === 0xef && bytes[at + 1] === 0xbf && bytes[at + 2] === 0xbd)) return at
  }
  return bytes.length
}

/**
 * Reads a JSON body's bytes before any parser sees them and remembers where they stop being UTF-8
 * (c.var.bodyNotUtf8) and where a string holds an unpaired surrogate escape (c.var.bodyUnpairedSurrogate). JSON is UTF-8 (RFC 8259 §8.1); the parsers replace bad bytes with U+FFFD,
 * which would store a changed name without a word. The JSON validator's hook (errors.ts) answers
 * the 400, after authorisation, so an anonymous writer still hears 401 whatever it sent.
 */
export const checkJsonBytes: MiddlewareHandler<AppEnv> = async (c, next) => {
  const m = c.req.method
  if (m !== 'GET' && m !== 'HEAD' && JSON_TYPE.test(c.req.header('content-type') ?? '')) {
    // read once; Hono parses JSON from this cached copy (bodyLimits has already capped its size)
    const bytes = new Uint8Array(await c.req.arrayBuffer())
    let text: string | null = null
    try {
      text = strict.decode(bytes)
    } catch {
      c.set('bodyNotUtf8', firstInvalidUtf8(bytes))
    }
    // only a body that spells a surrogate escape can hold an unpaired one: parse those (and only those) here,
    // so the 400 names it even when other fields are wrong too
    if (text !== null && SURROGATE_ESCAPE.test(text)) {
      try {
        const at = unpairedSurrogateAt(JSON.parse(text))
        if (at) c.set('bodyUnpairedSurrogate', at)
      } catch {
        // malformed JSON: the validator says so
      }
    }
  }
  await next()
}

// with the u flag a paired surrogate is one code point, so only an unpaired one matches
const LONE_SURROGATE = /\p{Surrogate}/u

/** Where in a parsed body a string (or key) holds an unpaired UTF-16 surrogate (a lone \ud800 escape), or null. */
export function unpairedSurrogateAt(value: unknown, path: (string | number)[] = []): (string | number)[] | null {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path : null
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const at = unpairedSurrogateAt(value[i], [...path, i])
      if (at) return at
    }
    return null
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (LONE_SURROGATE.test(k)) return [...path, k]
      const at = unpairedSurrogateAt(v, [...path, k])
      if (at) return at
    }
  }
  return null
}
