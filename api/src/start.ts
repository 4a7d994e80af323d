import { createApp, type HttpPolicy } from './app.ts'
import { DEFAULT_AUTH, type AuthConfig } from './auth/config.ts'
import { ensureFirstAdmin } from './auth/first-admin.ts'
import { pruneRateLimits } from './db/rate-limit.ts'
import { pruneSessions } from './db/sessions.ts'
import { connect } from './db/connect.ts'
import { seedDemand } from './db/demand-seed.ts'
import { migrate } from './db/migrate.ts'
import { DEFAULT_LIMITS, type PlanningLimits } from './http/env.ts'
import { DEFAULT_SEED_FILES, seedRegionsAndStations, type SeedFiles } from './db/seed.ts'
import type { TiandituConfig } from './http/tianditu.ts'
import { WorkPool, type WorkOptions } from './work/work-pool.ts'

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
  try {
    await migrate(db.sql, log)
    await seedRegionsAndStations(db.sql, files, log)
    await ensureFirstAdmin(db.sql, options.firstAdmin ?? {}, log)
    // housekeeping: sessions that can no longer be used, rate-limit windows long over
    await pruneSessions(db.sql, { ...DEFAULT_AUTH, ...options.auth }.sessionIdleMs)
    await pruneRateLimits(db.sql)
    if (options.demandInBackground) {
      log(`database (${db.mode}) ready in ${Math.round(performance.now() - t0)} ms; demand layers load in the background (demand, coverage, gaps, siting and saving scenarios wait for them)`)
      demandReady = loadDemand().then((ms) => log(`demand layers ready (${Math.round(ms)} ms)`))
    } else {
      await loadDemand()
      log(`database (${db.mode}) ready in ${Math.round(performance.now() - t0)} ms`)
      demandReady = Promise.resolve()
    }
  } catch (err) {
    await db.close()
    throw err
  }
  const work = new WorkPool(options.work)
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
    async close() {
      await work.close()
      await db.close()
    },
  }
}
