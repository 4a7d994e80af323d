import { gunzipSync } from 'node:zlib'
import { VectorTile } from '@mapbox/vector-tile'
import { PbfReader as Pbf } from 'pbf'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runLoadRoads } from '../../../scripts/load-roads.ts'
import { startTestApi } from '../../test/test-app.ts'
import { TOWN_OSM } from '../core/test/town.ts'
import { placeClassesAt, roadClassesAt } from '../tiles/road-tiles.ts'
import { StationTiles } from '../tiles/station-tiles.ts'
import { currentDataVersions } from '../tiles/data-version.ts'
import { tileBounds } from '../tiles/tile-bounds.ts'

let api: Awaited<ReturnType<typeof startTestApi>>
const N = 3000

beforeAll(async () => {
  api = await startTestApi()
  // 3 000 stations spread over 0.6° × 0.5° around 金乡县, all kinds and statuses, some with own radius/hours
  await api.sql`
    INSERT INTO station (external_id, kind, name, geom, source, status, radius_m, opening_hours)
    SELECT 'tiles-test-' || i, (ARRAY['service_centre','red_sail','rider_rest','worksite'])[1 + i % 4], '测试驿站 ' || i,
           ST_SetSRID(ST_MakePoint(116.0 + ((i * 7919) % 10007) / 10007.0 * 0.6, 34.8 + ((i * 104729) % 10009) / 10009.0 * 0.5), 4326),
           'import', CASE WHEN i % 10 = 0 THEN 'retired' WHEN i % 7 = 0 THEN 'planned' ELSE 'active' END,
           CASE WHEN i % 5 = 0 THEN 800 END, CASE WHEN i % 3 = 0 THEN '24/7' END
      FROM generate_series(1, ${N}) i`
})
afterAll(async () => {
  await api?.close()
})

interface Decoded { x: number; y: number; properties: Record<string, string | number | boolean> }

function decode(buf: ArrayBuffer, layer: string): { extent: number; features: Decoded[] } {
  const tile = new VectorTile(new Pbf(new Uint8Array(buf)))
  const l = tile.layers[layer]
  if (!l) return { extent: 4096, features: [] }
  const features: Decoded[] = []
  for (let i = 0; i < l.length; i++) {
    const f = l.feature(i)
    const p = f.loadGeometry()[0]![0]!
    features.push({ x: p.x, y: p.y, properties: f.properties as Decoded['properties'] })
  }
  return { extent: l.extent, features }
}

/** features whose point lies in the tile itself, not in its buffer */
const inside = (d: { extent: number; features: Decoded[] }) => d.features.filter((f) => f.x >= 0 && f.x < d.extent && f.y >= 0 && f.y < d.extent)
const weight = (f: Decoded) => (f.properties.cluster ? Number(f.properties.point_count) : 1)
const sum = (fs: Decoded[]) => fs.reduce((s, f) => s + weight(f), 0)

function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)]
}

async function countIn(bbox: [number, number, number, number], statuses = ['planned', 'active'], kinds?: string[]) {
  const [row] = await api.sql<{ n: number }[]>`
    SELECT count(*)::int AS n FROM station
     WHERE status = ANY(${statuses}) ${kinds ? api.sql`AND kind = ANY(${kinds})` : api.sql``}
       AND ST_Intersects(geom, ST_MakeEnvelope(${bbox[0]}, ${bbox[1]}, ${bbox[2]}, ${bbox[3]}, 4326))`
  return row!.n
}

async function stationTile(path: string, init?: RequestInit) {
  const res = await api.request(`/api/tiles/stations/${path}`, init)
  return { res, tile: res.status === 200 ? decode(await res.arrayBuffer(), 'stations') : { extent: 4096, features: [] } }
}

describe('GET /api/tiles/stations/{z}/{x}/{y}.mvt', () => {
  it('puts every planned and active station in the world tile, clusters counting their members by kind', async () => {
    const { res, tile } = await stationTile('0/0/0.mvt')
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('application/vnd.mapbox-vector-tile')
    expect(res.headers.get('cache-control')).toBe('public, max-age=2, must-revalidate')
    const fs = inside(tile)
    expect(sum(fs)).toBe(await countIn(tileBounds(0, 0, 0)))
    expect(fs.some((f) => f.properties.cluster)).toBe(true)
    for (const f of fs.filter((f) => f.properties.cluster)) {
      const byKind = ['service_centre', 'red_sail', 'rider_rest', 'worksite'].reduce((s, k) => s + Number(f.properties[`count_${k}`]), 0)
      expect(byKind).toBe(f.properties.point_count)
    }
    const kindTotal = (k: string) => fs.reduce((s, f) => s + (f.properties.cluster ? Number(f.properties[`count_${k}`]) : f.properties.kind === k ? 1 : 0), 0)
    expect(kindTotal('rider_rest')).toBe(await countIn(tileBounds(0, 0, 0), ['planned', 'active'], ['rider_rest']))
  })

  it('at z 15 and beyond holds exactly the stations in the tile’s Web-Mercator bounds, with their properties', async () => {
    const [s] = await api.sql<{ lon: number; lat: number }[]>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM station WHERE external_id = 'tiles-test-15'`
    for (const z of [15, 17]) {
      const [x, y] = tileAt(s!.lon, s!.lat, z)
      const { res, tile } = await stationTile(`${z}/${x}/${y}.mvt`)
      expect(res.status).toBe(200)
      const fs = inside(tile)
      expect(fs.every((f) => !f.properties.cluster)).toBe(true)
      const b = tileBounds(z, x, y)
      const ids = await api.sql<{ id: string }[]>`
        SELECT id::text FROM station WHERE status IN ('planned', 'active')
           AND ST_Intersects(geom, ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)) ORDER BY id`
      expect(fs.map((f) => f.properties.id).sort()).toEqual(ids.map((r) => r.id))
    }
    const [x, y] = tileAt(s!.lon, s!.lat, 18)
    const f = inside((await stationTile(`18/${x}/${y}.mvt`)).tile).find((f) => String(f.properties.name) === '测试驿站 15')!
    expect(f.properties).toMatchObject({ kind: 'worksite', status: 'active', radius_m: 800, opening_hours: '24/7' })
  })

  it('at cluster zooms counts between the stations of the tile shrunk and grown by the clustering reach', async () => {
    for (const z of [6, 9, 12]) {
      const [x, y] = tileAt(116.3, 35.05, z)
      const total = sum(inside((await stationTile(`${z}/${x}/${y}.mvt`)).tile))
      // a cluster's members lie within 4 radii (50 px of 512 per zoom, halving each level) of its centre
      const reach = (4 * 50) / 512
      expect(total).toBeGreaterThanOrEqual(await countIn(tileBounds(z, x, y, -reach)))
      expect(total).toBeLessThanOrEqual(await countIn(tileBounds(z, x, y, reach)))
      expect(total).toBeGreaterThan(0)
    }
  })

  it('filters by kind and status exactly like /api/stations', async () => {
    const { tile } = await stationTile('0/0/0.mvt?kind=rider_rest,worksite&status=retired')
    const fs = inside(tile)
    expect(sum(fs)).toBe(await countIn(tileBounds(0, 0, 0), ['retired'], ['rider_rest', 'worksite']))
    const [x, y] = tileAt(116.3, 35.05, 16)
    for (const f of inside((await stationTile(`16/${x}/${y}.mvt?kind=rider_rest&status=planned`)).tile)) {
      expect(f.properties).toMatchObject({ kind: 'rider_rest', status: 'planned' })
    }
  })

  it('answers 304 to its own ETag, and shows a station inserted by SQL in the next request at that version', async () => {
    const z = 16
    const [x, y] = tileAt(116.9, 35.5, z) // north-east of every test station: nothing there yet
    const first = await stationTile(`${z}/${x}/${y}.mvt`)
    expect(first.res.status).toBe(204)
    const etag = first.res.headers.get('etag')!
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/)
    expect((await api.request(`/api/tiles/stations/${z}/${x}/${y}.mvt`, { headers: { 'If-None-Match': etag } })).status).toBe(304)
    expect((await api.request(`/api/tiles/stations/${z}/${x}/${y}.mvt`, { headers: { 'If-None-Match': `W/${etag}` } })).status).toBe(304)
    await api.sql`INSERT INTO station (kind, name, geom, source) VALUES ('red_sail', '新驿站', ST_SetSRID(ST_MakePoint(116.9, 35.5), 4326), 'manual')`
    // without ?v= a request waits only freshWaitMs (300 ms) for the rebuild before it is served the previous
    // index, which a loaded machine can exceed; asking for the version /api/changes names waits for it
    const { stations } = (await api.get<{ stations: number }>('/api/changes')).body
    const after = await stationTile(`${z}/${x}/${y}.mvt?v=${stations}`, { headers: { 'If-None-Match': etag } })
    expect(after.res.status).toBe(200)
    expect(after.res.headers.get('etag')).not.toBe(etag)
    expect(inside(after.tile).map((f) => f.properties.name)).toEqual(['新驿站'])
  })

  it('gzips tiles for clients that accept it', async () => {
    const res = await api.request('/api/tiles/stations/0/0/0.mvt', { headers: { 'Accept-Encoding': 'gzip' } })
    expect(res.headers.get('content-encoding')).toBe('gzip')
    const bytes = gunzipSync(Buffer.from(await res.arrayBuffer()))
    expect(sum(inside(decode(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, 'stations')))).toBeGreaterThan(N / 2)
  })

  it('rejects out-of-range tiles and bad filters with 400 naming the field', async () => {
    const cases: [string, string, string][] = [
      ['23/0/0.mvt', 'invalid_params', 'z'],
      ['2/4/0.mvt', 'invalid_params', 'x'],
      ['2/0/4.mvt', 'invalid_params', 'y'],
      ['2/0/1.png', 'invalid_params', 'y'],
      ['-1/0/0.mvt', 'invalid_params', 'z'],
      ['2/0/1.mvt?kind=bogus', 'invalid_query', 'kind'],
      ['2/0/1.mvt?status=gone', 'invalid_query', 'status'],
    ]
    for (const [path, code, field] of cases) {
      const res = await api.request(`/api/tiles/stations/${path}`)
      expect(res.status, path).toBe(400)
      const body = (await res.json()) as { error: { code: string; message: string; issues: { path: string[] }[] } }
      expect(body.error.code).toBe(code)
      expect(body.error.issues.map((i) => i.path[0])).toContain(field)
      expect(body.error.message).toContain(field)
    }
  })
})

describe('StationTiles while an index is rebuilt', () => {
  it('serves the previous index past the wait, and an index at least as new as ?v= within its budget', async () => {
    const tiles = new StationTiles(api.sql, { freshWaitMs: 0 })
    try {
      const first = await tiles.freshIndex({})
      await api.sql`INSERT INTO station (kind, name, geom, source) VALUES ('worksite', '重建中', ST_SetSRID(ST_MakePoint(116.95, 35.55), 4326), 'manual')`
      const { stations: v } = await currentDataVersions(api.sql)
      expect(v).toBeGreaterThan(first.version)
      // no waiting: the rebuild has not finished (it reads the database), the old index answers
      expect((await tiles.indexAtLeast({}, v, 0)).version).toBe(first.version)
      const fresh = await tiles.indexAtLeast({}, v, 30_000)
      expect(fresh.version).toBeGreaterThanOrEqual(v)
      expect(fresh.points).toBe(first.points + 1)
    } finally {
      await api.sql`DELETE FROM station WHERE name = '重建中'`
      await tiles.close()
    }
  })
})

describe('GET /api/changes', () => {
  it('bumps only the stations counter on a station write, and answers 304 while nothing changed', async () => {
    const a = await api.get<{ stations: number; roads: number; regions: number }>('/api/changes')
    expect(a.status).toBe(200)
    expect(a.headers.get('cache-control')).toBe('no-cache')
    const etag = a.headers.get('etag')!
    expect((await api.request('/api/changes', { headers: { 'If-None-Match': etag } })).status).toBe(304)
    await api.sql`UPDATE station SET name = name || '·' WHERE external_id = 'tiles-test-1'`
    const b = await api.get<typeof a.body>('/api/changes')
    expect(b.body.stations).toBe(a.body.stations + 1)
    expect(b.body.roads).toBe(a.body.roads)
    expect(b.body.regions).toBe(a.body.regions)
    expect((await api.request('/api/changes', { headers: { 'If-None-Match': etag } })).status).toBe(200)
  })
})

describe('GET /api/tiles/roads/{z}/{x}/{y}.mvt', () => {
  const TOWN: [number, number] = [116.315, 35.06]

  it('is empty before any roads are loaded, then holds the fixture town’s ways by class and name', async () => {
    const [x, y] = tileAt(...TOWN, 14)
    const before = await api.request(`/api/tiles/roads/14/${x}/${y}.mvt`)
    expect(before.status).toBe(204)
    const versionBefore = (await api.get('/api/changes')).body.roads
    await runLoadRoads(api.sql, TOWN_OSM)
    expect((await api.get('/api/changes')).body.roads).toBeGreaterThan(versionBefore)
    const res = await api.request(`/api/tiles/roads/14/${x}/${y}.mvt`, { headers: { 'If-None-Match': before.headers.get('etag')! } })
    expect(res.status).toBe(200)
    expect(res.headers.get('attribution')).toBe('(c) OpenStreetMap contributors, ODbL')
    const tile = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer()))).layers.roads!
    const b = tileBounds(14, x, y, 64 / 4096)
    const [ways] = await api.sql<{ n: number }[]>`
      SELECT count(DISTINCT way_id)::int AS n FROM road_edge WHERE geom && ST_MakeEnvelope(${b[0]}, ${b[1]}, ${b[2]}, ${b[3]}, 4326)`
    expect(tile.length).toBe(ways!.n)
    const props = Array.from({ length: tile.length }, (_, i) => tile.feature(i).properties)
    expect(props.map((p) => p.name)).toContain('金山大道')
    expect(props.find((p) => p.name === '金山大道')?.name_en).toBe('Jinshan Avenue')
    expect(props.find((p) => p.name === '南4巷')).not.toHaveProperty('name_en')
    expect(new Set(props.map((p) => p.class))).toEqual(new Set((await api.sql<{ class: string }[]>`SELECT DISTINCT class FROM road_edge`).map((r) => r.class)))
  })

  it('draws only main roads at z 10–11, streets from 12, and nothing below z 10', async () => {
    expect(roadClassesAt(11)).not.toContain('residential')
    expect(roadClassesAt(12)).toContain('residential')
    expect(roadClassesAt(13)).not.toContain('footway')
    for (const z of [10, 12]) {
      const [x, y] = tileAt(...TOWN, z)
      const res = await api.request(`/api/tiles/roads/${z}/${x}/${y}.mvt`)
      expect(res.status).toBe(200)
      const l = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer()))).layers.roads!
      for (let i = 0; i < l.length; i++) expect(roadClassesAt(z)).toContain(l.feature(i).properties.class)
    }
    const [x, y] = tileAt(...TOWN, 9)
    expect((await api.request(`/api/tiles/roads/9/${x}/${y}.mvt`)).status).toBe(204)
  })

  it('carry the named places by class: the town from z 10, the village from 12, hamlet and neighbourhood from 14', async () => {
    expect(placeClassesAt(8)).toEqual(['city'])
    expect(placeClassesAt(12)).toEqual(['city', 'town', 'suburb', 'village'])
    const placesAt = async (z: number) => {
      const [x, y] = tileAt(116.3175, 35.0555, z)
      const res = await api.request(`/api/tiles/roads/${z}/${x}/${y}.mvt`)
      if (res.status === 204) return []
      const l = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer()))).layers.places
      return l ? Array.from({ length: l.length }, (_, i) => l.feature(i).properties) : []
    }
    expect(await placesAt(9)).toEqual([])
    const z10 = await placesAt(10)
    expect(z10).toEqual([{ class: 'town', rank: 1, name: '金山镇', name_en: 'Jinshan', population: 32000 }])
    expect((await placesAt(12)).map((p) => p.name)).toEqual(['金山镇', '北岸村'])
    // rank order, then population; the county node and the unnamed town were never imported
    const z14 = await placesAt(14)
    expect(z14.map((p) => [p.class, p.rank])).toEqual([['town', 1], ['village', 3], ['hamlet', 5], ['neighbourhood', 6]])
    expect(z14.find((p) => p.name === '南滨社区')).not.toHaveProperty('name_en')
    expect(z14.map((p) => p.name)).not.toContain('金乡县')
  })

  it('GET /api/places finds the loaded places by part of the name, Chinese or English, bounded and validated', async () => {
    const { status, body } = await api.get(`/api/places?q=${encodeURIComponent('金山')}`)
    expect(status).toBe(200)
    expect(body.places[0]).toMatchObject({ name: '金山镇', name_en: 'Jinshan', class: 'town' })
    const [pg] = await api.sql<{ lon: number; lat: number }[]>`SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat FROM road_place WHERE name = '金山镇'`
    expect([body.places[0].lon, body.places[0].lat]).toEqual([pg!.lon, pg!.lat])
    expect(body.attribution).toBe('© OpenStreetMap contributors, ODbL')
    expect((await api.get('/api/places?q=jinSHAN')).body.places.map((p: { name: string }) => p.name)).toContain('金山镇')
    const all = (await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM road_place`)[0]!.n
    expect((await api.get('/api/places?q=%25&limit=20')).body).toEqual({ places: [], attribution: null }) // % is a letter, not a wildcard
    expect(all).toBeGreaterThan(1)
    expect((await api.get(`/api/places?q=${encodeURIComponent('村')}&limit=1`)).body.places.length).toBe(1)
    for (const [query, field] of [['q=', 'q'], ['q=%20', 'q'], [`q=${'镇'.repeat(51)}`, 'q'], ['q=a&limit=21', 'limit'], ['q=a&limit=1.5', 'limit'], ['limit=3', 'q']] as const) {
      const bad = await api.get(`/api/places?${query}`)
      expect(bad.status, query).toBe(400)
      expect(bad.body.error.message).toMatch(new RegExp(`^${field}:`))
    }
  })

  it('says in its TileJSON that OSM attribution is required, with both layers', async () => {
    const { body } = await api.get('/api/tiles/roads.json')
    expect(body).toMatchObject({ tilejson: '3.0.0', minzoom: 8, attribution: '© OpenStreetMap contributors, ODbL' })
    expect(body.vector_layers.map((l: { id: string }) => l.id)).toEqual(['roads', 'places'])
    expect(body.tiles[0]).toMatch(/\/api\/tiles\/roads\/\{z\}\/\{x\}\/\{y\}\.mvt$/)
  })
})

describe('GET /api/tiles/regions/{z}/{x}/{y}.mvt', () => {
  it('labels each region with the station count /api/regions gives, polygons alongside', async () => {
    const regions = (await api.get('/api/regions')).body.features as { properties: { code: string; station_count: number } }[]
    const [x, y] = tileAt(116.3, 35.05, 5)
    const res = await api.request(`/api/tiles/regions/5/${x}/${y}.mvt`)
    expect(res.status).toBe(200)
    const vt = new VectorTile(new Pbf(new Uint8Array(await res.arrayBuffer())))
    expect(vt.layers.regions!.length).toBeGreaterThan(0)
    const labels = vt.layers.region_labels!
    const seen = new Set<string>()
    for (let i = 0; i < labels.length; i++) {
      const p = labels.feature(i).properties
      seen.add(String(p.code))
      expect(p.station_count).toBe(regions.find((r) => r.properties.code === p.code)!.properties.station_count)
    }
    expect(seen.has('370828')).toBe(true)
  })

  it('stops at z 12 with a 400 that says to overzoom', async () => {
    const res = await api.request('/api/tiles/regions/13/0/0.mvt')
    expect(res.status).toBe(400)
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/z 12/)
  })
})
