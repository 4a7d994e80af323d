import { existsSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { DEFAULT_BODY_LIMITS, parseBytes, type BodyLimits } from './http/body-limits.ts'
import { parseOrigins } from './http/cross-origin.ts'
import { repoPath } from './paths.ts'
import { startApi } from './start.ts'

// WEB_ROOT lets a test serve its own build (several builds may run side by side).
const WEB_ROOT = process.env.WEB_ROOT ?? repoPath('dist/web')
const port = Number(process.env.PORT ?? 8080)
const host = process.env.HOST ?? '0.0.0.0'

/** A positive whole number from the environment, or undefined when unset; a bad value stops start-up naming it. */
function positiveInt(name: string): number | undefined {
  const v = process.env[name]
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: must be a whole number > 0, got "${v}"`)
  return n
}

const bodyLimits = Object.fromEntries(
  (Object.keys(DEFAULT_BODY_LIMITS) as (keyof BodyLimits)[]).flatMap((k) => {
    const name = `BODY_LIMIT_${k.toUpperCase()}`
    const v = process.env[name]
    return v ? [[k, parseBytes(name, v)]] : []
  }),
) as Partial<BodyLimits>

const started = await startApi({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.DATA_DIR,
  schema: process.env.DATABASE_SCHEMA || undefined,
  basemapStyleUrl: process.env.BASEMAP_STYLE_URL,
  basemapAttribution: process.env.BASEMAP_ATTRIBUTION,
  limits: {
    ...(process.env.MAX_DEMAND_ITEMS ? { maxDemandItems: Number(process.env.MAX_DEMAND_ITEMS) } : {}),
    ...(process.env.MAX_CANDIDATES ? { maxCandidates: Number(process.env.MAX_CANDIDATES) } : {}),
  },
  work: { budgetMs: positiveInt('WORK_BUDGET_MS'), threads: positiveInt('WORK_THREADS') },
  http: { bodyLimits: bodyLimits as BodyLimits, corsOrigins: parseOrigins(process.env.CORS_ORIGINS) },
  log: (m) => console.log(m),
}).catch((err: Error) => {
  // a refused lock or an unreadable directory says what to do; a stack trace would bury it
  console.error(`cannot start: ${err.message}`)
  process.exit(1)
})
const { app, close } = started

// The built page: /, /rider and /tour are Vite entries (web/<name>/index.html once they exist).
if (existsSync(WEB_ROOT)) {
  app.use('/assets/*', serveStatic({ root: WEB_ROOT, onFound: (_p, c) => { c.header('Cache-Control', 'public, max-age=31536000, immutable') } }))
  app.use('/*', serveStatic({ root: WEB_ROOT }))
  app.get('/:page{rider|tour|reports}', serveStatic({ root: WEB_ROOT, rewriteRequestPath: (p) => `${p}/index.html` }))
} else {
  console.warn(`${WEB_ROOT} is missing: run \`npm run build\` to serve the page (the API works without it)`)
}

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  // the address really bound; for a wildcard bind, also the loopback URL a browser on this machine opens
  const shown = info.family === 'IPv6' ? `[${info.address}]` : info.address
  const wildcard = info.address === '0.0.0.0' || info.address === '::'
  console.log(`listening on http://${shown}:${info.port}${wildcard ? ` (all interfaces; this machine: http://127.0.0.1:${info.port})` : ''}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close()
    close().finally(() => process.exit(0))
  })
}
