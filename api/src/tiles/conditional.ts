import { createHash } from 'node:crypto'

/** The media type of every tile we serve (what MapLibre and the IANA registry call MVT). */
export const MVT_TYPE = 'application/vnd.mapbox-vector-tile'

/**
 * Tiles may be reused for 2 s without asking, then must be revalidated (a 304 costs a few hundred
 * bytes): with /api/changes polled every 2 s an edit shows on every open map within 5 s.
 */
export const TILE_CACHE_CONTROL = 'public, max-age=2, must-revalidate'

/** A strong ETag from the parts that determine a response (versions, tile address, filters). */
export function etagOf(...parts: (string | number)[]): string {
  return `"${createHash('sha1').update(parts.join('/')).digest('base64url').slice(0, 22)}"`
}

/**
 * Whether `If-None-Match` names `etag`, by the weak comparison RFC 9110 §13.1.2 prescribes
 * (the compress middleware turns our strong ETag into W/"…" on gzipped responses).
 */
export function etagMatches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false
  if (ifNoneMatch.trim() === '*') return true
  const bare = etag.replace(/^W\//, '')
  return ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === bare)
}

/** Content types the compress middleware gzips: its default list plus vector tiles. */
export function compressibleType(type: string, defaults: RegExp): boolean {
  // and the road graph download (routes/roads.ts), mostly small integers
  return defaults.test(type) || type.startsWith(MVT_TYPE) || type.startsWith('application/x-protobuf') || type.startsWith('application/vnd.station-atlas.')
}
