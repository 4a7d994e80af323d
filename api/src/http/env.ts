import type { AuthConfig } from '../auth/config.ts'
import type { Principal } from '../auth/principal.ts'
import type { Sql } from '../db/connect.ts'
import type { DatabaseProbe } from '../db/liveness.ts'
import type { NearestIndex } from '../nearest/nearest-index.ts'
import type { WorkPool } from '../work/work-pool.ts'
import type { TiandituConfig } from './tianditu.ts'
import { DEFAULT_PLANNING_MEMORY_MB } from '../planning/memory-budget.ts'

/** What every handler can reach through `c.var`. */
export interface AppDeps {
  sql: Sql
  database: 'embedded' | 'external'
  config: {
    basemapStyleUrl: string | null
    basemapAttribution: string | null
    /** TIANDITU_KEY set: every page uses the Tianditu basemap (http/tianditu.ts) */
    tianditu?: TiandituConfig | null
  }
  /** Work bounds: a request that would exceed one gets 413 naming the limit, not a hung server. */
  limits: PlanningLimits
  /** sessions, sign-in limits, proxy trust (DEFAULT_AUTH when absent) */
  auth?: AuthConfig
  /** worker threads for siting, gaps and large coverage, each task under a time budget */
  work: WorkPool
  /** /api/health's ping that never waits behind a long query (default: one per `sql`) */
  probe?: DatabaseProbe
  /** the in-memory nearest index kept in sync with the station table; absent: /api/nearest asks PostGIS */
  nearest?: NearestIndex
}

export interface PlanningLimits {
  /**
   * bytes one /demand response or coverage/gaps/siting request may hold, estimated from its row counts
   * before reading (planning/memory-budget.ts); coverage and gaps running at once share it (env PLANNING_MEMORY_MB)
   */
  planningMemoryBytes: number
  /** coverage/gaps demand rows up to which the per-layer cache serves them (default 150 000); beyond, sliced reads (tests lower both) */
  cachedDemandRows?: number
  /** rows per sliced read (default 50 000) */
  demandSliceRows?: number
  /** candidate sites one siting request may weigh */
  maxCandidates: number
  /** new sites one siting request may place */
  maxSites: number
}

export const DEFAULT_LIMITS: PlanningLimits = { planningMemoryBytes: DEFAULT_PLANNING_MEMORY_MB * 2 ** 20, maxCandidates: 20_000, maxSites: 100 }

/** `principal`: who is asking (null = anonymous), set by auth/authenticate.ts on every request. */
export type AppEnv = {
  Variables: {
    deps: AppDeps
    principal: Principal | null
    /** set by http/json-text.ts when a JSON body's bytes are not UTF-8: the offset of the first bad byte */
    bodyNotUtf8?: number
    /** set by http/json-text.ts: where in a JSON body a string holds an unpaired surrogate escape (\ud800) */
    bodyUnpairedSurrogate?: (string | number)[]
  }
}
