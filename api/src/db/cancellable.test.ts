/**
 * Every query is bounded: a statement timeout on each connection (STATEMENT_TIMEOUT_MS) and, when the
 * HTTP client goes away, the route's query is cancelled in the server. PostgreSQL enforces both; the
 * embedded PGlite runs each statement to its end (see README "Scale"), so the server-side checks run on
 * PostgreSQL only (CI runs this file on both).
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { cancellable } from './cancellable.ts'
import { connect } from './connect.ts'
import { isStatementTimeout } from './statement-timeout.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }
const external = Boolean(process.env.DATABASE_URL)
let api: Awaited<ReturnType<typeof startTestApi>>

beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
})
afterAll(async () => {
  await api?.close()
})

async function until(check: () => Promise<boolean>, ms = 10_000) {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 50))
  }
  return false
}

describe('cancellable', () => {
  it('returns the rows when nothing aborts', async () => {
    const rows = await cancellable(api.sql`SELECT 1 AS one`, new AbortController().signal)
    expect(rows).toEqual([{ one: 1 }])
  })

  it('never sends a query whose request was already aborted', async () => {
    const ac = new AbortController()
    ac.abort(new Error('client left'))
    const marker = `never-sent-${Math.random()}`
    await expect(cancellable(api.sql`SELECT ${marker}::text AS m`, ac.signal)).rejects.toThrow('client left')
    if (external) {
      const seen = await api.sql`SELECT 1 FROM pg_stat_activity WHERE query LIKE ${'%never-sent%'} AND pid <> pg_backend_pid()`
      expect(seen.length).toBe(0)
    }
  })
})

describe.skipIf(!external)('on PostgreSQL', () => {
  it('sets the statement timeout on every connection and cancels a statement that runs longer', async () => {
    const [row] = await api.sql<{ statement_timeout: string }[]>`SHOW statement_timeout`
    expect(row!.statement_timeout).toBe('15s')
    const db = await connect({ databaseUrl: process.env.DATABASE_URL, statementTimeoutMs: 200 })
    try {
      const t0 = performance.now()
      await expect(db.sql`SELECT pg_sleep(5)`).rejects.toMatchObject({ code: '57014' })
      expect(performance.now() - t0).toBeLessThan(3000)
    } finally {
      await db.close()
    }
  })

  it('tells a statement timeout (503 over_budget) from a cancelled query', async () => {
    const timedOut = await api.sql
      .begin(async (tx) => {
        await tx`SET LOCAL statement_timeout = 50`
        await tx`SELECT pg_sleep(2)`
      })
      .catch((e: unknown) => e)
    expect(isStatementTimeout(timedOut)).toBe(true)
    const ac = new AbortController()
    const running = cancellable(api.sql`SELECT pg_sleep(2)`, ac.signal).catch((e: unknown) => e)
    await until(async () => (await api.sql`SELECT 1 FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(2)' AND state = 'active'`).length > 0)
    ac.abort(new Error('client disconnected'))
    const cancelled = await running
    expect(cancelled).toMatchObject({ message: 'client disconnected' })
    expect(isStatementTimeout(cancelled)).toBe(false)
  })

  it('cancels the query of a /api/nearest request whose client disconnected', async () => {
    // Hold a lock on station from another connection so the route's query waits in the server, visibly.
    const schema = (await api.sql<{ s: string }[]>`SELECT current_schema() AS s`)[0]!.s
    const locker = postgres(process.env.DATABASE_URL!, { max: 1, onnotice: () => {}, connection: { search_path: `${schema},public` } })
    let release!: () => void
    const released = new Promise<void>((r) => (release = r))
    const holding = locker.begin(async (tx) => {
      await tx`LOCK TABLE station IN ACCESS EXCLUSIVE MODE`
      await released
    })
    try {
      await until(async () => (await api.sql`SELECT 1 FROM pg_locks l JOIN pg_class c ON c.oid = l.relation WHERE c.relname = 'station' AND l.mode = 'AccessExclusiveLock' AND l.granted AND c.relnamespace = ${schema}::regnamespace`).length > 0)
      const ac = new AbortController()
      const response = api.request('/api/nearest?lon=116.01&lat=35.05&limit=3&engine=knn', { signal: ac.signal }) // the PostGIS path: the in-memory index has no query to cancel
      const waiting = () => api.sql`SELECT pid FROM pg_stat_activity WHERE state = 'active' AND wait_event_type = 'Lock' AND query LIKE ${'%FROM station%ORDER BY geography(station.geom) <->%'}`
      expect(await until(async () => (await waiting()).length === 1)).toBe(true)
      ac.abort(new Error('client disconnected'))
      // the server drops the statement at once, although the lock is still held
      expect(await until(async () => (await waiting()).length === 0, 5_000)).toBe(true)
      const res = await response
      expect(res.status).toBeGreaterThanOrEqual(500)
    } finally {
      release()
      await holding
      await locker.end()
    }
  })
})
