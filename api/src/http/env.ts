import type { Sql } from '../db/connect.ts'

/** What every handler can reach through `c.var`. */
export interface AppDeps {
  sql: Sql
  database: 'embedded' | 'external'
  config: {
    basemapStyleUrl: string | null
    basemapAttribution: string | null
  }
}

export type AppEnv = { Variables: { deps: AppDeps } }
