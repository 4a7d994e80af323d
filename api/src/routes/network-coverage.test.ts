/**
 * metric=network on coverage, gaps and siting, and the road graph download, on the fixture town
 * (api/test/fixtures/roads/town.osm: a street grid, a river crossed by one bridge) in a test county
 * drawn around it, with four hand-placed demand points whose fates can be checked by hand.
 */
import { latLngToCell } from 'h3-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoadRoads } from '../../../scripts/load-roads.ts'
import { addAccount, asSession, signIn } from '../../test/accounts.ts'
import { startTestApi } from '../../test/test-app.ts'
import { decodeRoadGraph } from '../core/road-graph-binary.ts'
import { ACCESS_SPEED_KMH } from '../core/road-speeds.ts'
import { at, metres, MPS, TOWN_OSM } from '../core/test/town.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
const TOWN = '990200'
const DEG = 180 / Math.PI / 6371008.7714
/** `north` metres north of grid node (x, y) */
const near = (x: number, y: number, north = 0): [number, number] => [at(x, y)[0], at(x, y)[1] + north * DEG]
const walk = ACCESS_SPEED_KMH / 3.6

// A: across the river from the river station (straight-line 465 m, by road via the bridge ≈ 5 km)
// B: on the river station's bank; C: across the river from the bridge station, reached by the bridge;
// D: 667 m south of the town's roads — no road access
const points = {
  A: { at: near(0, 3, 20), w: 10 },
  B: { at: near(1, 2, 20), w: 3 },
  C: { at: near(3, 3, 20), w: 5 },
  D: { at: [116.315, 35.044] as [number, number], w: 7 },
}

beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: 'api/test/fixtures/regions.geojson' } })
  const { sql } = api
  await sql`INSERT INTO region (code, name, name_en, level, parent_code, geom)
            VALUES (${TOWN}, '测试镇', 'Test Town', 'county', NULL, ST_Multi(ST_MakeEnvelope(116.29, 35.035, 116.345, 35.075, 4326)))`
  await sql`INSERT INTO demand_layer (id, name, name_en, unit, unit_en, source, modelled, demo, kind, resolution, origin)
            VALUES ('town', '测试人口', 'Test people', '人', 'people', 'test', false, true, 'point', 9, 'user')`
  for (const [name, p] of Object.entries(points)) {
    await sql`INSERT INTO demand_item (layer_id, h3, name, weight, region_code, geom)
              VALUES ('town', ${latLngToCell(p.at[1], p.at[0], 9)}, ${name}, ${p.w}, ${TOWN}, ST_SetSRID(ST_MakePoint(${p.at[0]}, ${p.at[1]}), 4326))`
  }
  for (const [name, p] of [['river', at(0, 2)], ['bridge', at(3, 2)]] as const) {
    await sql`INSERT INTO station (kind, name, region_code, geom, source) VALUES ('rider_rest', ${name}, ${TOWN}, ST_SetSRID(ST_MakePoint(${p[0]}, ${p[1]}), 4326), 'manual')`
  }
})
afterAll(async () => {
  await api?.close()
})

const q = `region=${TOWN}&layer=town&kind=rider_rest&radius_m=1500`

describe('metric=network before any roads are loaded', () => {
  it('answers straight-line coverage and says why in fallback', async () => {
    const { status, body } = await api.get(`/api/coverage?${q}&metric=network&minutes=5`)
    expect(status).toBe(200)
    expect(body).toMatchObject({ metric: 'straight', network: null, covered: 18, total: 25 })
    expect(body.fallback).toMatch(/no road network is loaded.*straight-line/)
    const roads = await api.get(`/api/roads?region=${TOWN}`)
    expect(roads.body).toMatchObject({ region: TOWN, loaded: false, extract: null, edges: 0, attribution: null })
  })
})

describe('metric=network on the fixture town', () => {
  beforeAll(async () => {
    await runLoadRoads(api.sql, TOWN_OSM)
  })

  it('drops coverage where the river cuts it, covers the bridge-only point and reports the no-road point apart', async () => {
    const straight = await api.get(`/api/coverage?${q}`)
    expect(straight.body).toMatchObject({ metric: 'straight', network: null, fallback: null, covered: 18, total: 25 })
    expect(straight.body.stations.no_road_access).toBeNull()
    const { status, body } = await api.get(`/api/coverage?${q}&metric=network&mode=ebike&minutes=5`)
    expect(status).toBe(200)
    // B and C (by the bridge) covered; A cut off by the river; D has no road access
    expect(body).toMatchObject({ metric: 'network', fallback: null, covered: 8, total: 25 })
    expect(body.network).toEqual({ mode: 'ebike', minutes: 5, extract: 'town.osm', no_road_access: { demand: 7, items: 1 } })
    expect(body.by_region).toEqual([{ code: TOWN, covered: 8, total: 25, ratio: 8 / 25, no_road_access: 7 }])
    expect(body.stations).toMatchObject({ counted: 2, no_road_access: 0 })
    // on foot 5 minutes is 400 m: B is 455 m + 20 m from the river station (6 min), C 1.38 km over the bridge (17 min)
    const foot = (minutes: number) => api.get(`/api/coverage?${q}&metric=network&mode=foot&minutes=${minutes}`).then((r) => r.body.covered)
    expect([await foot(5), await foot(15), await foot(20)]).toEqual([0, 3, 8])
  })

  it('says in each gap how far by road it is: via the bridge, far beyond the straight line', async () => {
    const { status, body } = await api.get(`/api/gaps?${q}&metric=network&minutes=4&min_cell_demand=0`)
    expect(status).toBe(200)
    expect(body.metric).toBe('network')
    const byCell = new Map(body.features.map((f: any) => [f.properties.cells[0], f.properties]))
    const c = byCell.get(latLngToCell(points.C.at[1], points.C.at[0], 9)) as any
    // at 4 minutes C is out of reach; its road trip is the one over the bridge
    const viaBridge = metres([3, 2], [4, 2]) + metres([4, 2], [4, 3]) + metres([4, 3], [3, 3])
    expect(c.road_m).toBeCloseTo(viaBridge + 20, 3)
    expect(c.road_minutes).toBeCloseTo((viaBridge / MPS.residential + 20 / walk) / 60, 6)
    expect(c.nearest_station_m).toBeCloseTo(metres([3, 2], [3, 3]) + 20, -1)
    const d = byCell.get(latLngToCell(points.D.at[1], points.D.at[0], 9)) as any
    expect(d).toMatchObject({ road_m: null, road_minutes: null, no_road_access: 7 })
    expect(body.network.no_road_access).toEqual({ demand: 7, items: 1 })
    const straight = await api.get(`/api/gaps?${q}&min_cell_demand=0`)
    expect(straight.body.features.every((f: any) => f.properties.road_m === null && f.properties.no_road_access === null)).toBe(true)
  })

  it('sites by road: a new site on the north bank gains A, and the no-road point stays unserved', async () => {
    const res = await api.request('/api/siting', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'rider_rest', region: TOWN, layer: 'town', count: 1, metric: 'network', minutes: 5, candidates: [near(0, 3), points.D.at] }),
    })
    expect(res.status).toBe(200)
    const body = await res.json()
    expect(body.metric).toBe('network')
    expect(body.before.covered).toBe(8)
    expect(body.after.covered).toBe(18)
    expect(body.sites.features[0].geometry.coordinates).toEqual(near(0, 3))
    expect(body.bound.covered).toBeGreaterThanOrEqual(body.after.covered)
    expect(body.network.no_road_access.demand).toBe(7)
  })

  it('falls back to straight-line, saying so, in a region the extract does not cover', async () => {
    const { body } = await api.get('/api/coverage?region=990101&layer=town&metric=network')
    expect(body.metric).toBe('straight')
    expect(body.fallback).toMatch(/town\.osm\) has no roads in region 990101/)
  })

  it('validates metric, mode and minutes, naming the field', async () => {
    const bad = await api.get(`/api/coverage?${q}&metric=car&mode=horse&minutes=0`)
    expect(bad.status).toBe(400)
    expect(bad.body.error.issues.map((i: any) => i.path[0]).sort()).toEqual(['metric', 'minutes', 'mode'])
    const body = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'rider_rest', region: TOWN, count: 1, metric: 'network', minutes: 61 }) })
    expect(body.status).toBe(400)
    expect((await body.json()).error.message).toMatch(/minutes: must be ≤ 60/)
  })

  it('saves a scenario by road: before/after by travel time, the rule recorded, returned and exported', async () => {
    await addAccount(api, 'roads-planner@example.org', 'editor', [TOWN, '990101'])
    const editor = asSession(await signIn(api, 'roads-planner@example.org'))
    const plan = { name: '过河方案', kind: 'rider_rest', region: TOWN, layer: 'town', edits: { added: [{ id: 'north', lon: near(0, 3)[0], lat: near(0, 3)[1] }] } }
    const save = (body: object) => api.request('/api/scenarios', { method: 'POST', headers: editor, body: JSON.stringify(body) })
    const res = await save({ ...plan, metric: 'network', mode: 'ebike', minutes: 5 })
    expect(res.status).toBe(201)
    const s = (await res.json()) as any
    // the same figures as the siting by road above: 8 before, 18 with the north-bank site
    expect(s).toMatchObject({ metric: 'network', mode: 'ebike', minutes: 5, fallback: null, before: { covered: 8, total: 25 }, after: { covered: 18, total: 25 } })
    expect((await api.get(`/api/scenarios/${s.id}`)).body).toMatchObject({ metric: 'network', mode: 'ebike', minutes: 5, after: s.after })
    expect((await api.get(`/api/scenarios?region=${TOWN}`)).body.scenarios[0]).toMatchObject({ id: s.id, metric: 'network', mode: 'ebike', minutes: 5 })
    const geo = (await (await api.request(`/api/scenarios/${s.id}/export?format=geojson`)).json()) as any
    expect(geo.scenario).toMatchObject({ metric: 'network', mode: 'ebike', minutes: 5, coverage_rule: 'network: 5 min by ebike along roads (路网)' })
    const csv = (await (await api.request(`/api/scenarios/${s.id}/export?format=csv`)).text()).trim().split(/\r\n/)
    expect(csv.slice(1).every((l) => l.endsWith(',network: 5 min by ebike along roads (路网)'))).toBe(true)

    // straight-line, the same plan: the circles count A across the river
    const straight = (await (await save({ ...plan, radius_m: 1500 })).json()) as any
    expect(straight).toMatchObject({ metric: 'straight', mode: null, minutes: null, before: { covered: 18 } })
    // by road where the extract has no roads: straight-line figures, recorded as straight, saying why
    await api.sql`INSERT INTO demand_item (layer_id, h3, name, weight, region_code, geom) VALUES ('town', ${latLngToCell(35.0, 116.2, 9)}, 'far', 1, '990101', ST_SetSRID(ST_MakePoint(116.2, 35.0), 4326))`
    const off = (await (await save({ ...plan, region: '990101', metric: 'network', minutes: 5 })).json()) as any
    expect(off).toMatchObject({ metric: 'straight', mode: null, minutes: null })
    expect(off.fallback).toMatch(/no roads in region 990101/)
  })

  it('exports an unsaved plan saying which rule it was viewed under', async () => {
    const body = { name: '草稿', kind: 'rider_rest', region: TOWN, edits: {}, metric: 'network', mode: 'foot', minutes: 12 }
    const geo = (await (await api.request('/api/export/scenario?format=geojson', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as any
    expect(geo.plan).toMatchObject({ saved: false, metric: 'network', mode: 'foot', minutes: 12, coverage_rule: 'network: 12 min by foot along roads (路网)' })
    const csv = await (await api.request('/api/export/scenario?format=csv', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...body, metric: 'straight' }) })).text()
    expect(csv.replace(/^\uFEFF/, '').split(/\r\n/)[0]).toMatch(/,coverage_rule$/)
    expect(csv).toContain('straight: within each station’s radius_m (直线)')
  })

  it('refuses unknown fields in siting and scenario bodies with 400 naming them', async () => {
    const siting = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'rider_rest', region: TOWN, count: 1, metric: 'network', minute: 5 }) })
    expect(siting.status).toBe(400)
    const se = ((await siting.json()) as any).error
    expect(se.message).toMatch(/minute/)
    expect(JSON.stringify(se.issues)).toMatch(/minute/)
    const plan = await api.request('/api/export/scenario', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'x', kind: 'rider_rest', region: TOWN, edits: {}, metrics: 'network' }) })
    expect(plan.status).toBe(400)
    expect(JSON.stringify(((await plan.json()) as any).error)).toMatch(/metrics/)
  })

  it('serves the county graph as one binary with an ETag, equal to the loaded roads', async () => {
    const summary = await api.get(`/api/roads?region=${TOWN}`)
    expect(summary.body).toMatchObject({ loaded: true, extract: { file_name: 'town.osm' }, attribution: '© OpenStreetMap contributors, ODbL' })
    const res = await api.request(`/api/roads/graph?region=${TOWN}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.station-atlas.road-graph')
    const bytes = new Uint8Array(await res.arrayBuffer())
    expect(bytes.byteLength).toBe(summary.body.graph_bytes)
    const g = decodeRoadGraph(bytes)
    expect(g.edges.length).toBe(summary.body.edges)
    expect(g.lon.length).toBe(summary.body.nodes)
    const [row] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM road_edge`
    expect(g.edges.length).toBe(row!.n) // the town lies wholly inside the county's box
    const etag = res.headers.get('etag')!
    expect((await api.request(`/api/roads/graph?region=${TOWN}`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
  })
})
