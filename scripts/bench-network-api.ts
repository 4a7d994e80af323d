/**
 * The network metric through the API, timed against straight-line in the same run (issue 14):
 *
 *   DATABASE_URL=postgres://… npm run bench-network-api
 *
 * Two road networks in a scratch schema: the fixture town (api/test/fixtures/roads/town.osm) and a
 * generated county-size grid (317 × 317 nodes 100 m apart, 200 344 edges), each in a county drawn
 * around it with H3 res-9 demand cells over it and rider rest stops on it. For each, GET
 * /api/coverage and /api/gaps with metric=straight and metric=network (e-bike, 5 minutes): the
 * first request (network: reads the county's graph from PostgreSQL and caches it) and the median of
 * 5 warm ones, through the real app and its worker pool. Also the size of GET /api/roads/graph per
 * county (what the rider page caches offline). The schema is dropped afterwards.
 */
import { cellToLatLng, polygonToCells } from 'h3-js'
import { gzipSync } from 'node:zlib'
import { gridNetwork } from '../api/src/core/test/grid-network.ts'
import { TOWN_OSM } from '../api/src/core/test/town.ts'
import { replaceRoadNetwork } from '../api/src/db/roads.ts'
import { repoPath } from '../api/src/paths.ts'
import { startApi } from '../api/src/start.ts'
import { runLoadRoads } from './load-roads.ts'

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  console.error('set DATABASE_URL to a PostgreSQL server with PostGIS (the generated network is 200k edges)')
  process.exit(1)
}
const schema = `bench_network_api_${process.pid}`
const api = await startApi({ databaseUrl, schema, seedFiles: { regions: repoPath('api/test/fixtures/regions.geojson') }, log: () => {} })
const { sql } = api
// start the worker threads first: their start-up is not what is measured
await api.work.run({ task: 'spin', ms: 1 })

async function county(code: string, box: [number, number, number, number], stations: [number, number][], seed: number) {
  const [w, s, e, n] = box
  await sql`INSERT INTO region (code, name, name_en, level, parent_code, geom) VALUES (${code}, ${'测试' + code}, ${'Bench ' + code}, 'county', NULL, ST_Multi(ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)))`
  const cells = polygonToCells([[[s, w], [s, e], [n, e], [n, w], [s, w]]], 9)
  let x = seed
  const rows = cells.map((h) => {
    x = (x * 16807) % 2147483647
    const [lat, lon] = cellToLatLng(h)
    return [h, 1 + (x % 100), lon, lat]
  })
  for (let i = 0; i < rows.length; i += 5000) {
    await sql`INSERT INTO demand_item (layer_id, h3, weight, region_code, geom)
              SELECT 'bench', r->>0, (r->>1)::float8, ${code}, ST_SetSRID(ST_MakePoint((r->>2)::float8, (r->>3)::float8), 4326)
                FROM jsonb_array_elements(${sql.json(rows.slice(i, i + 5000))}::jsonb) r`
  }
  await sql`INSERT INTO station (kind, name, region_code, geom, source)
            SELECT 'rider_rest', 'bench ' || (r->>0), ${code}, ST_SetSRID(ST_MakePoint((r->>1)::float8, (r->>2)::float8), 4326), 'manual'
              FROM jsonb_array_elements(${sql.json(stations.map((p, i) => [i, p[0], p[1]]))}::jsonb) r`
  return cells.length
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
async function time(path: string): Promise<{ first: number; warm: number; body: any }> {
  let t0 = performance.now()
  const res = await api.app.request(path)
  const body = await res.json()
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`)
  const first = performance.now() - t0
  const warm: number[] = []
  for (let i = 0; i < 5; i++) {
    t0 = performance.now()
    await (await api.app.request(path)).json()
    warm.push(performance.now() - t0)
  }
  return { first, warm: median(warm), body }
}
const fmt = (ms: number) => (ms < 1000 ? `${ms.toFixed(0)} ms` : `${(ms / 1000).toFixed(2)} s`)

async function report(label: string, code: string, cells: number) {
  const q = `region=${code}&layer=bench&kind=rider_rest`
  console.log(`\n## ${label}`)
  console.log('| request | straight-line first | warm (median of 5) | network first (graph read) | warm | network / straight (warm) | covered straight → network | no road access |')
  console.log('|---|---|---|---|---|---|---|---|')
  for (const route of ['coverage', 'gaps']) {
    const e = await time(`/api/${route}?${q}`)
    const n = await time(`/api/${route}?${q}&metric=network&mode=ebike&minutes=5`)
    const cov = route === 'coverage' ? `${(e.body.ratio * 100).toFixed(1)} % → ${(n.body.ratio * 100).toFixed(1)} %` : `${e.body.areas} → ${n.body.areas} areas`
    console.log(`| GET /api/${route} | ${fmt(e.first)} | ${fmt(e.warm)} | ${fmt(n.first)} | ${fmt(n.warm)} | ${(n.warm / e.warm).toFixed(1)}× | ${cov} | ${n.body.network?.no_road_access.demand.toFixed(0) ?? '—'} |`)
  }
  const roads = (await (await api.app.request(`/api/roads?region=${code}`)).json()) as { edges: number; nodes: number; graph_bytes: number }
  const bin = new Uint8Array(await (await api.app.request(`/api/roads/graph?region=${code}`)).arrayBuffer())
  console.log(`${label}: ${roads.nodes.toLocaleString('en')} nodes, ${roads.edges.toLocaleString('en')} edges, ${cells.toLocaleString('en')} demand cells`)
  console.log(`GET /api/roads/graph: ${(roads.graph_bytes / 1024).toFixed(1)} KiB (${(gzipSync(bin).length / 1024).toFixed(1)} KiB gzipped on the wire)`)
}

try {
  await sql`INSERT INTO demand_layer (id, name, name_en, unit, unit_en, source, modelled, demo, kind, resolution, origin)
            VALUES ('bench', '基准', 'bench', '人', 'people', 'bench', true, true, 'h3', 9, 'user')`
  // the fixture town: 7 × 5 streets around 116.3–116.33, 35.05–35.066
  const townStations: [number, number][] = [[116.3, 35.058], [116.315, 35.058], [116.33, 35.062], [116.31, 35.05], [116.325, 35.066]]
  const townCells = await county('990200', [116.295, 35.046, 116.335, 35.07], townStations, 7)
  await runLoadRoads(sql, TOWN_OSM)
  await report('fixture town (town.osm)', '990200', townCells)

  // a county-size grid: 31.6 km square, 200 stations on random nodes
  const side = 317
  const g = gridNetwork(side)
  const box: [number, number, number, number] = [g.lon0, g.lat0, g.lon0 + (side - 1) * g.dLon, g.lat0 + (side - 1) * g.dLat]
  const stations = Array.from({ length: 200 }, () => Math.floor(g.rng() * g.lon.length)).map((v): [number, number] => [g.lon[v]!, g.lat[v]!])
  const gridCells = await county('990300', box, stations, 11)
  const network = { osmIds: g.lon.map(() => null), lon: g.lon, lat: g.lat, edges: g.edges.map((e, i) => ({ ...e, way_id: i, name: null, name_en: null })), ways: g.edges.length, missingRefs: 0, places: [] }
  await replaceRoadNetwork(sql, { sha256: 'b'.repeat(64), file_name: 'generated-grid', bytes: 0 }, network)
  await report('generated county grid (317 × 317, 100 m)', '990300', gridCells)
} finally {
  await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await api.close()
}
