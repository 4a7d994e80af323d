import type { Sql } from './connect.ts'

export type DatabaseState = 'ready' | 'busy' | 'down'

export interface Liveness {
  state: DatabaseState
  /** PostGIS library version, as last read (cached: it does not change while the server runs) */
  postgis: string
}

/** How long /api/health waits for the database's answer before it reports `busy`. */
export const PING_WAIT_MS = 50

/** A ping answered this recently stands for the database's state without waiting for another. */
export const FRESH_MS = 1000

/**
 * Answers "is the database there?" without queueing behind a long statement: the embedded database
 * serves one connection, so a ping waits for whatever runs on it (a 50 km station query, a demand
 * read). The probe keeps at most one ping in flight and starts one on every check when none is.
 * A check answers at once from a ping that came back within the last second — `busy` instead when
 * the ping now in flight has waited longer than `waitMs`; otherwise it waits up to `waitMs` for the
 * ping and says `busy` if it has not come back (the ping stays queued and, when it lands, refreshes
 * the state). A ping that fails (connection refused, the database thread gone) is `down`.
 * The PostGIS version rides on the ping, so it is cached and never needs a query of its own.
 */
export class DatabaseProbe {
  private postgis = 'unknown'
  private pending: Promise<DatabaseState> | null = null
  private pendingSince = 0
  private last: { state: DatabaseState; at: number } | null = null

  constructor(
    private readonly sql: Sql,
    /** false once the database is known to be gone (the embedded thread ended) */
    private readonly alive: () => boolean = () => true,
  ) {}

  async check(waitMs = PING_WAIT_MS): Promise<Liveness> {
    if (!this.alive()) return { state: 'down', postgis: this.postgis }
    const now = performance.now()
    if (!this.pending) {
      this.pendingSince = now
      this.pending = this.ping().finally(() => { this.pending = null })
    }
    const pending = this.pending
    if (this.last && now - this.last.at < FRESH_MS) {
      const waited = now - this.pendingSince
      return { state: this.last.state === 'ready' && waited > waitMs ? 'busy' : this.last.state, postgis: this.postgis }
    }
    let timer: NodeJS.Timeout | undefined
    const busy = new Promise<DatabaseState>((resolve) => { timer = setTimeout(() => resolve('busy'), waitMs) })
    const state = await Promise.race([pending, busy]).finally(() => clearTimeout(timer))
    return { state, postgis: this.postgis }
  }

  private async ping(): Promise<DatabaseState> {
    let state: DatabaseState
    try {
      const [row] = await this.sql<{ v: string }[]>`SELECT postgis_lib_version() AS v`
      this.postgis = row?.v ?? 'unknown'
      state = 'ready'
    } catch {
      state = 'down'
    }
    this.last = { state, at: performance.now() }
    return state
  }
}

const probes = new WeakMap<Sql, DatabaseProbe>()

/** The one probe of a connection pool (so concurrent health checks share one ping). */
export function probeOf(sql: Sql, alive?: () => boolean): DatabaseProbe {
  let p = probes.get(sql)
  if (!p) probes.set(sql, (p = new DatabaseProbe(sql, alive)))
  return p
}
