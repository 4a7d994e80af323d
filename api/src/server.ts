import { existsSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { networkInterfaces } from 'node:os'
import { fileURLToPath } from 'node:url'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { DEFAULT_BODY_LIMITS, parseBytes, type BodyLimits } from './http/body-limits.ts'
import { parseOrigins } from './http/cross-origin.ts'
import { repoPath } from './paths.ts'
import { authConfigFromEnv } from './auth/config.ts'
import { nearestIndexFromEnv, startApi } from './start.ts'
import { tiandituFromEnv } from './http/tianditu.ts'
import { stationTilesFor } from './tiles/station-tiles.ts'
import { planningMemoryBytes } from './planning/memory-budget.ts'
import { runLoadRoads } from '../../scripts/load-roads.ts'
import { ensureScaleStations } from '../../scripts/scale-data.ts'
import { SUB_PAGES } from '../../web/pages.ts'

export interface ServerOptions {
  /**
   * Resolves when dist/web holds the current page (`npm start` builds it while the database starts);
   * page requests wait for it and the "listening on" line is printed after it. Default: ready.
   */
  pageReady?: Promise<void>
  /**
   * Listen before the bundled demand layers are loaded; requests that read demand wait for them
   * (start.ts `demandInBackground`). `npm start` and `--demand-in-background` do; by default the server
   * loads everything first, so whoever waits for the "listening on" line (the browser-test harness,
   * `npm run measure`) gets a complete API.
   */
  demandInBackground?: boolean
}

/** `http://host:port`, with IPv6 hosts in brackets. */
const url = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`

/** A positive whole number from the environment, or undefined when unset; a bad value stops start-up naming it. */
function positiveInt(name: string): number | undefined {
  const v = process.env[name]
  if (v === undefined || v === '') return undefined
  const n = Number(v)
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name}: must be a whole number > 0, got "${v}"`)
  return n
}

/** BODY_LIMIT_<ROUTE> overrides of the per-route body limits. */
function bodyLimitsFromEnv(): Partial<BodyLimits> {
  return Object.fromEntries(
    (Object.keys(DEFAULT_BODY_LIMITS) as (keyof BodyLimits)[]).flatMap((k) => {
      const name = `BODY_LIMIT_${k.toUpperCase()}`
      const v = process.env[name]
      return v ? [[k, parseBytes(name, v)]] : []
    }),
  ) as Partial<BodyLimits>
}

/**
 * The address line: exactly what the socket is bound to, and for a wildcard address (HOST=0.0.0.0
 * or ::) the addresses other machines — riders' phones on the same network — can use.
 */
export function listeningLine(address: AddressInfo): string {
  const wildcard = address.address === '0.0.0.0' || address.address === '::'
  if (!wildcard) return `listening on ${url(address.address, address.port)}`
  const v6 = address.address === '::'
  const lan = Object.values(networkInterfaces())
    .flat()
    .filter((i) => i && !i.internal && (v6 || i.family === 'IPv4'))
    .map((i) => url(i!.address, address.port))
  return `listening on ${url(address.address, address.port)} — every network address of this machine: ${[url('127.0.0.1', address.port), ...lan].join(', ')}`
}

/** Starts the API and the built page on one port (PORT, default 8080) and HOST (default 127.0.0.1: this machine only). */
export async function runServer(options: ServerOptions = {}) {
  // WEB_ROOT lets a test serve its own build (several builds may run side by side).
  const webRoot = process.env.WEB_ROOT ?? repoPath('dist/web')
  const port = Number(process.env.PORT ?? 8080)
  // Loopback unless asked: a fresh install must not expose itself to the network (README "Configuration").
  const host = process.env.HOST || '127.0.0.1'
  const pageReady = options.pageReady ?? Promise.resolve()

  // issue 13 item 5: a fixed item count became a memory budget; say so rather than ignore it silently
  if (process.env.MAX_DEMAND_ITEMS) console.warn('MAX_DEMAND_ITEMS is no longer read: planning and /api/demand are bounded by PLANNING_MEMORY_MB (README "Configuration")')
  const started = await startApi({
    databaseUrl: process.env.DATABASE_URL,
    dataDir: process.env.DATA_DIR,
    schema: process.env.DATABASE_SCHEMA || undefined,
    basemapStyleUrl: process.env.BASEMAP_STYLE_URL,
    basemapAttribution: process.env.BASEMAP_ATTRIBUTION,
    tianditu: tiandituFromEnv(process.env),
    limits: {
      planningMemoryBytes: planningMemoryBytes(process.env.PLANNING_MEMORY_MB),
      ...(process.env.MAX_CANDIDATES ? { maxCandidates: Number(process.env.MAX_CANDIDATES) } : {}),
    },
    auth: authConfigFromEnv(process.env),
    firstAdmin: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD },
    work: { budgetMs: positiveInt('WORK_BUDGET_MS'), threads: positiveInt('WORK_THREADS') },
    http: { bodyLimits: bodyLimitsFromEnv() as BodyLimits, corsOrigins: parseOrigins(process.env.CORS_ORIGINS) },
    log: (m) => console.log(m),
    demandInBackground: options.demandInBackground ?? false,
    nearestIndex: nearestIndexFromEnv(process.env),
    nearestInBackground: true,
  }).catch((err: Error) => {
    // a refused lock or an unreadable directory says what to do; a stack trace would bury it
    console.error(`cannot start: ${err.message}`)
    process.exit(1)
  })
  const { app, fetch, demandReady, close } = started
  // ROADS_FILE: the OSM extract to have loaded, as `npm run load-roads` would (nothing happens when it already is)
  const roadsFile = process.env.ROADS_FILE?.trim()
  if (roadsFile) {
    await runLoadRoads(started.sql, roadsFile, (m) => console.log(`roads: ${m}`))
      .then((m) => console.log(m))
      .catch((err: Error) => {
        console.error(`cannot load ROADS_FILE ${roadsFile}: ${err.message}`)
        process.exit(1)
      })
  }
  // LOAD_SCALE_STATIONS: the synthetic scale set to have loaded, as `npm run scale-data -- --stations N`
  // would (the scale browser test: one database start, not one for the loader and one for the server)
  const scaleStations = positiveInt('LOAD_SCALE_STATIONS')
  if (scaleStations) {
    await ensureScaleStations(started.sql, started.database, scaleStations, (m) => console.log(m)).catch((err: Error) => {
      console.error(`cannot load LOAD_SCALE_STATIONS=${scaleStations}: ${err.message}`)
      process.exit(1)
    })
  }
  // The station tile index is built in the background from the start (at 10^6 stations reading the
  // table takes tens of seconds), so the first map does not wait for it; requests are served meanwhile.
  const tilesT0 = performance.now()
  stationTilesFor(started.sql).freshIndex({})
    .then((e) => console.log(`station tiles: index of ${e.points.toLocaleString('en')} stations ready in ${Math.round(performance.now() - tilesT0)} ms`))
    .catch((err: Error) => console.error(`station tiles: the first index failed (tiles will retry): ${err.message}`))
  demandReady.catch((err: unknown) => {
    // as before this was loaded in the background: a bad bundled layer stops the server
    console.error('loading the demand layers failed:', err)
    process.exit(1)
  })

  // Browsers ask for /favicon.ico on every page that names no icon (the API docs, a JSON response):
  // answer with the pages' own SVG icon, from the sources so it exists before any build.
  const favicon = readFileSync(repoPath('web/public/favicon.svg'))
  app.get('/favicon.ico', (c) => c.body(favicon, 200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'public, max-age=86400' }))

  // The built page: every page of web/pages.ts is a Vite entry (/ the planner, /<name> web/<name>/index.html).
  app.use('*', async (c, next) => {
    if (!c.req.path.startsWith('/api/')) await pageReady
    await next()
  })
  // precompressed: the build writes a .gz beside each script, stylesheet and page (vite.config.ts)
  app.use('/assets/*', serveStatic({ root: webRoot, precompressed: true, onFound: (_p, c) => { c.header('Cache-Control', 'public, max-age=31536000, immutable') } }))
  app.use('/*', serveStatic({ root: webRoot, precompressed: true }))
  app.get(`/:page{${SUB_PAGES.join('|')}}`, serveStatic({ root: webRoot, precompressed: true, rewriteRequestPath: (p) => `${p}/index.html` }))

  const server = serve({ fetch, port, hostname: host }, (info) => {
    void pageReady.then(() => {
      if (!existsSync(webRoot)) console.warn(`${webRoot} is missing: run \`npm run build\` to serve the page (the API works without it)`)
      console.log(`${listeningLine(info)} (${process.uptime().toFixed(1)} s after start)`)
    })
  })

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      server.close()
      close().finally(() => process.exit(0))
    })
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runServer({ demandInBackground: process.argv.includes('--demand-in-background') })
