import type { MiddlewareHandler } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { errorBody } from './errors.ts'

/** Most bytes a request body may have, per route family (JSON bodies; multipart imports set their own). */
export interface BodyLimits {
  /** POST /api/siting: up to 20,000 candidates of [lon, lat] fit in ≈ 0.5 MB */
  siting: number
  /** POST /api/scenarios: a plan's edits and stations */
  scenarios: number
  /** POST /api/stations/{id}/reports: a problem, a 500-character note and a position */
  reports: number
  /** POST /api/import and /api/import/demand: one uploaded station or demand file (multipart) — 20 MB */
  import: number
  /** every other route that takes a body */
  default: number
}

export const DEFAULT_BODY_LIMITS: BodyLimits = { siting: 1024 * 1024, scenarios: 256 * 1024, reports: 8 * 1024, import: 20 * 1024 * 1024, default: 64 * 1024 }

/** Which limit a request falls under, by its path inside the app. */
function limitFor(path: string): keyof BodyLimits {
  if (path === '/api/siting') return 'siting'
  if (path === '/api/scenarios' || path.startsWith('/api/scenarios/') || path === '/api/export/scenario') return 'scenarios'
  if (/^\/api\/stations\/[^/]+\/reports$/.test(path)) return 'reports'
  if (path === '/api/import' || path === '/api/import/demand') return 'import'
  return 'default'
}

/** `1048576` → `1 MB`, `8192` → `8 KB` (binary units, as the limits are set). */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MB`
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KB`
  return `${n} bytes`
}

/** Parses `65536`, `64kb`, `1mb` (case-insensitive; k = 1024) into bytes; throws naming `name` otherwise. */
export function parseBytes(name: string, value: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(b|kb|k|mb|m)?\s*$/i.exec(value)
  if (!m) throw new Error(`${name}: "${value}" is not a size; write bytes (65536) or 64kb / 1mb`)
  const unit = (m[2] ?? 'b').toLowerCase()
  const bytes = Math.floor(Number(m[1]) * (unit.startsWith('m') ? 1024 * 1024 : unit.startsWith('k') ? 1024 : 1))
  if (!(bytes > 0)) throw new Error(`${name}: must be more than 0 bytes, got "${value}"`)
  return bytes
}

/**
 * Refuses an oversized body with 413 `too_large` naming the limit, before anything parses it:
 * by Content-Length without reading a byte, or — for a chunked body — as soon as the bytes read
 * pass the limit (hono/body-limit), so a 39 MB body costs neither seconds nor hundreds of MB.
 */
export function bodyLimits(limits: BodyLimits): MiddlewareHandler {
  const guards = Object.fromEntries(
    (Object.keys(limits) as (keyof BodyLimits)[]).map((name) => {
      const max = limits[name]
      const message = `request body exceeds the ${name === 'default' ? 'default' : name} body limit of ${formatBytes(max)} (${max} bytes)`
      return [name, bodyLimit({ maxSize: max, onError: (c) => c.json(errorBody('too_large', message), 413, { Connection: 'close' }) })]
    }),
  ) as Record<keyof BodyLimits, MiddlewareHandler>
  return (c, next) => {
    const m = c.req.method
    if (m === 'GET' || m === 'HEAD' || m === 'OPTIONS') return next()
    return guards[limitFor(c.req.path)](c, next)
  }
}
