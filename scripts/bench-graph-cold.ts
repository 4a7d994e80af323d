/**
 * A county's first network request builds its road graph (issue 14): how long the request thread is
 * held meanwhile, before and after the build was sliced, in one run:
 *
 *   DATABASE_URL=postgres://… npm run bench-graph-cold
 *
 * A generated county-size grid (317 × 317 nodes 100 m apart, 200 344 edges) in a scratch schema.
 * "before" is the loader as it was at e937750 (one statement each for edges and nodes, the graph,
 * its shared copy and its download built in one go), copied below; "after" is GET /api/roads for the
 * county with its cache cold (the roads version bumped), which reads and builds in slices. While each
 * runs, /api/health and /api/nearest are asked 10 ms after each answer (latency counted from then) and the event loop's delay is sampled.
 * Each is also timed alone, with nothing else asked. Rounds alternate; medians of 3. The schema is dropped afterwards.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { buildRoadGraph } from '../api/src/core/network-graph.ts'
import { encodeRoadGraph } from '../api/src/core/road-graph-binary.ts'
import { gridNetwork } from '../api/src/core/test/grid-network.ts'
import { TRAVEL_MODES, type ModeAdjacency, type RoadEdge, type RoadGraph } from '../api/src/core/road-types.ts'
import type { Sql } from '../api/src/db/connect.ts'
import { replaceRoadNetwork } from '../api/src/db/roads.ts'
import { repoPath } from '../api/src/paths.ts'
import { startApi } from '../api/src/start.ts'

const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) {
  console.error('set DATABASE_URL to a PostgreSQL server with PostGIS (the generated network is 200k edges)')
  process.exit(1)
}
const ROUNDS = 3
const schema = `bench_graph_cold_${process.pid}`
const api = await startApi({ databaseUrl, schema, seedFiles: { regions: repoPath('api/test/fixtures/regions.geojson') }, log: () => {} })
const { sql } = api

/** The loader of e937750 (db/roads.ts loadRoadGraph + work/shared-graph.ts + the encode in planning/region-roads.ts). */
async function loadAsBefore(sql: Sql, bbox: [number, number, number, number]): Promise<{ graph: RoadGraph; binary: Uint8Array }> {
  const [w, s, e, n] = bbox
  const envelope = sql`ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`
  await sql`SELECT count(*)::int AS count FROM (SELECT 1 FROM road_edge WHERE geom && ${envelope} LIMIT ${1_000_001}) t`
  const edgeRows = await sql<(RoadEdge & { source: number; target: number })[]>`
    SELECT source, target, length_m, class, foot, ebike_forward, ebike_backward FROM road_edge WHERE geom && ${envelope} ORDER BY id`
  const nodeRows = await sql<{ id: number; lon: number; lat: number }[]>`
    SELECT id, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM road_node
     WHERE id IN (SELECT source FROM road_edge WHERE geom && ${envelope} UNION SELECT target FROM road_edge WHERE geom && ${envelope})
     ORDER BY id`
  const local = new Map<number, number>()
  const lon = new Float64Array(nodeRows.length)
  const lat = new Float64Array(nodeRows.length)
  nodeRows.forEach((r, i) => {
    local.set(r.id, i)
    lon[i] = r.lon
    lat[i] = r.lat
  })
  const edges = edgeRows.map((r) => ({ ...r, source: local.get(r.source)!, target: local.get(r.target)! }))
  const graph = buildRoadGraph(lon, lat, edges)
  const share = <T extends Float64Array | Int32Array | Uint8Array>(a: T): T => {
    const Ctor = a.constructor as { new (buffer: SharedArrayBuffer): T }
    const out = new Ctor(new SharedArrayBuffer(a.byteLength))
    out.set(a as never)
    return out
  }
  const modes = {} as Record<(typeof TRAVEL_MODES)[number], ModeAdjacency>
  for (const mode of TRAVEL_MODES) {
    const m = graph.modes[mode]
    modes[mode] = { offsets: share(m.offsets), targets: share(m.targets), seconds: share(m.seconds), metres: share(m.metres), usable: share(m.usable) }
  }
  const shared = { ...graph, lon: share(graph.lon), lat: share(graph.lat), modes }
  return { graph: shared, binary: encodeRoadGraph(graph.lon, graph.lat, edges) }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))] ?? NaN

/** Runs `build` while asking /api/health and /api/nearest every 10 ms; what each answer took and the loop's delay. */
async function underLoad(build: () => Promise<unknown>, quiet = false) {
  const latencies: Record<'health' | 'nearest', number[]> = { health: [], nearest: [] }
  let done = false
  // latency from when the request was due (10 ms after the last answer), not from when a held
  // thread got round to sending it: otherwise the wait behind a long block would not be counted
  const ask = async (name: 'health' | 'nearest', path: string) => {
    while (!done) {
      const due = performance.now() + 10
      await new Promise((r) => setTimeout(r, 10))
      const res = await api.app.request(path)
      await res.arrayBuffer()
      if (res.status !== 200) throw new Error(`${path}: ${res.status}`)
      latencies[name].push(performance.now() - due)
    }
  }
  const h = monitorEventLoopDelay({ resolution: 1 })
  h.enable()
  const askers = quiet ? [] : [ask('health', '/api/health'), ask('nearest', '/api/nearest?lon=116.1&lat=35.1&limit=5')]
  await new Promise((r) => setTimeout(r, 30))
  const t0 = performance.now()
  await build()
  const ms = performance.now() - t0
  done = true
  await Promise.all(askers)
  h.disable()
  if (quiet) return ms
  return { ms, loopMaxMs: h.max / 1e6, loopP99Ms: h.percentile(99) / 1e6, healthMaxMs: Math.max(...latencies.health), healthP50Ms: median(latencies.health), nearestMaxMs: Math.max(...latencies.nearest), answers: latencies.health.length + latencies.nearest.length }
}

try {
  const side = 317
  const g = gridNetwork(side)
  const box: [number, number, number, number] = [g.lon0, g.lat0, g.lon0 + (side - 1) * g.dLon, g.lat0 + (side - 1) * g.dLat]
  await sql`INSERT INTO region (code, name, name_en, level, parent_code, geom) VALUES ('990300', '测试990300', 'Bench 990300', 'county', NULL, ST_Multi(ST_MakeEnvelope(${box[0]}, ${box[1]}, ${box[2]}, ${box[3]}, 4326)))`
  await sql`INSERT INTO station (kind, name, region_code, geom, source) VALUES ('rider_rest', 'bench', '990300', ST_SetSRID(ST_MakePoint(116.1, 35.1), 4326), 'manual')`
  const network = { osmIds: g.lon.map(() => null), lon: g.lon, lat: g.lat, edges: g.edges.map((e, i) => ({ ...e, way_id: i, name: null, name_en: null })), ways: g.edges.length, missingRefs: 0, places: [] }
  await replaceRoadNetwork(sql, { sha256: 'c'.repeat(64), file_name: 'generated-grid', bytes: 0 }, network)
  // the region's bbox + 3 km, as loadRegionRoadGraph grows it
  const dLat = (3000 / 6371008.7714) * (180 / Math.PI)
  const dLon = dLat / Math.cos(((box[3] + dLat) * Math.PI) / 180)
  const grown: [number, number, number, number] = [box[0] - dLon, box[1] - dLat, box[2] + dLon, box[3] + dLat]
  // warm-up: JIT and PostgreSQL's buffers, once each
  await loadAsBefore(sql, grown)
  await (await api.app.request('/api/roads?region=990300')).json()
  type Run = { ms: number; loopMaxMs: number; loopP99Ms: number; healthMaxMs: number; healthP50Ms: number; nearestMaxMs: number; answers: number; quietMs: number }
  const runs: Record<'before' | 'after', Run[]> = { before: [], after: [] }
  const before = () => loadAsBefore(sql, grown)
  const after = async () => {
    // a statement writing road_edge bumps the roads version (migration 012): this request reads the graph afresh
    await sql`UPDATE road_edge SET id = id WHERE false`
    const res = await api.app.request('/api/roads?region=990300')
    const body = (await res.json()) as { edges: number }
    if (body.edges !== g.edges.length) throw new Error(`GET /api/roads: ${JSON.stringify(body)}`)
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, build] of [['before', before], ['after', after]] as const) {
      const loaded = (await underLoad(build)) as Omit<Run, 'quietMs'>
      runs[name].push({ ...loaded, quietMs: (await underLoad(build, true)) as number })
    }
  }
  const row = (k: keyof (typeof runs.before)[number], label: string) => {
    const b = median(runs.before.map((r) => r[k]))
    const a = median(runs.after.map((r) => r[k]))
    console.log(`| ${label} | ${b.toFixed(0)} | ${a.toFixed(0)} | ${(a / b).toFixed(2)} |`)
  }
  console.log(`\ncold graph build, ${g.edges.length.toLocaleString('en')} edges, ${(side * side).toLocaleString('en')} nodes; medians of ${ROUNDS} alternating rounds`)
  console.log('| | before (one go) | after (slices) | after / before |')
  console.log('|---|---|---|---|')
  row('quietMs', 'build wall time alone, ms')
  row('ms', 'build wall time while serving the requests below, ms')
  row('loopMaxMs', 'event-loop delay, max, ms')
  row('loopP99Ms', 'event-loop delay, p99, ms')
  row('healthMaxMs', 'GET /api/health meanwhile, slowest, ms')
  row('healthP50Ms', 'GET /api/health meanwhile, median, ms')
  row('nearestMaxMs', 'GET /api/nearest meanwhile, slowest, ms')
  row('answers', 'health + nearest answers during the build')
} finally {
  await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await api.close()
}
