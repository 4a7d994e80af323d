/**
 * `npm run bench-tile-edit`: how long one station edit takes to show in the station tiles, with the
 * whole-table reload after each change (the old way) against the incremental refresh (only the changed
 * rows, station-projection.ts), side by side in one run on the database the server would use.
 *
 *   DATABASE_URL=postgres://… npm run bench-tile-edit -- [--rounds 5]
 *
 * Load a data set first (`npm run scale-data -- --stations 100000`). Each round moves one station
 * by a few metres (UPDATE … updated_at = now(), as PATCH /api/stations does), then times until each
 * StationTiles serves an index at the new stations version and encodes one tile from it. The edits
 * are undone at the end. Embedded database: stop the server first (one process owns DATA_DIR).
 */
import { parseArgs } from 'node:util'
import { connect } from '../api/src/db/connect.ts'
import { migrate } from '../api/src/db/migrate.ts'
import { currentDataVersions } from '../api/src/tiles/data-version.ts'
import { encodeStationTile, StationTiles } from '../api/src/tiles/station-tiles.ts'

const { values: args } = parseArgs({ options: { rounds: { type: 'string', default: '5' } } })
const rounds = Number(args.rounds)
const db = await connect({ databaseUrl: process.env.DATABASE_URL, ...(process.env.DATA_DIR ? { dataDir: process.env.DATA_DIR } : {}) })
const { sql } = db
await migrate(sql) // station_updated_idx (migration 016)
const [{ n }] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM station` as unknown as [{ n: number }]
const [victim] = await sql<{ id: string; lon: number; lat: number }[]>`
  SELECT id::text, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM station WHERE status = 'active' ORDER BY id LIMIT 1`
if (!victim) throw new Error('no active station: load one first (npm run scale-data -- --stations 100000)')

const full = new StationTiles(sql, { incremental: false })
const incremental = new StationTiles(sql, { incremental: true })
const filter = {}
const ms = (t: number) => performance.now() - t
// warm-up: both build their first index from the whole table
for (const t of [full, incremental]) {
  const t0 = performance.now()
  const e = await t.freshIndex(filter)
  encodeStationTile(e, 8, 213, 103)
  console.log(`first build (${t === full ? 'full' : 'incremental'}): ${ms(t0).toFixed(0)} ms over ${e.points} stations`)
}

const times = { full: [] as number[], incremental: [] as number[] }
for (let r = 0; r < rounds; r++) {
  const d = (r + 1) * 1e-5
  await sql`UPDATE station SET geom = ST_SetSRID(ST_MakePoint(${victim.lon + d}, ${victim.lat}), 4326), updated_at = now() WHERE id = ${victim.id}::uuid`
  const { stations } = await currentDataVersions(sql)
  // alternate which goes first, so neither always meets a warm database cache
  const order = r % 2 ? (['incremental', 'full'] as const) : (['full', 'incremental'] as const)
  for (const name of order) {
    const t0 = performance.now()
    const e = await (name === 'full' ? full : incremental).freshIndex(filter)
    if (e.version < stations) throw new Error(`${name}: index at version ${e.version} < ${stations}`)
    const i = e.projection.id.indexOf(victim.id)
    if (Math.abs(e.projection.lon[i]! - (victim.lon + d)) > 1e-9) throw new Error(`${name}: the edit is not in the index`)
    encodeStationTile(e, 8, 213, 103)
    times[name].push(ms(t0))
  }
}
await sql`UPDATE station SET geom = ST_SetSRID(ST_MakePoint(${victim.lon}, ${victim.lat}), 4326), updated_at = now() WHERE id = ${victim.id}::uuid`

const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log(`\n${n} stations, ${rounds} edits; time from the edit's commit to a tile from an index that holds it\n`)
console.log('| rebuild after one edit | median ms | max ms |\n|---|---|---|')
console.log(`| whole table again (before) | ${med(times.full).toFixed(0)} | ${Math.max(...times.full).toFixed(0)} |`)
console.log(`| changed rows only (after) | ${med(times.incremental).toFixed(0)} | ${Math.max(...times.incremental).toFixed(0)} |`)
console.log(`\nbefore ÷ after: ${(med(times.full) / med(times.incremental)).toFixed(1)}×`)
await db.close()
