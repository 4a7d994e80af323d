/**
 * A database connection killed in the middle of applying an import leaves nothing written: the
 * import is one transaction, so PostgreSQL rolls all of it back. Needs a real server (DATABASE_URL):
 * the embedded database has one in-process connection that cannot be terminated from outside.
 */
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoPath } from '../paths.ts'
import { addAccount, signIn } from '../../test/accounts.ts'
import { postImport, tablesChecksum } from '../../test/import-helpers.ts'
import { startTestApi } from '../../test/test-app.ts'

const url = process.env.DATABASE_URL

describe.skipIf(!url)('an import whose connection is killed mid-apply', () => {
  let api: Awaited<ReturnType<typeof startTestApi>>
  let cookie: string
  beforeAll(async () => {
    api = await startTestApi({ seedFiles: { regions: repoPath('data/regions.geojson'), demoStations: repoPath('data/demo/stations.geojson') } })
    await addAccount(api, 'kill-admin@example.org', 'admin')
    cookie = await signIn(api, 'kill-admin@example.org')
  }, 60_000)
  afterAll(async () => {
    await api?.close()
  })

  it('writes nothing: pg_terminate_backend from another connection once the apply has written rows', async () => {
    const app = (await api.sql<{ app: string }[]>`SELECT current_setting('application_name') AS app`)[0]!.app
    // 10,000 rows on a grid inside 金乡县, ≈ 110 m apart (the seat's built-up area has no demo worksite)
    const rows = Array.from({ length: 10_000 }, (_, i) => `K-${i},杀连接${i},worksite,${(116.2 + (i % 100) * 0.0012).toFixed(5)},${(34.95 + Math.floor(i / 100) * 0.001).toFixed(5)}\r\n`)
    const bytes = new TextEncoder().encode(`external_id,name,kind,lon,lat\r\n${rows.join('')}`)
    const dry = await postImport(api, cookie, 'kill.csv', bytes)
    expect(dry.body.rejected, JSON.stringify(dry.body.rows.find((r: any) => r.errors))).toBe(0)
    const before = await tablesChecksum(api)
    const killer = postgres(url!, { max: 1, onnotice: () => {} })
    let killed = 0
    const pending = postImport(api, cookie, 'kill.csv', bytes, { dry_run: 'false' })
    const deadline = Date.now() + 60_000
    let settled = false
    void pending.finally(() => (settled = true))
    while (!killed && !settled && Date.now() < deadline) {
      // backend_xid is set once the transaction has written something
      const hit = await killer<{ pid: number }[]>`SELECT pid FROM pg_stat_activity WHERE application_name = ${app} AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()`
      for (const h of hit) {
        await killer`SELECT pg_terminate_backend(${h.pid})`
        killed++
      }
      if (!killed) await new Promise((r) => setTimeout(r, 5))
    }
    await killer.end()
    const res = await pending
    expect(killed).toBeGreaterThan(0)
    expect(res.status).toBe(500)
    expect(await tablesChecksum(api)).toBe(before)
    const n = (await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station WHERE external_id LIKE 'K-%'`)[0]!.n
    expect(n).toBe(0)
    expect((await api.request('/api/health')).status).toBe(200)
  }, 120_000)
})
