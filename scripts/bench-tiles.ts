/**
 * `npm run bench-tiles`: station vector tiles against the /api/stations GeoJSON download of the same
 * view, side by side in one run, at each station count. With DATABASE_URL the server's database
 * (a schema of its own, dropped afterwards); without, a fresh embedded PGlite in a temp dir.
 *
 *   npm run bench-tiles                         # 10^4 and 10^5 stations
 *   npm run bench-tiles -- --sizes 10000,100000,1000000 --rounds 5
 *
 * Stations are synthetic (generate_series + random() in SQL, seeded with setseed) inside the
 * bounding boxes of the three pilot counties (370828 金乡县, 361021 南城县, 231102 爱辉区), one third each.
 * A "view" is the 3×3 tiles around a county's centre at z (≈ 1536 × 1536 px of map); the baseline
 * fetches the same view's bbox from /api/stations page by page (limit 10000), as the pages do today.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { startApi } from '../api/src/start.ts'
import { encodeStationTile, stationTilesFor } from '../api/src/tiles/station-tiles.ts'
import { tileBounds } from '../api/src/tiles/tile-bounds.ts'

const { values: args } = parseArgs({
  options: { sizes: { type: 'string', default: '10000,100000' }, rounds: { type: 'string', default: '3' } },
})
const sizes = args.sizes!.split(',').map(Number)
const rounds = Number(args.rounds)
const ZOOMS = [5, 8, 11, 14]
const COUNTIES = ['370828', '361021', '231102']

const databaseUrl = process.env.DATABASE_URL
const dataDir = databaseUrl ? undefined : mkdtempSync(join(tmpdir(), 'bench-tiles-'))
const schema = databaseUrl ? `bench_tiles_${process.pid}` : undefined
const api = await startApi({ databaseUrl, dataDir, schema })
const { app, sql } = api
const gz = { 'Accept-Encoding': 'gzip' }

function tileAt(lon: number, lat: number, z: number): [number, number] {
  const n = 2 ** z
  const r = (lat * Math.PI) / 180
  return [Math.floor(((lon + 180) / 360) * n), Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n)]
}
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!
const mib = (b: number) => (b / 2 ** 20).toFixed(2)
const rss = () => Math.round(process.memoryUsage().rss / 2 ** 20)

const centres = await sql<{ code: string; lon: number; lat: number }[]>`
  SELECT code, ST_X(ST_Centroid(geom)) AS lon, ST_Y(ST_Centroid(geom)) AS lat FROM region WHERE code = ANY(${COUNTIES}) ORDER BY code`

console.log(`database: ${api.database}; ${rounds} rounds per tile after one warm-up; gzip on the wire as the browser gets it`)
const HEADER = '| stations | z | tile ms p50 / p99 | bytes / tile (gzip) | stations in view | view via tiles, MiB | view via /api/stations, MiB (time) | bytes / station tiles / GeoJSON | GeoJSON ÷ tiles | radius_m + opening_hours, bytes / station (raw) |\n|---|---|---|---|---|---|---|---|---|---|'
try {
const table: string[] = []
let loaded = 0
for (const n of sizes) {
  const t0 = performance.now()
  await sql`SELECT setseed(0.42)`
  const [row] = await sql<{ n: number }[]>`
    WITH b AS (SELECT row_number() OVER (ORDER BY code) - 1 AS k, ST_XMin(geom) x0, ST_XMax(geom) x1, ST_YMin(geom) y0, ST_YMax(geom) y1
                 FROM region WHERE code = ANY(${COUNTIES})),
         ins AS (
      INSERT INTO station (external_id, kind, name, geom, source, status, opening_hours)
      SELECT 'bench-tiles-' || i, (ARRAY['service_centre','red_sail','rider_rest','worksite'])[1 + (i % 4)], '基准驿站 ' || i,
             ST_SetSRID(ST_MakePoint(b.x0 + random() * (b.x1 - b.x0), b.y0 + random() * (b.y1 - b.y0)), 4326), 'import',
             CASE WHEN i % 20 = 0 THEN 'planned' ELSE 'active' END, CASE WHEN i % 3 = 0 THEN '24/7' WHEN i % 3 = 1 THEN 'Mo-Fr 08:00-20:00' END
        FROM generate_series(${loaded + 1}::int, ${n}::int) i JOIN b ON b.k = i % 3
      RETURNING 1)
    SELECT count(*)::int AS n FROM ins`
  loaded = n
  await sql`ANALYZE station`
  const total = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station WHERE status <> 'retired'`)[0]!.n
  console.log(`\n${n.toLocaleString('en')} synthetic stations (+${row!.n.toLocaleString('en')} in ${Math.round(performance.now() - t0)} ms; ${total.toLocaleString('en')} planned/active in all)`)

  // index build: the first tile after the change loads the projection and clusters it
  const rss0 = rss()
  const b0 = performance.now()
  const entry = await stationTilesFor(sql).freshIndex({})
  console.log(`  cluster index: ${Math.round(performance.now() - b0)} ms to load the projection and build (${entry.points.toLocaleString('en')} points); RSS ${rss0} → ${rss()} MiB`)

  for (const z of ZOOMS) {
    const times: number[] = []
    let tileBytes = 0
    let tiles = 0
    let stationsInView = 0
    let geoBytes = 0
    let geoMs = 0
    let extrasSaved = 0
    for (const c of centres) {
      const [cx, cy] = tileAt(c.lon, c.lat, z)
      const view: [number, number][] = []
      for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) view.push([cx + dx, cy + dy])
      for (const [x, y] of view) {
        await (await app.request(`/api/tiles/stations/${z}/${x}/${y}.mvt`, { headers: gz })).arrayBuffer() // warm-up
        for (let r = 0; r < rounds; r++) {
          const s = performance.now()
          const res = await app.request(`/api/tiles/stations/${z}/${x}/${y}.mvt`, { headers: gz })
          const body = await res.arrayBuffer()
          times.push(performance.now() - s)
          if (r === 0) {
            tileBytes += body.byteLength
            tiles++
            const full = encodeStationTile(entry, z, x, y)?.byteLength ?? 0
            const bare = encodeStationTile(entry, z, x, y, { extras: false })?.byteLength ?? 0
            extrasSaved += full - bare
          }
        }
      }
      // the same view through /api/stations (bbox of the 3×3 tiles), paged as fetchAllStations does
      const w = tileBounds(z, cx - 1, cy + 1)
      const e = tileBounds(z, cx + 1, cy - 1)
      const bbox = [w[0], w[1], e[2], e[3]].map((v) => v.toFixed(6)).join(',')
      const s = performance.now()
      let cursor: string | undefined
      for (let page = 0; page < 1000; page++) {
        const res = await app.request(`/api/stations?bbox=${bbox}&limit=10000${cursor ? `&cursor=${cursor}` : ''}`, { headers: gz })
        const buf = Buffer.from(await res.arrayBuffer())
        geoBytes += buf.byteLength
        const { gunzipSync } = await import('node:zlib')
        const fc = JSON.parse(gunzipSync(buf).toString()) as { features: unknown[]; next_cursor?: string }
        stationsInView += fc.features.length
        cursor = fc.next_cursor
        if (!cursor) break
      }
      geoMs += performance.now() - s
    }
    const perStationTiles = stationsInView ? tileBytes / stationsInView : 0
    const perStationGeo = stationsInView ? geoBytes / stationsInView : 0
    table.push(
      `| ${n.toLocaleString('en')} | ${z} | ${pct(times, 50).toFixed(1)} / ${pct(times, 99).toFixed(1)} | ${Math.round(tileBytes / tiles).toLocaleString('en')} | ` +
        `${(stationsInView / 3).toFixed(0)} | ${mib(tileBytes / 3)} | ${mib(geoBytes / 3)} (${(geoMs / 3).toFixed(0)} ms) | ${perStationTiles.toFixed(2)} / ${perStationGeo.toFixed(1)} | ` +
        `${tileBytes ? (geoBytes / tileBytes).toFixed(0) : '–'}× | ${stationsInView ? (extrasSaved / stationsInView).toFixed(2) : '–'} |`,
    )
    console.log(`  ${table.at(-1)}`)
  }
}

console.log(`\n${HEADER}`)
for (const line of table) console.log(line)
console.log(`\nview = 3×3 tiles around each pilot county's centroid, averaged over the 3 counties; RSS now ${rss()} MiB`)

} finally {
await sql`DELETE FROM station WHERE external_id LIKE 'bench-tiles-%'`
if (schema) await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
await api.close()
if (dataDir) rmSync(dataDir, { recursive: true, force: true })
}
