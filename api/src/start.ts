import { createApp } from './app.ts'
import { DEFAULT_AUTH, type AuthConfig } from './auth/config.ts'
import { ensureFirstAdmin } from './auth/first-admin.ts'
import { pruneRateLimits } from './db/rate-limit.ts'
import { pruneSessions } from './db/sessions.ts'
import { connect } from './db/connect.ts'
import { migrate } from './db/migrate.ts'
import { DEFAULT_LIMITS, type PlanningLimits } from './http/env.ts'
import { DEFAULT_SEED_FILES, seed, type SeedFiles } from './db/seed.ts'

export interface StartOptions {
  databaseUrl?: string
  dataDir?: string
  schema?: string
  seedFiles?: SeedFiles
  basemapStyleUrl?: string
  basemapAttribution?: string
  limits?: Partial<PlanningLimits>
  auth?: Partial<AuthConfig>
  /** ADMIN_EMAIL + ADMIN_PASSWORD: create this admin at start-up when there is no admin yet */
  firstAdmin?: { email?: string; password?: string }
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
    await ensureFirstAdmin(db.sql, options.firstAdmin ?? {}, log)
    // housekeeping: sessions that can no longer be used, rate-limit windows long over
    await pruneSessions(db.sql, { ...DEFAULT_AUTH, ...options.auth }.sessionIdleMs)
    await pruneRateLimits(db.sql)
  } catch (err) {
    await db.close()
    throw err
  }
  log(`database (${db.mode}) ready in ${Math.round(performance.now() - t0)} ms`)
  const app = createApp({
    sql: db.sql,
    database: db.mode,
    config: {
      basemapStyleUrl: options.basemapStyleUrl || null,
      basemapAttribution: options.basemapAttribution || null,
    },
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    auth: { ...DEFAULT_AUTH, ...options.auth },
  })
  return { app, sql: db.sql, database: db.mode, close: db.close }
}
