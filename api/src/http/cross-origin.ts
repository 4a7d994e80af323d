import type { MiddlewareHandler } from 'hono'
import { cors } from 'hono/cors'

/**
 * CORS is off unless CORS_ORIGINS names the origins allowed to call the API from a browser:
 * then only those get the Access-Control-* headers (scripts with a Bearer token; no cookies).
 */
export function crossOrigin(origins: string[]): MiddlewareHandler {
  if (origins.length === 0) return (_c, next) => next()
  return cors({
    origin: origins,
    allowMethods: ['GET', 'HEAD', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
    allowHeaders: ['Content-Type', 'Authorization', 'If-Match'],
    exposeHeaders: ['ETag', 'Retry-After'],
    maxAge: 600,
    credentials: false,
  })
}

/** `https://a.example, https://b.example` → the list, each checked to be an origin (scheme://host[:port]). */
export function parseOrigins(value: string | undefined): string[] {
  if (!value?.trim()) return []
  return value.split(',').map((s) => s.trim()).filter(Boolean).map((o) => {
    let u: URL
    try {
      u = new URL(o)
    } catch {
      throw new Error(`CORS_ORIGINS: "${o}" is not an origin; write e.g. https://atlas.example.gov.cn`)
    }
    if (u.origin !== o.replace(/\/$/, '')) throw new Error(`CORS_ORIGINS: "${o}" must be an origin only (scheme://host[:port]), e.g. ${u.origin}`)
    return u.origin
  })
}
