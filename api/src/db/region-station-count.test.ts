/**
 * /api/regions reads station counts from region_station_count (migration 009), kept by triggers on
 * station instead of counted per request: after every kind of write the counts must equal a fresh count.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/stations.geojson' }
let api: Awaited<ReturnType<typeof startTestApi>>

beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
})
afterAll(async () => {
  await api?.close()
})

/**
 * station_count per region code as /api/regions serves it; on the way, checks that /api/regions/summary
 * (region_kind_count, migration 016) gives the same totals and exact per-kind and demo counts.
 */
async function served(): Promise<Record<string, number>> {
  const { status, body } = await api.get('/api/regions')
  expect(status).toBe(200)
  const totals = Object.fromEntries(body.features.map((f: any) => [f.id, f.properties.station_count]))
  const summary = await api.get('/api/regions/summary')
  expect(summary.status).toBe(200)
  expect(Object.fromEntries(summary.body.features.map((f: any) => [f.id, f.properties.station_count]))).toEqual(totals)
  expect(summary.body.features.every((f: any) => f.geometry === null && f.bbox.length === 4 && f.bbox[0] <= f.bbox[2])).toBe(true)
  const own = Object.fromEntries(summary.body.features.map((f: any) => [f.id, { ...f.properties.own_station_counts, demo: f.properties.own_demo_count }]))
  const rows = await api.sql<{ code: string; kind: string; n: number; demo: number }[]>`
    SELECT r.code, s.kind, count(*)::int AS n, count(*) FILTER (WHERE s.source IN ('demo', 'demo-scale'))::int AS demo
      FROM region r JOIN station s ON s.region_code = r.code AND s.status <> 'retired'
     GROUP BY r.code, s.kind`
  const fresh: Record<string, Record<string, number>> = Object.fromEntries(summary.body.features.map((f: any) => [f.id, { demo: 0 }]))
  for (const r of rows) {
    fresh[r.code]![r.kind] = r.n
    fresh[r.code]!.demo! += r.demo
  }
  expect(own).toEqual(fresh)
  return totals
}

/** The same figures by counting station directly (planned and active; a city counts its counties). */
async function counted(): Promise<Record<string, number>> {
  const rows = await api.sql<{ code: string; n: number }[]>`
    SELECT r.code, (SELECT count(*)::int FROM station s
                     WHERE s.status <> 'retired'
                       AND (s.region_code = r.code OR s.region_code IN (SELECT c.code FROM region c WHERE c.parent_code = r.code))) AS n
      FROM region r ORDER BY r.code`
  return Object.fromEntries(rows.map((r) => [r.code, r.n]))
}

const insert = (n: number, region: string | null, status = 'active', prefix = 'count') => api.sql`
  INSERT INTO station (external_id, kind, name, region_code, geom, status, source)
  SELECT ${prefix} || '-' || i, 'rider_rest', 'count test ' || i, ${region}, ST_SetSRID(ST_MakePoint(100.1, 10.1), 4326), ${status}, 'manual'
    FROM generate_series(1, ${n}) AS i`

describe('region station counts', () => {
  it('match a fresh count for the seeded stations', async () => {
    const now = await served()
    expect(now).toEqual(await counted())
    expect(now['990100']).toBe(now['990101']! + now['990102']!)
  })

  it('stay exact through inserts, status changes, moves between counties, deletes and upserts', async () => {
    const before = await served()
    await insert(30, '990101')
    await insert(5, '990102', 'planned', 'planned')
    await insert(7, '990102', 'retired', 'retired')
    await insert(4, null, 'active', 'uncoded')
    let now = await served()
    expect(now['990101']).toBe(before['990101']! + 30)
    expect(now['990102']).toBe(before['990102']! + 5)
    expect(now).toEqual(await counted())

    // retire some, un-retire others, move some to the other county, in single statements
    await api.sql`UPDATE station SET status = 'retired' WHERE external_id IN ('count-1', 'count-2', 'count-3')`
    await api.sql`UPDATE station SET status = 'active' WHERE source = 'manual' AND status = 'retired'`
    await api.sql`UPDATE station SET region_code = '990102' WHERE external_id IN ('count-4', 'count-5')`
    await api.sql`UPDATE station SET region_code = NULL WHERE external_id = 'count-6'`
    await api.sql`UPDATE station SET name = name || ' renamed' WHERE source = 'manual'`
    await api.sql`UPDATE station SET kind = 'worksite' WHERE external_id IN ('count-8', 'count-9')`
    expect(await served()).toEqual(await counted())

    // an upsert (insert … on conflict do update) both inserts and updates in one statement
    await api.sql`
      INSERT INTO station (external_id, kind, name, region_code, geom, status, source)
      VALUES ('count-7', 'rider_rest', 'moved by upsert', '990102', ST_SetSRID(ST_MakePoint(100.1, 10.1), 4326), 'active', 'manual'),
             ('count-new', 'rider_rest', 'new by upsert', '990101', ST_SetSRID(ST_MakePoint(100.1, 10.1), 4326), 'active', 'manual')
      ON CONFLICT (source, external_id) DO UPDATE SET region_code = excluded.region_code`
    expect(await served()).toEqual(await counted())

    await api.sql`DELETE FROM station WHERE source = 'manual' AND region_code = '990101'`
    now = await served()
    expect(now['990101']).toBe(before['990101']) // every manual row of 990101 is gone, count-new included
    expect(now).toEqual(await counted())

    await api.sql`DELETE FROM station WHERE source = 'manual'`
    expect(await served()).toEqual(before)
  })

  it('roll back with the transaction that wrote', async () => {
    const before = await served()
    await expect(
      api.sql.begin(async (tx) => {
        await tx`INSERT INTO station (kind, name, region_code, geom, source) VALUES ('worksite', 'rolled back', '990101', ST_SetSRID(ST_MakePoint(100.1, 10.1), 4326), 'manual')`
        throw new Error('abort the transaction')
      }),
    ).rejects.toThrow('abort the transaction')
    expect(await served()).toEqual(before)
  })
})
