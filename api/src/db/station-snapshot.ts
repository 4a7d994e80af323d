import type { Sql } from './connect.ts'
import type { StationStatus } from '../core/station-kinds.ts'
import { columns, featureText, type StationRow } from './stations.ts'

/** A station as the nearest index takes it: what it filters on, its exact point and its feature as text. */
export interface SnapshotStation {
  id: string
  kind: string
  status: StationStatus
  amenities: readonly string[]
  opening_hours: string | null
  /** the feature's GeoJSON coordinates (7 decimals) */
  coordinates: readonly [number, number]
  /** the stored coordinates at full precision */
  lon: number
  lat: number
  /** the feature as reads return it, serialised (featureText) */
  text: string
}

/**
 * Rows per statement while loading the index: each statement stays far below the statement timeout,
 * and packing one page blocks the event loop for tens of milliseconds, not hundreds.
 */
const PAGE = 5_000

/**
 * Stations for the in-memory nearest index: every station updated after `since` (all statuses, so a
 * retired one can be dropped), or with no `since` every active one. `updated_at` is set on every write
 * (db/stations.ts, seed, scale-data's inserts). ST_X/ST_Y are float8 in full, unlike the GeoJSON.
 * Read in pages of about `page` rows, so 10^6 stations are many short statements rather than one that
 * the statement timeout cancels — and on the embedded database other queries run in between.
 * Not one snapshot: a row written meanwhile is fetched again by the next sync (the index reads
 * everything updated since shortly before this one started), and a row updated during a full read may
 * come twice (its old and new version, in two pages; the later one is the newer).
 */
export async function snapshotStations(sql: Sql, since?: Date, page = PAGE): Promise<SnapshotStation[]> {
  const out: SnapshotStation[] = []
  for await (const rows of snapshotPages(sql, since, page)) out.push(...rows)
  return out
}

type SnapshotRow = StationRow & { x: number; y: number }

// no rest/spread of the row: at 10^6 rows the copies cost more than reading them
const toSnapshot = (row: SnapshotRow): SnapshotStation => ({
  id: row.id,
  kind: row.kind,
  status: row.status,
  amenities: row.amenities,
  opening_hours: row.opening_hours,
  coordinates: row.geometry.coordinates,
  lon: row.x,
  lat: row.y,
  text: featureText(row),
})

/**
 * snapshotStations one page at a time, so the nearest index can pack each page into its compact
 * store and drop the row objects before the next page arrives (10^6 features at once would hold
 * gigabytes while loading).
 *
 * Every active station is read by ranges of the table's blocks (`ctid`, a TID range scan: PostgreSQL 14
 * and later), in the order they lie on disk: each page reads only its own blocks. Paging by id instead
 * sorted the active stations again for every page (the planner takes the status index, then a top-N
 * sort: 5 s a page at 10^6, about 150 s to start). The block step adapts so a page holds about `page`
 * rows. The last range is open-ended, so rows appended meanwhile beyond the blocks counted are read too.
 */
export async function* snapshotPages(sql: Sql, since?: Date, page = PAGE): AsyncGenerator<SnapshotStation[]> {
  if (since) {
    yield* updatedSince(sql, since, page)
    return
  }
  const [size] = await sql<{ blocks: number }[]>`
    SELECT (pg_relation_size('station') / current_setting('block_size')::int)::int AS blocks`
  const blocks = size?.blocks ?? 0
  let step = 64
  for (let from = 0; from < blocks; ) {
    const to = Math.min(blocks, from + step)
    const rows = await sql<SnapshotRow[]>`
      SELECT ${columns(sql)}, ST_X(station.geom) AS x, ST_Y(station.geom) AS y
        FROM station
       WHERE ctid >= ${`(${from},0)`}::tid ${to < blocks ? sql`AND ctid < ${`(${to},0)`}::tid` : sql``}
         AND status = 'active'`
    yield rows.map(toSnapshot)
    // the next range sized by this one's density (rows per block), at least one block
    step = Math.max(1, Math.min(1 << 20, Math.round((step * page) / Math.max(rows.length, page / 8))))
    from = to
  }
}

/** Stations updated after `since`, in id order by keyset pages (few rows: station_updated_idx finds them). */
async function* updatedSince(sql: Sql, since: Date, page: number): AsyncGenerator<SnapshotStation[]> {
  let after: string | null = null
  for (;;) {
    const rows: SnapshotRow[] = await sql<SnapshotRow[]>`
      SELECT ${columns(sql)}, ST_X(station.geom) AS x, ST_Y(station.geom) AS y
        FROM station
       WHERE updated_at > ${since}
         ${after ? sql`AND id > ${after}` : sql``}
       ORDER BY id
       LIMIT ${page}`
    yield rows.map(toSnapshot)
    if (rows.length < page) return
    after = rows[rows.length - 1]!.id
  }
}

/** The station change counter (migration 012) and the database's clock, in one single-row read. */
export async function stationChangeState(sql: Sql): Promise<{ version: number; now: Date }> {
  const [row] = await sql<{ version: string; now: Date }[]>`SELECT version::text, now() AS now FROM data_version WHERE name = 'stations'`
  return { version: Number(row?.version ?? 0), now: row?.now ?? new Date() }
}

export async function activeStationCount(sql: Sql): Promise<number> {
  const [row] = await sql<{ n: string }[]>`SELECT count(*)::text AS n FROM station WHERE status = 'active'`
  return Number(row?.n ?? 0)
}
