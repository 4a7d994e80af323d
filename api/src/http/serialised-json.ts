import { deflateSync, gzipSync } from 'node:zlib'
import type { Context, TypedResponse } from 'hono'
import { parseAccept } from 'hono/utils/accept'
import type { JSONParsed } from 'hono/utils/types'

/** The encoding Hono's compress middleware would choose for this Accept-Encoding (gzip first on a tie). */
export function chosenEncoding(header: string | undefined): 'gzip' | 'deflate' | undefined {
  if (header === undefined) return undefined
  const accepts = parseAccept(header)
  const wildcard = accepts.find((a) => a.type === '*')?.q
  let best: { encoding: 'gzip' | 'deflate'; q: number } | undefined
  for (const encoding of ['gzip', 'deflate'] as const) {
    const explicit = accepts.find((a) => a.type.toLowerCase() === encoding)
    const q = explicit ? explicit.q : (wildcard ?? 0)
    if (q === 1) return encoding
    if (q > 0 && (!best || q > best.q)) best = { encoding, q }
  }
  return best?.encoding
}

/** Bodies smaller than this go uncompressed, as the compress middleware leaves them (its default threshold). */
export const COMPRESS_THRESHOLD = 1024

/**
 * zlib options for one small body: level 1, and a window and hash table no larger than the body needs.
 * A nearest answer is a few KB; with the defaults (level 6, 32 KiB window, 256 KiB of state set up per
 * call) zlib took a seventh of a request's CPU time at 10^6 stations. Level 1 on a window covering the
 * body makes the same few-KB answer 2–3 % larger in half the time (README "Scale").
 */
export function smallBodyZlib(bytes: number): { level: number; windowBits: number; memLevel: number } {
  const windowBits = Math.max(9, Math.min(15, Math.ceil(Math.log2(bytes + 262))))
  return { level: 1, windowBits, memLevel: Math.max(1, Math.min(8, windowBits - 7)) }
}

/**
 * A 200 JSON response from UTF-8 text already serialised (NearestIndex.queryJson builds it from per-station
 * text), typed as the route's JSON body `T` so the typed client (hc<AppType>) sees the same shape as
 * from c.json; the route's tests hold the text to that shape.
 *
 * Compressed here, in one synchronous zlib call (smallBodyZlib), with the compress middleware's
 * encoding choice and threshold (it leaves a response with Content-Encoding alone): its
 * CompressionStream costs a small body more in web-stream plumbing than in deflating, and a Buffer
 * body lets @hono/node-server write the response without any stream at all.
 */
export function serialisedJson<T>(c: Context, text: Uint8Array<ArrayBuffer>): Response & TypedResponse<JSONParsed<T>, 200, 'json'> {
  c.header('Content-Type', 'application/json')
  c.header('Vary', 'Accept-Encoding', { append: true })
  // the body's type is the caller's word (T), checked by its tests: Hono has no typed raw-text JSON
  const typed = (res: Response) => res as Response & TypedResponse<JSONParsed<T>, 200, 'json'>
  const encoding = chosenEncoding(c.req.header('Accept-Encoding'))
  if (!encoding || c.req.method === 'HEAD' || text.byteLength < COMPRESS_THRESHOLD) return typed(c.newResponse(text, 200))
  c.header('Content-Encoding', encoding)
  const options = smallBodyZlib(text.byteLength)
  const bytes = encoding === 'gzip' ? gzipSync(text, options) : deflateSync(text, options)
  return typed(c.newResponse(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), 200))
}
