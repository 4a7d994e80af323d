/**
 * Coverage, gaps and siting against the real database with the bundled data, and every figure
 * checked against PostGIS on the same rows: ST_DWithin / ST_Distance on geography, on the sphere.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createApp } from '../app.ts'
import { KIND_INFO } from '../core/station-kinds.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { addAccount, asSession, signIn } from '../../test/accounts.ts'
import { startTestApi } from '../../test/test-app.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
const JINXIANG = '370828'

beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api?.close()
})

/** Covered and total population of a county by one SQL query: the baseline our core must equal. */
async function postgisCoverage(region: string, kind: string | null, radius: number | null, extra: [number, number][] = [], extraRadius = 0) {
  const [row] = await api.sql<{ covered: number; total: number }[]>`
    WITH s AS (
      SELECT geography(geom) AS g, coalesce(${radius}::float8, radius_m, CASE kind
               WHEN 'service_centre' THEN ${KIND_INFO.service_centre.radius_m}::float8 WHEN 'red_sail' THEN ${KIND_INFO.red_sail.radius_m}::float8
               WHEN 'rider_rest' THEN ${KIND_INFO.rider_rest.radius_m}::float8 ELSE ${KIND_INFO.worksite.radius_m}::float8 END) AS r
        FROM station WHERE status = 'active' AND (${kind}::text IS NULL OR kind = ${kind})
      UNION ALL
      SELECT geography(ST_SetSRID(ST_MakePoint(x[1], x[2]), 4326)), ${extraRadius}::float8
        FROM jsonb_array_elements(${api.sql.json(extra)}::jsonb) e, LATERAL (SELECT ARRAY[(e->>0)::float8, (e->>1)::float8] AS x) p
    )
    SELECT coalesce(sum(d.weight) FILTER (WHERE EXISTS (SELECT 1 FROM s WHERE ST_DWithin(s.g, geography(d.geom), s.r, false))), 0)::float8 AS covered,
           sum(d.weight)::float8 AS total
      FROM demand_item d
     WHERE d.layer_id = 'population' AND d.region_code = ${region}`
  return row!
}

describe('GET /api/coverage', () => {
  test('equals PostGIS ST_DWithin on geography for rider rest stops in 金乡县', async () => {
    const { status, body } = await api.get(`/api/coverage?region=${JINXIANG}&kind=rider_rest`)
    expect(status).toBe(200)
    const pg = await postgisCoverage(JINXIANG, 'rider_rest', null)
    expect(body.total).toBeCloseTo(pg.total, 6)
    expect(body.covered).toBeCloseTo(pg.covered, 6)
    expect(body.covered).toBeGreaterThan(0)
    expect(body.ratio).toBeCloseTo(pg.covered / pg.total, 12)
    expect(body.by_region).toEqual([{ code: JINXIANG, covered: body.covered, total: body.total, ratio: body.ratio }])
    expect(body.layer).toMatchObject({ id: 'population', modelled: true })
    expect(body).toMatchObject({ kind: ['rider_rest'], radius_m: null, at: null, resolution: 9 })
  })

  test('equals PostGIS for every kind with one radius for all', async () => {
    const { body } = await api.get(`/api/coverage?region=${JINXIANG}&radius_m=800`)
    const pg = await postgisCoverage(JINXIANG, null, 800)
    expect(body.covered).toBeCloseTo(pg.covered, 6)
    expect(body.radius_m).toBe(800)
  })

  test('a city counts its counties and defaults to resolution 8, keeping the total', async () => {
    const { status, body } = await api.get('/api/coverage?region=231100&kind=worksite')
    expect(status).toBe(200)
    expect(body.resolution).toBe(8)
    expect(body.by_region.length).toBeGreaterThan(1)
    expect(body.by_region.every((r: { code: string }) => r.code.startsWith('2311'))).toBe(true)
    const [{ total }] = (await api.sql<{ total: number }[]>`
      SELECT sum(weight)::float8 AS total FROM demand_item WHERE layer_id = 'population' AND region_code LIKE '2311%'`) as unknown as [{ total: number }]
    expect(body.total).toBeCloseTo(total, 3)
  })

  test('at a time of day counts only the stations open then', async () => {
    const all = (await api.get(`/api/coverage?region=${JINXIANG}`)).body
    const night = (await api.get(`/api/coverage?region=${JINXIANG}&at=2026-11-26T02:00:00%2B08:00`)).body
    expect(night.at).toBe('2026-11-25T18:00:00.000Z')
    expect(night.stations.counted + night.stations.closed + night.stations.unknown_hours).toBe(all.stations.counted)
    expect(night.stations.closed).toBeGreaterThan(0)
    expect(night.covered).toBeLessThan(all.covered)
    expect((await api.get(`/api/coverage?region=${JINXIANG}&at=14:30`)).status).toBe(200)
  })

  test('rejects bad parameters with 400 naming the field and the rule', async () => {
    for (const [query, field, rule] of [
      ['kind=rider_rest', 'region', ''],
      [`region=${JINXIANG}&radius_m=-5`, 'radius_m', 'must be > 0'],
      [`region=${JINXIANG}&at=25:00`, 'at', 'HH:mm'],
      [`region=${JINXIANG}&kind=bus_stop`, 'kind', 'unknown kind'],
      [`region=${JINXIANG}&resolution=12`, 'resolution', 'must be ≤ 9'],
      [`region=${JINXIANG}&layer=Bad Layer`, 'layer', 'lower-case'],
    ]) {
      const { status, body } = await api.get(`/api/coverage?${query}`)
      expect(status, query).toBe(400)
      expect(body.error.issues[0].path).toEqual([field])
      expect(body.error.message).toContain(rule)
    }
  })

  test('answers 404 for an unknown region or layer', async () => {
    expect((await api.get('/api/coverage?region=110101')).status).toBe(404)
    const { status, body } = await api.get(`/api/coverage?region=${JINXIANG}&layer=nope`)
    expect(status).toBe(404)
    expect(body.error.message).toContain('nope')
  })
})

describe('GET /api/gaps', () => {
  test('ranks contiguous under-served areas, with nearest-station distances equal to PostGIS ST_Distance', async () => {
    const { status, body } = await api.get(`/api/gaps?region=${JINXIANG}&kind=rider_rest&limit=5`)
    expect(status).toBe(200)
    expect(body.features.length).toBe(5)
    expect(body.areas).toBeGreaterThan(5)
    const demands = body.features.map((f: any) => f.properties.demand)
    expect([...demands].sort((a, b) => b - a)).toEqual(demands)
    const cov = (await api.get(`/api/coverage?region=${JINXIANG}&kind=rider_rest`)).body
    expect(body.unserved).toBeCloseTo(cov.total - cov.covered, 6)
    for (const f of body.features.slice(0, 3)) {
      const p = f.properties
      expect(f.geometry.type).toBe('MultiPolygon')
      expect(p.region_code).toBe(JINXIANG)
      const [row] = await api.sql<{ demand: number; nearest: number }[]>`
        SELECT sum(d.weight)::float8 AS demand,
               min((SELECT ST_Distance(geography(s.geom), geography(d.geom), false) FROM station s
                     WHERE s.status = 'active' AND s.kind = 'rider_rest'
                     ORDER BY geography(s.geom) <-> geography(d.geom) LIMIT 1))::float8 AS nearest
          FROM demand_item d WHERE d.layer_id = 'population' AND d.h3 = ANY(${p.cells})`
      expect(p.demand).toBeCloseTo(row!.demand, 6)
      expect(p.nearest_station_m).toBeCloseTo(row!.nearest, 2)
    }
  })

  test('with min_cell_demand=0 every uncovered cell counts, so the areas hold all unserved demand', async () => {
    const { body } = await api.get(`/api/gaps?region=${JINXIANG}&kind=rider_rest&min_cell_demand=0&limit=500`)
    expect(body.min_cell_demand).toBe(0)
    expect(body.features.reduce((s: number, f: any) => s + f.properties.demand, 0)).toBeCloseTo(body.unserved, 3)
  })

  test('answers 413 naming the memory budget and the estimate when the region needs more memory than allowed', async () => {
    // the same database behind an app with a 1 MB budget: 金乡县's 10,763 cells need ≈ 8 MB
    const small = createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: { ...DEFAULT_LIMITS, planningMemoryBytes: 2 ** 20 }, work: api.work })
    const res = await small.request(`/api/gaps?region=${JINXIANG}`)
    expect(res.status).toBe(413)
    const { error } = (await res.json()) as any
    expect(error.code).toBe('too_large')
    expect(error.message).toMatch(/needs an estimated \d+ MB \(10763 demand items/)
    expect(error.message).toContain('planning memory budget of 1 MB (PLANNING_MEMORY_MB)')
    expect(error.message).toContain('choose a smaller region or a coarser resolution')
    // and the server keeps answering
    expect((await small.request('/api/health')).status).toBe(200)
  })
})

describe('POST /api/siting', () => {
  const post = (body: unknown) =>
    Promise.resolve(api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).then(async (r) => ({ status: r.status, body: (await r.json()) as any }))

  test('suggests 5 rider rest stops whose coverage PostGIS confirms', async () => {
    const { status, body } = await post({ kind: 'rider_rest', region: JINXIANG, count: 5 })
    expect(status).toBe(200)
    expect(body.sites.features.length).toBe(5)
    const gains = body.sites.features.map((f: any) => f.properties.gain)
    expect(gains.every((g: number) => g > 0)).toBe(true)
    expect(gains.reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(body.after.covered - body.before.covered, 6)
    expect(body.after.ratio).toBeGreaterThan(body.before.ratio)
    expect(body.bound.covered).toBeGreaterThanOrEqual(body.after.covered - 1e-6)
    expect(body.after.covered).toBeGreaterThanOrEqual(0.99 * body.bound.covered) // provably within 1 % of the optimum
    const pgBefore = await postgisCoverage(JINXIANG, 'rider_rest', null)
    expect(body.before.covered).toBeCloseTo(pgBefore.covered, 6)
    const pgAfter = await postgisCoverage(JINXIANG, 'rider_rest', null, body.sites.features.map((f: any) => f.geometry.coordinates), body.radius_m)
    expect(body.after.covered).toBeCloseTo(pgAfter.covered, 6)
  })

  test('finds the fewest sites reaching a target ratio', async () => {
    const before = (await api.get(`/api/coverage?region=${JINXIANG}&kind=rider_rest`)).body.ratio
    const target = Math.min(0.99, before + 0.1)
    const { status, body } = await post({ kind: 'rider_rest', region: JINXIANG, target_ratio: target })
    expect(status).toBe(200)
    expect(body.reached).toBe(true)
    expect(body.after.ratio).toBeGreaterThanOrEqual(target - 1e-12)
    // one site fewer falls short
    const fewer = await post({ kind: 'rider_rest', region: JINXIANG, count: body.sites.features.length - 1 })
    expect(fewer.body.after.ratio).toBeLessThan(target)
  })

  test('counts what-if edits to the network and user candidates', async () => {
    const { body } = await post({ kind: 'rider_rest', region: JINXIANG, count: 1, candidates: [[116.31, 35.07], [116.2, 34.95]], edits: { added: [{ id: 'p1', lon: 116.25, lat: 35.0 }] } })
    expect(body.candidates).toBe(2)
    expect(body.sites.features.length).toBeLessThanOrEqual(1)
    const plain = (await post({ kind: 'rider_rest', region: JINXIANG, count: 1, candidates: [[116.31, 35.07], [116.2, 34.95]] })).body
    expect(body.before.covered).toBeGreaterThanOrEqual(plain.before.covered)
  })

  test('at a time of day, only stations open then count as already covering', async () => {
    const night = (await post({ kind: 'rider_rest', region: JINXIANG, count: 1, at: '2026-11-26T02:00:00+08:00' })).body
    const cov = (await api.get(`/api/coverage?region=${JINXIANG}&kind=rider_rest&at=2026-11-26T02:00:00%2B08:00`)).body
    expect(night.before.covered).toBeCloseTo(cov.covered, 6)
    const day = (await post({ kind: 'rider_rest', region: JINXIANG, count: 1 })).body
    expect(night.before.covered).toBeLessThanOrEqual(day.before.covered)
  })

  test('rejects bad bodies with 400 naming the field, and too many candidates with 413', async () => {
    const both = await post({ kind: 'rider_rest', region: JINXIANG, count: 2, target_ratio: 0.9 })
    expect(both.status).toBe(400)
    expect(both.body.error.issues[0].path).toEqual(['count'])
    const badKind = await post({ kind: 'bus', region: JINXIANG, count: 2 })
    expect(badKind.body.error.issues[0].path).toEqual(['kind'])
    const badRatio = await post({ kind: 'rider_rest', region: JINXIANG, target_ratio: 1.5 })
    expect(badRatio.body.error.message).toContain('must be ≤ 1')
    const many = await post({ kind: 'rider_rest', region: JINXIANG, count: 1000 })
    expect(many.status).toBe(413)
    expect(many.body.error.message).toContain('maxSites')
    const notJson = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{' })
    expect(notJson.status).toBe(400)
  })
})

describe('scenarios', () => {
  // Saving and deleting scenarios needs an editor of the region (issue 11).
  let editor: Record<string, string>
  beforeAll(async () => {
    await addAccount(api, 'planner@example.org', 'editor', [JINXIANG])
    editor = asSession(await signIn(api, 'planner@example.org'))
  })

  test('saves, lists, loads, exports and deletes a plan, computing its coverage on the server', async () => {
    const body = {
      name: '金乡 骑手驿站 方案A',
      kind: 'rider_rest',
      region: JINXIANG,
      edits: { added: [{ id: 'new-1', lon: 116.25, lat: 35.0, name: '新驿站 1' }], moved: [], removed: [] },
    }
    const created = await api.request('/api/scenarios', { method: 'POST', headers: editor, body: JSON.stringify(body) })
    expect(created.status).toBe(201)
    const s = (await created.json()) as any
    const pgAfter = await postgisCoverage(JINXIANG, 'rider_rest', null, [[116.25, 35.0]], KIND_INFO.rider_rest.radius_m)
    expect(s.after.covered).toBeCloseTo(pgAfter.covered, 6)
    expect(s.after.covered).toBeGreaterThanOrEqual(s.before.covered)
    expect(s.stations_added).toBe(1)
    expect(s.stations.features.at(-1).properties).toMatchObject({ id: 'new-1', change: 'added', name: '新驿站 1' })

    const list = (await api.get(`/api/scenarios?region=${JINXIANG}`)).body
    expect(list.scenarios.map((x: any) => x.id)).toContain(s.id)
    expect((await api.get(`/api/scenarios/${s.id}`)).body.after).toEqual(s.after)

    const geo = await api.request(`/api/scenarios/${s.id}/export?format=geojson`)
    expect(geo.headers.get('content-type')).toContain('application/geo+json')
    expect(geo.headers.get('content-disposition')).toContain("filename*=UTF-8''")
    const fc = (await geo.json()) as any
    expect(fc.type).toBe('FeatureCollection')
    expect(fc.features.length).toBe(s.stations.features.length)
    expect(fc.scenario.name).toBe(body.name)
    expect(fc.scenario).toMatchObject({ metric: 'straight', mode: null, minutes: null })

    const csv = await (await api.request(`/api/scenarios/${s.id}/export?format=csv`)).text()
    const lines = csv.replace(/^\uFEFF/, '').trim().split(/\r\n/)
    expect(lines[0]).toBe('id,name,kind,change,lon,lat,radius_m,coverage_rule')
    expect(lines.length).toBe(s.stations.features.length + 1)
    expect(lines.at(-1)).toBe('new-1,新驿站 1,rider_rest,added,116.25,35,1500,straight: within each station’s radius_m (直线)')

    expect((await api.request(`/api/scenarios/${s.id}`, { method: 'DELETE', headers: editor })).status).toBe(204)
    expect((await api.get(`/api/scenarios/${s.id}`)).status).toBe(404)
    expect((await api.request(`/api/scenarios/${s.id}`, { method: 'DELETE', headers: editor })).status).toBe(404)
  })

  test('rejects an empty name and a bad export format', async () => {
    const r = await api.request('/api/scenarios', { method: 'POST', headers: editor, body: JSON.stringify({ name: ' ', kind: 'rider_rest', region: JINXIANG, edits: {} }) })
    expect(r.status).toBe(400)
    expect(((await r.json()) as any).error.issues[0].path).toEqual(['name'])
    const bad = await api.get('/api/scenarios/00000000-0000-4000-8000-000000000000/export?format=xlsx')
    expect(bad.status).toBe(400)
  })

  test('answers an unknown region with 404 naming its code, like every other route', async () => {
    const unknown = await api.get('/api/scenarios?region=999999')
    expect(unknown.status).toBe(404)
    expect(unknown.body.error).toEqual({ code: 'not_found', message: 'region: no region has code 999999' })
    for (const path of ['/api/stations?region=999999', '/api/demand?region=999999', '/api/coverage?region=999999', '/api/gaps?region=999999']) {
      const other = await api.get(path)
      expect([path, other.status, other.body.error.code]).toEqual([path, 404, 'not_found'])
    }
    const all = await api.get('/api/scenarios')
    expect(all.status).toBe(200)
  })

  test('answers a malformed JSON body with 400 invalid_body', async () => {
    const notJson = await api.request('/api/scenarios', { method: 'POST', headers: editor, body: '{' })
    expect(notJson.status).toBe(400)
    expect(((await notJson.json()) as any).error.code).toBe('invalid_body')
  })

  test.each([
    [{ name: 'A\u0000' }, ['name']],
    [{ name: 'A', note: 'n\u0000' }, ['note']],
    [{ name: 'A', edits: { added: [{ id: 'x\u0000', lon: 116.25, lat: 35 }] } }, ['edits', 'added', 0, 'id']],
  ])('refuses a NUL character with 400 naming the field (%j), not a 500 from PostgreSQL', async (fields, path) => {
    const r = await api.request('/api/scenarios', { method: 'POST', headers: editor, body: JSON.stringify({ kind: 'rider_rest', region: JINXIANG, edits: {}, ...fields }) })
    expect(r.status).toBe(400)
    const err = ((await r.json()) as any).error
    expect(err.issues[0]).toEqual({ path, message: expect.stringContaining('NUL') })
  })

  test('records who saved and who deleted a scenario, in history', async () => {
    const created = (await (await api.request('/api/scenarios', { method: 'POST', headers: editor, body: JSON.stringify({ name: '历史', kind: 'rider_rest', region: JINXIANG, edits: {} }) })).json()) as any
    await api.request(`/api/scenarios/${created.id}`, { method: 'DELETE', headers: editor })
    const rows = await api.sql<{ action: string; actor: string; changes: any }[]>`SELECT action, actor, changes FROM change_log WHERE entity = 'scenario' AND entity_id = ${created.id} ORDER BY id`
    expect(rows.map((r) => [r.action, r.actor])).toEqual([['create', 'planner@example.org'], ['delete', 'planner@example.org']])
    expect(rows[1]!.changes.name).toEqual(['历史', null])
  })
})
