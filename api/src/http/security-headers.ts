import type { MiddlewareHandler } from 'hono'
import { secureHeaders } from 'hono/secure-headers'

/**
 * Security headers on every answer (hono/secure-headers) with a Content-Security-Policy the pages
 * pass (the browser tests fail on any violation):
 * - scripts only from this origin: no inline script, no eval;
 * - styles from this origin plus inline `style` attributes, which the pages' templates use for
 *   computed colours and sizes (legend swatches, bars) — style attributes cannot run code;
 * - MapLibre's web worker and the rider page's service worker from this origin, `blob:` for the
 *   workers MapLibre may build itself; `blob:`/`data:` images for map sprites and canvases;
 * - fonts self-hosted; data only from this origin and the configured basemap's origin(s).
 */
export function securityHeaders(options: { connectSrc?: string[] } = {}): MiddlewareHandler {
  const extra = options.connectSrc ?? []
  return secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:', 'blob:', ...extra],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'", 'blob:', 'data:', ...extra],
      workerSrc: ["'self'", 'blob:'],
      childSrc: ["'self'", 'blob:'],
      manifestSrc: ["'self'"],
      objectSrc: ["'none'"],
      baseUri: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'self'"],
    },
    // HTTPS deployments: remember it for this host only, not for a government's other subdomains
    strictTransportSecurity: 'max-age=15552000',
    // the rider page asks for the position; nothing asks for camera or microphone
    permissionsPolicy: { geolocation: ['self'], camera: [], microphone: [] },
    // Amap/Baidu navigation links open another site: send no referrer with them
    referrerPolicy: 'no-referrer',
  })
}

/** The origins of a basemap style URL, for connect-src/img-src (tiles and sprites usually come from there). */
export function originsOf(urls: (string | null | undefined)[]): string[] {
  const out = new Set<string>()
  for (const u of urls) {
    if (!u) continue
    try {
      out.add(new URL(u).origin)
    } catch {
      // not a URL: nothing to allow
    }
  }
  return [...out]
}
