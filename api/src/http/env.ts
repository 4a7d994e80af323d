import type { AuthConfig } from '../auth/config.ts'
import type { Principal } from '../auth/principal.ts'
import type { Sql } from '../db/connect.ts'
import type { WorkPool } from '../work/work-pool.ts'

/** What every handler can reach through `c.var`. */
export interface AppDeps {
  sql: Sql
  database: 'embedded' | 'external'
  config: {
    basemapStyleUrl: string | null
    basemapAttribution: string | null
  }
  /** Work bounds: a request that would exceed one gets 413 naming the limit, not a hung server. */
  limits: PlanningLimits
  /** sessions, sign-in limits, proxy trust (DEFAULT_AUTH when absent) */
  auth?: AuthConfig
  /** worker threads for siting, gaps and large coverage, each task under a time budget */
  work: WorkPool
}

export interface PlanningLimits {
  /** demand items one /demand response or coverage/gaps/siting request may hold (~100k points ≈ 10 MB of GeoJSON) */
  maxDemandItems: number
  /** candidate sites one siting request may weigh */
  maxCandidates: number
  /** new sites one siting request may place */
  maxSites: number
}

export const DEFAULT_LIMITS: PlanningLimits = { maxDemandItems: 150_000, maxCandidates: 20_000, maxSites: 100 }

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
