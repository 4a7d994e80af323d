import type { Sql } from './connect.ts'
import { columns, toFeature, type StationRow } from './stations.ts'

/** A station as the nearest index holds it: the feature reads return, and its exact point. */
export interface SnapshotStation {
  feature: ReturnType<typeof toFeature>
  /** the stored coordinates at full precision (the feature's GeoJSON is rounded to 7 decimals) */
  lon: number
  lat: number
}

/** Rows per statement while loading the index: each statement stays far below the statement timeout. */
const PAGE = 20_000

/**
 * Stations for the in-memory nearest index: every station updated after `since` (all statuses, so a
 * retired one can be dropped), or with no `since` every active one. `updated_at` is set on every write
 * (db/stations.ts, seed, scale-data's inserts). ST_X/ST_Y are float8 in full, unlike the GeoJSON.
 * Read in pages by id (the primary key), so 10^6 stations are 50 short statements rather than one
 * that the statement timeout cancels — and on the embedded database other queries run in between.
 * Not one snapshot: a row written meanwhile is fetched again by the next sync (the index reads
 * everything updated since shortly before this one started).
 */
export async function snapshotStations(sql: Sql, since?: Date, page = PAGE): Promise<SnapshotStation[]> {
  const out: SnapshotStation[] = []
  for await (const rows of snapshotPages(sql, since, page)) out.push(...rows)
  return out
}

/**
 * snapshotStations one page at a time, so the nearest index can pack each page into its compact
 * store and drop the row objects before the next page arrives (10^6 features at once would hold
 * gigabytes while loading).
 */
export async function* snapshotPages(sql: Sql, since?: Date, page = PAGE): AsyncGenerator<SnapshotStation[]> {
  let after: string | null = null
  for (;;) {
    const rows: (StationRow & { x: number; y: number })[] = await sql<(StationRow & { x: number; y: number })[]>`
      SELECT ${columns(sql)}, ST_X(station.geom) AS x, ST_Y(station.geom) AS y
        FROM station
       WHERE ${since ? sql`updated_at > ${since}` : sql`status = 'active'`}
         ${after ? sql`AND id > ${after}` : sql``}
       ORDER BY id
       LIMIT ${page}`
    yield rows.map(({ x, y, ...row }) => ({ feature: toFeature(row), lon: x, lat: y }))
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
