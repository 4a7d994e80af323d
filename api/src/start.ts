import { createApp, type HttpPolicy } from './app.ts'
import { DEFAULT_AUTH, type AuthConfig } from './auth/config.ts'
import { ensureFirstAdmin } from './auth/first-admin.ts'
import { pruneRateLimits } from './db/rate-limit.ts'
import { pruneSessions } from './db/sessions.ts'
import { connect } from './db/connect.ts'
import { seedDemand } from './db/demand-seed.ts'
import { migrate } from './db/migrate.ts'
import { takeSetupLock } from './db/setup-lock.ts'
import { DEFAULT_LIMITS, type PlanningLimits } from './http/env.ts'
import { DEFAULT_SEED_FILES, seedRegionsAndStations, type SeedFiles } from './db/seed.ts'
import type { TiandituConfig } from './http/tianditu.ts'
import { WorkPool, type WorkOptions } from './work/work-pool.ts'
import { closeStationTiles } from './tiles/station-tiles.ts'
import { DatabaseProbe } from './db/liveness.ts'
import { NearestIndex } from './nearest/nearest-index.ts'

export interface StartOptions {
  databaseUrl?: string
  dataDir?: string
  schema?: string
  seedFiles?: SeedFiles
  basemapStyleUrl?: string
  basemapAttribution?: string
  /** the Tianditu basemap preset (TIANDITU_KEY …), or null */
  tianditu?: TiandituConfig | null
  limits?: Partial<PlanningLimits>
  auth?: Partial<AuthConfig>
  /** ADMIN_EMAIL + ADMIN_PASSWORD: create this admin at start-up when there is no admin yet */
  firstAdmin?: { email?: string; password?: string }
  /** worker threads and the per-request time budget for heavy planning work */
  work?: WorkOptions
  /** body limits and CORS origins */
  http?: Partial<HttpPolicy>
  log?: (msg: string) => void
  /**
   * Return before the bundled demand layers are loaded (the server: it listens meanwhile) instead of
   * after (default: tests and scripts get a complete database). Requests through the returned `fetch`
   * that read demand wait for the load; `demandReady` settles with it.
   */
  demandInBackground?: boolean
  /**
   * GET /api/nearest from the in-memory index (default; NEAREST_INDEX=knn turns it off) or from
   * PostGIS KNN only (`false`).
   */
  nearestIndex?: boolean
  /**
   * Return before the nearest index has loaded (the server: at 10^6 stations it takes tens of seconds;
   * /api/nearest answers by PostGIS KNN meanwhile) instead of after (default: tests and scripts).
   */
  nearestInBackground?: boolean
}

/** NEAREST_INDEX: `memory` (default) or `knn`. */
export function nearestIndexFromEnv(env: NodeJS.ProcessEnv): boolean {
  const v = env.NEAREST_INDEX || 'memory'
  if (v !== 'memory' && v !== 'knn') throw new Error(`NEAREST_INDEX: must be memory or knn, got "${v}"`)
  return v === 'memory'
}

/** Requests that read demand layers (or compute over them), which wait while the layers load. */
export function readsDemand(method: string, path: string): boolean {
  return /^\/api\/(demand|coverage|gaps|siting)(\/|$)/.test(path) || (method === 'POST' && path === '/api/scenarios')
}

/** Connects, migrates, seeds and builds the app: everything the server and the tests share. */
export async function startApi(options: StartOptions = {}) {
  const log = options.log ?? (() => {})
  const t0 = performance.now()
  const files = options.seedFiles ?? DEFAULT_SEED_FILES
  const db = await connect({ databaseUrl: options.databaseUrl || undefined, dataDir: options.dataDir, schema: options.schema, log })
  const loadDemand = async () => {
    const t1 = performance.now()
    if (files.demand) await seedDemand(db.sql, files.demand, log, { firstLoadInBatches: options.demandInBackground })
    return performance.now() - t1
  }
  let demandReady: Promise<void>
  let nearest: NearestIndex | undefined
  let releaseSetup: () => Promise<void> = async () => {}
  try {
    // several API processes on one PostgreSQL: one sets the database up while the others wait
    releaseSetup = await takeSetupLock(db.sql, db.mode, options.schema, log)
    await migrate(db.sql, log)
    await seedRegionsAndStations(db.sql, files, log)
    await ensureFirstAdmin(db.sql, options.firstAdmin ?? {}, log)
    // housekeeping: sessions that can no longer be used, rate-limit windows long over
    await pruneSessions(db.sql, { ...DEFAULT_AUTH, ...options.auth }.sessionIdleMs)
    await pruneRateLimits(db.sql)
    if (options.nearestIndex ?? true) {
      const t1 = performance.now()
      const index = NearestIndex.start(db.sql, { log })
      nearest = index
      const loaded = index.loaded.then(() => log(`nearest index: ${index.size} active stations in memory (${Math.round(performance.now() - t1)} ms)`))
      if (options.nearestInBackground) {
        log('nearest index: loading in the background; /api/nearest answers from PostGIS until it is ready')
        loaded.catch(() => {}) // logged by the index, which retries
      } else await loaded
    }
    if (options.demandInBackground) {
      log(`database (${db.mode}) ready in ${Math.round(performance.now() - t0)} ms; demand layers load in the background (demand, coverage, gaps, siting and saving scenarios wait for them)`)
      demandReady = loadDemand()
        .then((ms) => log(`demand layers ready (${Math.round(ms)} ms)`))
        .finally(() => releaseSetup())
    } else {
      await loadDemand()
      await releaseSetup()
      log(`database (${db.mode}) ready in ${Math.round(performance.now() - t0)} ms`)
      demandReady = Promise.resolve()
    }
  } catch (err) {
    nearest?.close()
    await releaseSetup().catch(() => {})
    await db.close()
    throw err
  }
  const work = new WorkPool(options.work)
  // /api/health reports the PostGIS version from this first ping on, without a query of its own
  const probe = new DatabaseProbe(db.sql, db.alive)
  await probe.check(10_000)
  const app = createApp({
    sql: db.sql,
    database: db.mode,
    config: {
      basemapStyleUrl: options.basemapStyleUrl || null,
      basemapAttribution: options.basemapAttribution || null,
      tianditu: options.tianditu ?? null,
    },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    auth: { ...DEFAULT_AUTH, ...options.auth },
    work,
    probe,
    nearest,
  }, options.http)
  /** app.fetch, holding requests that read demand until the layers are loaded. */
  const fetch: typeof app.fetch = (request, ...rest) =>
    readsDemand(request.method, new URL(request.url).pathname) ? demandReady.then(() => app.fetch(request, ...rest)) : app.fetch(request, ...rest)
  return {
    app,
    fetch,
    demandReady,
    sql: db.sql,
    database: db.mode,
    work,
    nearest,
    async close() {
      nearest?.close()
      await work.close()
      await closeStationTiles(db.sql)
      await db.close()
    },
  }
}
