import type { Sql } from './connect.ts'

export type DatabaseState = 'ready' | 'busy' | 'down'

export interface Liveness {
  state: DatabaseState
  /** PostGIS library version, as last read (cached: it does not change while the server runs) */
  postgis: string
}

/** How long /api/health waits for the database's answer before it reports `busy`. */
export const PING_WAIT_MS = 50

/**
 * Answers "is the database there?" without queueing behind a long statement: the embedded database
 * serves one connection, so a ping waits for whatever runs on it (a 50 km station query, a demand
 * read). The probe sends at most one ping at a time; a caller waits up to `waitMs` for it and is told
 * `busy` if it has not come back — the ping stays queued and, when it lands, refreshes the state for
 * the next caller. A ping that fails (connection refused, the database thread gone) is `down`.
 * The PostGIS version rides on the ping, so it is cached and never needs a query of its own.
 */
export class DatabaseProbe {
  private postgis = 'unknown'
  private pending: Promise<DatabaseState> | null = null

  constructor(
    private readonly sql: Sql,
    /** false once the database is known to be gone (the embedded thread ended) */
    private readonly alive: () => boolean = () => true,
  ) {}

  async check(waitMs = PING_WAIT_MS): Promise<Liveness> {
    if (!this.alive()) return { state: 'down', postgis: this.postgis }
    this.pending ??= this.ping().finally(() => { this.pending = null })
    let timer: NodeJS.Timeout | undefined
    const busy = new Promise<DatabaseState>((resolve) => { timer = setTimeout(() => resolve('busy'), waitMs) })
    const state = await Promise.race([this.pending, busy]).finally(() => clearTimeout(timer))
    return { state, postgis: this.postgis }
  }

  private async ping(): Promise<DatabaseState> {
    try {
      const [row] = await this.sql<{ v: string }[]>`SELECT postgis_lib_version() AS v`
      this.postgis = row?.v ?? 'unknown'
      return 'ready'
    } catch {
      return 'down'
    }
  }
}

const probes = new WeakMap<Sql, DatabaseProbe>()

/** The one probe of a connection pool (so concurrent health checks share one ping). */
export function probeOf(sql: Sql, alive?: () => boolean): DatabaseProbe {
  let p = probes.get(sql)
  if (!p) probes.set(sql, (p = new DatabaseProbe(sql, alive)))
  return p
}
