import { readFileSync, writeFileSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { migrate } from './migrate.ts'
import { DEFAULT_SEED_FILES, insertStations, seed } from './seed.ts'

// The product's own data: data/regions.geojson and data/demo/stations.geojson, as `npm start` loads them.
let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api?.close()
})

const count = async () => (await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station`)[0]!.n

describe('start-up on the real data', () => {
  it('loads every region with its GB/T 2260 code and current name', async () => {
    const { status, body } = await api.get('/api/regions')
    expect(status).toBe(200)
    const byCode = new Map(body.features.map((f: any) => [f.id, f.properties]))
    const expected: Record<string, string> = {
      '231100': '黑河市', '231102': '爱辉区', '231123': '逊克县', '231124': '孙吴县', '231181': '北安市',
      '231182': '五大连池市', '231183': '嫩江市', '370828': '金乡县', '361021': '南城县',
    }
    for (const [code, name] of Object.entries(expected)) expect((byCode.get(code) as any)?.name).toBe(name)
    const f = body.features.find((x: any) => x.id === '370828')
    expect(f.geometry.type).toBe('MultiPolygon')
    expect(f.properties).toMatchObject({ level: 'county', parent_code: '370800', focus: true })
  })

  it('puts every station inside the county its region_code names, by PostGIS', async () => {
    const rows = await api.sql<{ external_id: string; region_code: string; inside: boolean; found: string | null }[]>`
      SELECT s.external_id, s.region_code, ST_Intersects(r.geom, s.geom) AS inside,
             (SELECT c.code FROM region c WHERE c.level = 'county' AND ST_Intersects(c.geom, s.geom) LIMIT 1) AS found
        FROM station s JOIN region r ON r.code = s.region_code`
    expect(rows.length).toBe(await count())
    expect(rows.filter((r) => !r.inside || r.found !== r.region_code)).toEqual([])
  })

  it('has the programmes\' station counts for 金乡县 and demo-marks every station', async () => {
    const rows = await api.sql<{ kind: string; n: number }[]>`
      SELECT kind, count(*)::int AS n FROM station WHERE region_code = '370828' GROUP BY kind`
    const byKind = Object.fromEntries(rows.map((r) => [r.kind, r.n]))
    expect(byKind).toMatchObject({ service_centre: 3, red_sail: 16, rider_rest: 27 })
    const sources = await api.sql<{ source: string }[]>`SELECT DISTINCT source FROM station`
    expect(sources.map((s) => s.source)).toEqual(['demo'])
  })

  it('serves all four kinds in all three places', async () => {
    const { body } = await api.get('/api/stations')
    const kinds = new Set(body.features.map((f: any) => f.properties.kind))
    expect([...kinds].sort()).toEqual(['red_sail', 'rider_rest', 'service_centre', 'worksite'])
    const places = new Set(body.features.map((f: any) => f.properties.region_code.slice(0, 4)))
    expect([...places].sort()).toEqual(['2311', '3610', '3708'])
  })
})

describe('migrations and seeding', () => {
  it('are idempotent: a restart applies nothing twice and keeps edits', async () => {
    const before = await count()
    await api.sql`UPDATE station SET name = '已编辑' WHERE external_id = (SELECT min(external_id) FROM station)`
    expect(await migrate(api.sql)).toEqual([])
    await seed(api.sql, DEFAULT_SEED_FILES)
    expect(await count()).toBe(before)
    const [row] = await api.sql`SELECT count(*)::int AS n FROM station WHERE name = '已编辑'`
    expect(row!.n).toBe(1)
  })

  it('writes nothing when one station in a batch is rejected by the database', async () => {
    const before = await count()
    const good = { type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [116.3, 35.07] as [number, number] },
      properties: { external_id: 'x-1', kind: 'rider_rest' as const, name: '好', region_code: '370828', amenities: [], status: 'active' as const, source: 'import' as const } }
    const bad = { ...good, properties: { ...good.properties, external_id: 'x-2', region_code: '999999' } } // no such region
    await expect(insertStations(api.sql, [good, bad])).rejects.toThrow()
    expect(await count()).toBe(before)
  })

  it('refuses a malformed seed file before writing, naming the feature and field', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-seed-'))
    const file = join(dir, 'regions.geojson')
    const regions = JSON.parse(readFileSync(DEFAULT_SEED_FILES.regions, 'utf8'))
    regions.features[1].properties.code = '12'
    writeFileSync(file, JSON.stringify(regions))
    await expect(seed(api.sql, { regions: file })).rejects.toThrow(/features\.1\.properties\.code/)
    expect((await api.get('/api/regions')).body.features.length).toBe(regions.features.length)
  })
})
