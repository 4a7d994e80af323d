/**
 * `npm run bench-tile-rebuild`: what a station edit costs the request thread while the station tile
 * index is rebuilt, with the cluster index built on the request thread (before) against the cluster
 * thread (after, api/src/tiles/cluster-thread.ts), side by side in one run on the database the server
 * would use; and the memory one index holds, before and after.
 *
 *   DATABASE_URL=postgres://… npm run bench-tile-rebuild -- [--rounds 3]
 *
 * Load a data set first (`npm run scale-data -- --stations 1000000`). Each round moves one station by a
 * few metres (as PATCH /api/stations does), then, for each way in turn, rebuilds the index while
 * - `monitorEventLoopDelay` (10 ms resolution) records how late the request thread's timers run: its
 *   max is the longest stall a request would have met;
 * - a tile request (z 8 around the edit) is made every 25 ms through StationTiles.tile, as the route
 *   does: answered from the previous index while the rebuild runs; its latencies are reported.
 * Also: "per region", the time to cluster only the largest region's stations on the request thread
 * (what an edit there would block if the index were split by region).
 * Memory (`--memory`, on by default): one child process per way loads the projection and builds one
 * index (all kinds, planned + active); RSS and heap + array buffers after a full GC, minus the same
 * after the projection alone. The old index is rebuilt here as it was (supercluster holding its
 * GeoJSON feature properties, ids and a properties object per cluster).
 * The edits are undone at the end. Embedded database: stop the server first (one process owns DATA_DIR).
 */
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { parseArgs } from 'node:util'
import Supercluster from 'supercluster'
import { connect } from '../api/src/db/connect.ts'
import { migrate } from '../api/src/db/migrate.ts'
import { STATION_KINDS } from '../api/src/core/station-kinds.ts'
import { buildClusterIndex, selectPoints, superclusterOptions } from '../api/src/tiles/cluster-index.ts'
import { currentDataVersions } from '../api/src/tiles/data-version.ts'
import { loadStationProjection } from '../api/src/tiles/station-projection.ts'
import { buildIndex, clusterInput, StationTiles } from '../api/src/tiles/station-tiles.ts'

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '3' }, memory: { type: 'boolean', default: true }, 'no-memory': { type: 'boolean', default: false }, child: { type: 'string' } },
})
const db = await connect({ databaseUrl: process.env.DATABASE_URL, ...(process.env.DATA_DIR ? { dataDir: process.env.DATA_DIR } : {}) })
const { sql } = db
const mib = (b: number) => (b / 2 ** 20).toFixed(0)

if (args.child) {
  // one index in a process of its own: RSS after a full GC, before and after the index
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('run the child with --expose-gc')
  const settle = () => {
    for (let i = 0; i < 3; i++) gc()
    const m = process.memoryUsage()
    return { rss: m.rss, heap: m.heapUsed + m.arrayBuffers }
  }
  const { stations } = await currentDataVersions(sql)
  const projection = await loadStationProjection(sql, stations)
  const base = settle()
  const t0 = performance.now()
  let keep: unknown
  if (args.child === 'legacy') keep = legacyIndex(projection)
  else keep = buildIndex(projection, {})
  const ms = performance.now() - t0
  const after = settle()
  console.log(JSON.stringify({ way: args.child, count: projection.count, ms, projection: base, index: { rss: after.rss - base.rss, heap: after.heap - base.heap }, total: after, keep: keep ? 1 : 0 }))
  await db.close()
  process.exit(0)
}

/** The index as it was before the cluster thread: supercluster over GeoJSON features (the baseline). */
function legacyIndex(projection: Awaited<ReturnType<typeof loadStationProjection>>) {
  const p = selectPoints(clusterInput(projection, {}, false))
  const oneOfKind = STATION_KINDS.map((k) => Object.fromEntries(STATION_KINDS.map((j) => [`count_${j}`, j === k ? 1 : 0])))
  const features = Array.from({ length: p.n }, (_, i) => ({ type: 'Feature' as const, id: p.row[i]!, properties: oneOfKind[p.kind[i]!] as never, geometry: { type: 'Point' as const, coordinates: [p.lon[i]!, p.lat[i]!] } }))
  return new Supercluster(superclusterOptions()).load(features)
}

await migrate(sql)
const rounds = Number(args.rounds)
const [{ n }] = (await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station`) as unknown as [{ n: number }]
const [victim] = await sql<{ id: string; lon: number; lat: number }[]>`
  SELECT id::text, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM station WHERE status = 'active' ORDER BY id LIMIT 1`
if (!victim) throw new Error('no active station: load some first (npm run scale-data -- --stations 100000)')
const tileX = Math.floor(((victim.lon + 180) / 360) * 256)
const r = (victim.lat * Math.PI) / 180
const tileY = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * 256)

const ways = { before: new StationTiles(sql, { offThread: false, freshWaitMs: 0 }), after: new StationTiles(sql, { offThread: true, freshWaitMs: 0 }) }
for (const [name, t] of Object.entries(ways)) {
  const t0 = performance.now()
  const e = await t.freshIndex({})
  console.log(`first build (${name}): ${(performance.now() - t0).toFixed(0)} ms over ${e.points.toLocaleString('en')} points`)
}

interface Round { ms: number; stallMax: number; delayP99: number; tiles: number[] }
const results: Record<keyof typeof ways, Round[]> = { before: [], after: [] }
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))] ?? NaN

async function rebuild(t: StationTiles): Promise<Round> {
  const h = monitorEventLoopDelay({ resolution: 10 })
  const tiles: number[] = []
  let done = false
  // a tile request every 25 ms meanwhile, as the route makes them (served from the previous index)
  const requests = (async () => {
    while (!done) {
      const s = performance.now()
      await t.tile({}, 8, tileX, tileY)
      tiles.push(performance.now() - s)
      await new Promise((r) => setTimeout(r, 25))
    }
  })()
  h.enable()
  const t0 = performance.now()
  await t.freshIndex({})
  const ms = performance.now() - t0
  // a stall is recorded when the timer after it fires: let it fire before reading the histogram
  await new Promise((r) => setTimeout(r, 30))
  h.disable()
  done = true
  await requests
  return { ms, stallMax: h.max / 1e6, delayP99: h.percentile(99) / 1e6, tiles }
}

for (let round = 0; round < rounds; round++) {
  const d = (round + 1) * 1e-5
  await sql`UPDATE station SET geom = ST_SetSRID(ST_MakePoint(${victim.lon + d}, ${victim.lat}), 4326), updated_at = now() WHERE id = ${victim.id}::uuid`
  // alternate which goes first, so neither always meets a warm database cache
  const order = round % 2 ? (['after', 'before'] as const) : (['before', 'after'] as const)
  for (const name of order) results[name].push(await rebuild(ways[name]))
}
await sql`UPDATE station SET geom = ST_SetSRID(ST_MakePoint(${victim.lon}, ${victim.lat}), 4326), updated_at = now() WHERE id = ${victim.id}::uuid`

// split per region instead: an edit rebuilds only its region's index, on the request thread
const [big] = await sql<{ region_code: string; n: number }[]>`
  SELECT region_code, count(*)::int AS n FROM station WHERE status IN ('planned', 'active') GROUP BY region_code ORDER BY n DESC LIMIT 1`
const rows = await sql<{ lon: number; lat: number; kind: string }[]>`
  SELECT ST_X(geom) AS lon, ST_Y(geom) AS lat, kind FROM station WHERE region_code = ${big!.region_code} AND status IN ('planned', 'active')`
const regionPoints = { n: rows.length, lon: Float64Array.from(rows, (x) => x.lon), lat: Float64Array.from(rows, (x) => x.lat), kind: Uint8Array.from(rows, (x) => STATION_KINDS.indexOf(x.kind as never)), row: Int32Array.from(rows, (_, i) => i) }
const regionMs: number[] = []
for (let i = 0; i < rounds; i++) {
  const t0 = performance.now()
  buildClusterIndex(regionPoints)
  regionMs.push(performance.now() - t0)
}

const med = (xs: number[]) => pct(xs, 50)
const f0 = (x: number) => x.toFixed(0)
const line = (name: keyof typeof ways, label: string) => {
  const rs = results[name]
  const tiles = rs.flatMap((x) => x.tiles)
  return `| ${label} | ${f0(med(rs.map((x) => x.ms)))} | ${f0(med(rs.map((x) => x.stallMax)))} (max ${f0(Math.max(...rs.map((x) => x.stallMax)))}) | ${f0(med(rs.map((x) => x.delayP99)))} | ${tiles.length} | ${pct(tiles, 50).toFixed(1)} / ${pct(tiles, 99).toFixed(1)} / ${Math.max(...tiles).toFixed(0)} |`
}
console.log(`\n${n.toLocaleString('en')} stations, ${rounds} edits; database ${db.mode}; per edit: refresh the projection, cluster, serve\n`)
console.log('| index rebuild after one edit | until fresh, median ms | longest event-loop stall, median ms | event-loop delay p99, ms | tile requests meanwhile | tile ms p50 / p99 / max |\n|---|---|---|---|---|---|')
console.log(line('before', 'on the request thread (before)'))
console.log(line('after', 'cluster thread, typed arrays moved (after)'))
const stallB = med(results.before.map((x) => x.stallMax))
const stallA = med(results.after.map((x) => x.stallMax))
console.log(`\nlongest stall before ÷ after: ${(stallB / Math.max(stallA, 1)).toFixed(1)}×`)
console.log(`split per region instead: the largest region (${big!.region_code}, ${rows.length.toLocaleString('en')} of its stations = ${((100 * rows.length) / n).toFixed(0)} %) clusters in ${f0(med(regionMs))} ms on the request thread, which an edit there would block for`)

await Promise.all(Object.values(ways).map((t) => t.close()))
await db.close()

if (args.memory && !args['no-memory']) {
  console.log('\n| index (all kinds, planned + active) | build ms | index RSS MiB | index heap + buffers MiB | process RSS MiB (projection + index) |\n|---|---|---|---|---|')
  const self = fileURLToPath(import.meta.url)
  const out: Record<string, { ms: number; index: { rss: number; heap: number }; total: { rss: number } ; projection: { rss: number; heap: number } }> = {}
  for (const way of ['legacy', 'packed']) {
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self, '--child', way], { env: process.env, encoding: 'utf8', maxBuffer: 1 << 20 })
    if (child.status !== 0) throw new Error(`child ${way}: ${child.stderr}`)
    const res = JSON.parse(child.stdout.trim().split('\n').at(-1)!)
    out[way] = res
    console.log(`| ${way === 'legacy' ? 'supercluster with its features (before)' : 'packed typed arrays (after)'} | ${f0(res.ms)} | ${mib(res.index.rss)} | ${mib(res.index.heap)} | ${mib(res.total.rss)} |`)
  }
  console.log(`\nthe projection alone: RSS ${mib(out.packed!.projection.rss)} MiB, heap + buffers ${mib(out.packed!.projection.heap)} MiB; index heap before ÷ after: ${(out.legacy!.index.heap / out.packed!.index.heap).toFixed(1)}×`)
}
