import { createApp, type HttpPolicy } from './app.ts'
import { connect } from './db/connect.ts'
import { migrate } from './db/migrate.ts'
import { DEFAULT_LIMITS, type PlanningLimits } from './http/env.ts'
import { DEFAULT_SEED_FILES, seed, type SeedFiles } from './db/seed.ts'
import { WorkPool, type WorkOptions } from './work/work-pool.ts'

export interface StartOptions {
  databaseUrl?: string
  dataDir?: string
  schema?: string
  seedFiles?: SeedFiles
  basemapStyleUrl?: string
  basemapAttribution?: string
  limits?: Partial<PlanningLimits>
  /** worker threads and the per-request time budget for heavy planning work */
  work?: WorkOptions
  /** body limits and CORS origins */
  http?: Partial<HttpPolicy>
  log?: (msg: string) => void
}

/** Connects, migrates, seeds and builds the app: everything the server and the tests share. */
export async function startApi(options: StartOptions = {}) {
  const log = options.log ?? (() => {})
  const t0 = performance.now()
  const db = await connect({ databaseUrl: options.databaseUrl || undefined, dataDir: options.dataDir, schema: options.schema, log })
  try {
    await migrate(db.sql, log)
    await seed(db.sql, options.seedFiles ?? DEFAULT_SEED_FILES, log)
  } catch (err) {
    await db.close()
    throw err
  }
  log(`database (${db.mode}) ready in ${Math.round(performance.now() - t0)} ms`)
  const work = new WorkPool(options.work)
  const app = createApp({
    sql: db.sql,
    database: db.mode,
    config: {
      basemapStyleUrl: options.basemapStyleUrl || null,
      basemapAttribution: options.basemapAttribution || null,
    },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    work,
  }, options.http)
  return {
    app,
    sql: db.sql,
    database: db.mode,
    work,
    async close() {
      await work.close()
      await db.close()
    },
  }
}
