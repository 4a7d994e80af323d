import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoadRoads } from '../../../scripts/load-roads.ts'
import { startTestApi } from '../../test/test-app.ts'
import { networkDijkstra } from '../core/network-dijkstra.ts'
import { ROAD_SPEEDS } from '../core/road-speeds.ts'
import { TOWN_OSM } from '../core/test/town.ts'
import { currentRoadExtract, loadRegionRoadGraph, loadRoadGraph, RoadGraphTooLargeError } from './roads.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: 'api/test/fixtures/regions.geojson' } })
})
afterAll(async () => {
  await api?.close()
})

const TOWN_BBOX = [116.29, 35.04, 116.34, 35.08] as const

describe('road tables', () => {
  it('say no roads are loaded before an import, and load an empty graph', async () => {
    expect(await currentRoadExtract(api.sql)).toBeNull()
    const { graph } = await loadRoadGraph(api.sql, TOWN_BBOX)
    expect(graph.nodeCount).toBe(0)
  })

  it('hold the town after load-roads; the same file loaded twice changes nothing', async () => {
    const first = await runLoadRoads(api.sql, TOWN_OSM)
    expect(first).toMatch(/road network loaded — 249 nodes, 267 edges, 21 ways/)
    const extract = await currentRoadExtract(api.sql)
    expect(extract).toMatchObject({ file_name: 'town.osm', ways: 21, nodes: 249, edges: 267 })
    expect(extract!.sha256).toMatch(/^[0-9a-f]{64}$/)
    const before = await api.sql`SELECT count(*)::int AS n, max(xmin::text::bigint) AS x FROM road_edge`
    expect(await runLoadRoads(api.sql, TOWN_OSM)).toMatch(/already the loaded road network.*nothing changed/)
    const after = await api.sql`SELECT count(*)::int AS n, max(xmin::text::bigint) AS x FROM road_edge`
    expect(after).toEqual(before)
    expect(await currentRoadExtract(api.sql)).toEqual(extract)
  })

  it('hold the town’s places, written once: a second load leaves them, a network from before places were kept is read again', async () => {
    const places = () => api.sql<{ id: string; class: string; name: string; x: string }[]>`SELECT id::text, class, name, xmin::text AS x FROM road_place ORDER BY id`
    const first = await places()
    expect(first.map((p) => p.name)).toEqual(['金山镇', '北岸村', '河口', '南滨社区'])
    await runLoadRoads(api.sql, TOWN_OSM)
    expect(await places()).toEqual(first)
    // as loaded before migration 015: no places, the extract's places column null
    await api.sql`DELETE FROM road_place`
    await api.sql`UPDATE road_extract SET places = NULL`
    expect(await runLoadRoads(api.sql, TOWN_OSM)).toMatch(/road network loaded — 249 nodes, 267 edges, 21 ways, 4 places/)
    expect((await places()).map((p) => p.name)).toEqual(first.map((p) => p.name))
    expect(await api.sql`SELECT places FROM road_extract`).toEqual([{ places: 4 }])
  })

  it('store each edge’s length as PostGIS measures its segment on the sphere', async () => {
    const [row] = await api.sql<{ worst: number }[]>`
      SELECT max(abs(length_m - ST_Length(geography(geom), false)))::float8 AS worst FROM road_edge`
    expect(row!.worst).toBeLessThan(1e-6)
  })

  it('load back a graph with the same travel times as the one built from the file', async () => {
    const { graph, nodeIds } = await loadRoadGraph(api.sql, TOWN_BBOX)
    expect(graph.nodeCount).toBe(249)
    expect(graph.edgeCount).toBe(267)
    const [start] = await api.sql<{ id: number }[]>`SELECT id FROM road_node WHERE osm_id = 120`
    const local = [...nodeIds].indexOf(start!.id)
    const r = networkDijkstra(graph, 'ebike', [{ node: local, seconds: 0, site: 0 }])
    const [north] = await api.sql<{ id: number }[]>`SELECT id FROM road_node WHERE osm_id = 130`
    const k = [...r.nodes].indexOf([...nodeIds].indexOf(north!.id))
    expect(r.seconds[k]).toBeGreaterThan(300) // the river station again: the north bank is beyond 5 minutes
  })

  it('read the same graph in slices of a few rows as in one statement, onto shared memory when asked', async () => {
    const whole = await loadRoadGraph(api.sql, TOWN_BBOX, { slice: Infinity })
    const sliced = await loadRoadGraph(api.sql, TOWN_BBOX, { slice: 7, rows: 5, buffer: (bytes) => new SharedArrayBuffer(bytes) })
    expect([...sliced.nodeIds]).toEqual([...whole.nodeIds])
    expect(sliced.edges).toEqual(whole.edges)
    for (const mode of ['ebike', 'foot'] as const) {
      for (const k of ['offsets', 'targets', 'seconds', 'metres', 'usable'] as const) expect([...sliced.graph.modes[mode][k]]).toEqual([...whole.graph.modes[mode][k]])
      expect(sliced.graph.modes[mode].targets.buffer).toBeInstanceOf(SharedArrayBuffer)
    }
    expect([...sliced.graph.lon]).toEqual([...whole.graph.lon])
    expect(sliced.graph.lat.buffer).toBeInstanceOf(SharedArrayBuffer)
    expect(whole.graph.lat.buffer).not.toBeInstanceOf(SharedArrayBuffer)
  })

  it('load only the edges meeting the bbox, and refuse more than the edge limit', async () => {
    const west = await loadRoadGraph(api.sql, [116.29, 35.04, 116.302, 35.08])
    expect(west.graph.edgeCount).toBeGreaterThan(0)
    expect(west.graph.edgeCount).toBeLessThan(267)
    await expect(loadRoadGraph(api.sql, TOWN_BBOX, { maxEdges: 100 })).rejects.toBeInstanceOf(RoadGraphTooLargeError)
  })

  it('load a region’s graph by its bounding box grown by a margin', async () => {
    // 东区 (990102) ends at 116.2°E; the town starts at 116.3°E, 9.1 km east
    expect((await loadRegionRoadGraph(api.sql, ['990102'], { marginM: 0 })).graph.edgeCount).toBe(0)
    const grown = await loadRegionRoadGraph(api.sql, ['990102'], { marginM: 9500 })
    expect(grown.graph.edgeCount).toBeGreaterThan(0)
    expect(grown.graph.edgeCount).toBeLessThan(267)
    expect(Math.max(...grown.graph.lon)).toBeLessThan(116.31)
    expect((await loadRegionRoadGraph(api.sql, ['990101', '990102'], { marginM: 20_000 })).graph.edgeCount).toBe(267)
    expect((await loadRegionRoadGraph(api.sql, ['999999'])).graph.nodeCount).toBe(0)
  })
})

describe('load-roads with another file', () => {
  it('replaces the network and its extract record; loading the first file again brings it back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'atlas-roads-db-'))
    try {
      // the town without 幸福桥: the way is dropped from the XML
      const noBridge = readFileSync(TOWN_OSM, 'utf8').replace(/<way id="1019"[\s\S]*?<\/way>/, '')
      const file = join(dir, 'town-no-bridge.osm')
      writeFileSync(file, noBridge)
      expect(await runLoadRoads(api.sql, file)).toMatch(/road network loaded — \d+ nodes, 262 edges, 20 ways/)
      expect(await currentRoadExtract(api.sql)).toMatchObject({ file_name: 'town-no-bridge.osm', edges: 262 })
      const [bridge] = await api.sql`SELECT count(*)::int AS n FROM road_edge WHERE name = '幸福桥'`
      expect(bridge!.n).toBe(0)
      expect(await runLoadRoads(api.sql, TOWN_OSM)).toMatch(/road network loaded — 249 nodes, 267 edges/)
      expect(await api.sql`SELECT count(*)::int AS n FROM road_extract`).toEqual([{ n: 1 }])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

// pgRouting (Debian postgresql-15-pgrouting) as a second, independent oracle: only on the real server.
const external = Boolean(process.env.DATABASE_URL)
if (!external) console.warn('pgRouting comparison skipped: it needs DATABASE_URL (PostgreSQL 15 with postgresql-15-pgrouting); CI runs it')

describe.skipIf(!external)('network distances against pgRouting on PostgreSQL', () => {
  /** cost columns for one mode, from the one speed table, as pgRouting's edges SQL wants them (-1: no arc) */
  const edgesSql = (mode: 'ebike' | 'foot') => {
    const speeds = Object.entries(ROAD_SPEEDS).filter(([, s]) => s[mode] !== null).map(([c, s]) => `('${c}', ${s[mode]})`).join(', ')
    const fwd = mode === 'foot' ? 'e.foot' : 'e.ebike_forward'
    const back = mode === 'foot' ? 'e.foot' : 'e.ebike_backward'
    return `SELECT e.id, e.source, e.target,
              CASE WHEN ${fwd} THEN e.length_m / (s.kmh / 3.6) ELSE -1 END AS cost,
              CASE WHEN ${back} THEN e.length_m / (s.kmh / 3.6) ELSE -1 END AS reverse_cost
            FROM road_edge e JOIN (VALUES ${speeds}) AS s(class, kmh) ON s.class = e.class`
  }

  beforeAll(async () => {
    await api.sql`CREATE EXTENSION IF NOT EXISTS pgrouting SCHEMA public`
  })

  it('pgr_dijkstraCost from every grid node equals our Dijkstra, both modes', async () => {
    const { graph, nodeIds } = await loadRoadGraph(api.sql, TOWN_BBOX)
    const localOf = new Map([...nodeIds].map((id, i) => [id, i]))
    const grid = await api.sql<{ id: number }[]>`SELECT id FROM road_node WHERE osm_id IS NOT NULL ORDER BY osm_id`
    for (const mode of ['ebike', 'foot'] as const) {
      const rows = await api.sql<{ start_vid: number; end_vid: number; agg_cost: number }[]>`
        SELECT start_vid::int, end_vid::int, agg_cost FROM pgr_dijkstraCost(${edgesSql(mode)}, ${grid.map((g) => g.id)}::bigint[],
          (SELECT array_agg(id::bigint) FROM road_node), true)`
      expect(rows.length).toBeGreaterThan(grid.length * 100)
      const ours = new Map<number, Float64Array>()
      for (const g of grid) {
        const r = networkDijkstra(graph, mode, [{ node: localOf.get(g.id)!, seconds: 0, site: 0 }])
        const dense = new Float64Array(graph.nodeCount).fill(Infinity)
        r.nodes.forEach((v, k) => (dense[v] = r.seconds[k]!))
        ours.set(g.id, dense)
      }
      let pairs = 0
      for (const row of rows) {
        expect(Math.abs(ours.get(row.start_vid)![localOf.get(row.end_vid)!]! - row.agg_cost)).toBeLessThan(1e-6)
        pairs++
      }
      // and no pair we reach is missing from pgRouting (it leaves unreachable pairs out)
      let reachable = 0
      for (const dense of ours.values()) for (const s of dense) if (s < Infinity && s > 0) reachable++
      expect(pairs).toBe(reachable)
    }
  })

  it('pgr_drivingDistance from several stations reaches the same nodes within 5 minutes as our multi-source search', async () => {
    const { graph, nodeIds } = await loadRoadGraph(api.sql, TOWN_BBOX)
    const localOf = new Map([...nodeIds].map((id, i) => [id, i]))
    const starts = await api.sql<{ id: number }[]>`SELECT id FROM road_node WHERE osm_id IN (120, 143, 106) ORDER BY osm_id`
    for (const mode of ['ebike', 'foot'] as const) {
      const minutes = mode === 'ebike' ? 5 : 15
      const rows = await api.sql<{ node: number; agg_cost: number }[]>`
        SELECT node::int, agg_cost FROM pgr_drivingDistance(${edgesSql(mode)}, ${starts.map((s) => s.id)}::bigint[], ${minutes * 60}, true, true)`
      const theirs = new Map(rows.map((r) => [localOf.get(r.node)!, r.agg_cost]))
      const r = networkDijkstra(graph, mode, starts.map((s, j) => ({ node: localOf.get(s.id)!, seconds: 0, site: j })), { cutoffS: minutes * 60 })
      expect(new Set(theirs.keys())).toEqual(new Set(r.nodes))
      r.nodes.forEach((v, k) => expect(Math.abs(theirs.get(v)! - r.seconds[k]!)).toBeLessThan(1e-6))
    }
  })
})
