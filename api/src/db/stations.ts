import { AMENITIES, coverageRadius, STATION_SOURCES, STATION_KINDS as STATION_KINDS_ORDER, STATION_STATUSES as STATION_STATUSES_ORDER, type Amenity, type StationKind, type StationSource, type StationStatus } from '../core/station-kinds.ts'
import { fieldChanges } from '../core/field-changes.ts'
import { cancellable } from './cancellable.ts'
import type { Db, Sql } from './connect.ts'
import { windowedNearest } from '../nearest/windowed-nearest.ts'
import { hasHistory, recordChange, snapshotAt, type Action, type Actor } from './history.ts'

export interface StationRow {
  id: string
  external_id: string | null
  kind: StationKind
  name: string
  region_code: string | null
  address: string | null
  opening_hours: string | null
  amenities: Amenity[]
  phone: string | null
  operator: string | null
  capacity: number | null
  status: StationStatus
  radius_m: number | null
  source: StationSource
  version: number
  created_at: Date
  updated_at: Date
  geometry: { type: 'Point'; coordinates: [number, number] }
}

export type StationFeature = ReturnType<typeof toFeature>

export function toFeature(row: StationRow) {
  const { geometry, created_at, updated_at, ...rest } = row
  return {
    type: 'Feature' as const,
    id: row.id,
    geometry,
    properties: {
      ...rest,
      coverage_radius_m: coverageRadius(row.kind, row.radius_m),
      created_at: created_at.toISOString(),
      updated_at: updated_at.toISOString(),
    },
  }
}

const json = JSON.stringify

/**
 * `JSON.stringify(toFeature(row))` without building the feature: the nearest index serialises 10^6
 * stations at start-up, and the two object spreads of toFeature (and the garbage they leave) took
 * a third of that time. Same members in the same order; `feature-text.test.ts` holds the two equal.
 */
export function featureText(row: StationRow): string {
  const g = row.geometry
  const geometry = g.type === 'Point' && Object.keys(g).length === 2 && g.coordinates.length === 2
    ? `{"type":"Point","coordinates":[${json(g.coordinates[0])},${json(g.coordinates[1])}]}`
    : json(g)
  return `{"type":"Feature","id":${json(row.id)},"geometry":${geometry},"properties":{"id":${json(row.id)},"external_id":${json(row.external_id)},` +
    `"kind":${json(row.kind)},"name":${json(row.name)},"region_code":${json(row.region_code)},"address":${json(row.address)},` +
    `"opening_hours":${json(row.opening_hours)},"amenities":${json(row.amenities)},"phone":${json(row.phone)},"operator":${json(row.operator)},` +
    `"capacity":${json(row.capacity)},"status":${json(row.status)},"radius_m":${json(row.radius_m)},"source":${json(row.source)},` +
    `"version":${json(row.version)},"coverage_radius_m":${json(coverageRadius(row.kind, row.radius_m))},` +
    `"created_at":${json(row.created_at.toISOString())},"updated_at":${json(row.updated_at.toISOString())}}}`
}

export interface StationFilter {
  kinds?: StationKind[]
  /** region codes (a city expanded to its counties by the caller) */
  regionCodes?: string[]
  bbox?: [number, number, number, number]
  statuses?: StationStatus[]
  limit: number
  /** only ids greater than this (keyset paging) */
  afterId?: string
}

/** Stations matching the filter, ordered by id, one page; `more` says whether another page exists. */
export async function listStations(sql: Sql, f: StationFilter) {
  const rows = await sql<StationRow[]>`
    SELECT ${columns(sql)}
      FROM station
     WHERE status = ANY(${f.statuses ?? ['planned', 'active']})
       ${f.kinds ? sql`AND kind = ANY(${f.kinds})` : sql``}
       ${f.regionCodes ? sql`AND region_code = ANY(${f.regionCodes})` : sql``}
       -- && on the geometry column uses station_geom_gix
       ${f.bbox ? sql`AND geom && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)` : sql``}
       ${f.afterId ? sql`AND id > ${f.afterId}` : sql``}
     ORDER BY id
     LIMIT ${f.limit + 1}`
  const more = rows.length > f.limit
  return { features: rows.slice(0, f.limit).map(toFeature), more }
}

export interface ColumnsFilter extends StationFilter {
  /** [lon, lat]: the `limit` stations nearest to it, nearest first, one page */
  near?: [number, number]
  /** extra columns (the rider's cards) */
  extra?: readonly ('amenities' | 'address' | 'phone' | 'source')[]
}

/** One page of stations, column by column (the `StationColumns` response), ordered by id (or nearest first with `near`). */
export async function listStationColumns(sql: Sql, f: ColumnsFilter) {
  type Row = [string, string, StationKind, StationStatus, string | null, number, number, number | null, string | null, Amenity[] | null, string | null, string | null, StationSource | null]
  const extra = new Set(f.extra ?? [])
  const origin = f.near ? sql`ST_SetSRID(ST_MakePoint(${f.near[0]}, ${f.near[1]}), 4326)::geography` : null
  // the same filters and indexes as listStations; only the columns the map pages use (and the extras asked for)
  const rows: Row[] = await sql`
    SELECT id::text, name, kind, status, region_code, ST_X(geom), ST_Y(geom), radius_m, opening_hours,
           ${extra.has('amenities') ? sql`amenities` : sql`NULL`}, ${extra.has('address') ? sql`address` : sql`NULL`},
           ${extra.has('phone') ? sql`phone` : sql`NULL`}, ${extra.has('source') ? sql`source` : sql`NULL`}
      FROM station
     WHERE status = ANY(${f.statuses ?? ['planned', 'active']})
       ${f.kinds ? sql`AND kind = ANY(${f.kinds})` : sql``}
       ${f.regionCodes ? sql`AND region_code = ANY(${f.regionCodes})` : sql``}
       ${f.bbox ? sql`AND geom && ST_MakeEnvelope(${f.bbox[0]}, ${f.bbox[1]}, ${f.bbox[2]}, ${f.bbox[3]}, 4326)` : sql``}
       ${f.afterId ? sql`AND id > ${f.afterId}` : sql``}
     -- near: the KNN order alone walks station_geog_gix nearest-first and stops at the LIMIT (see nearestQuery)
     ORDER BY ${origin ? sql`geography(station.geom) <-> ${origin}` : sql`station.id`} -- station.id: the uuid column (station_pkey), not the id::text output column
     LIMIT ${f.limit + 1}`.values() as never
  const more = rows.length > f.limit
  const page = rows.slice(0, f.limit)
  const codes = new Map<string, number>()
  const hours = new Map<string, number>()
  const kinds = STATION_KINDS_ORDER
  const statuses = STATION_STATUSES_ORDER
  const code = (m: Map<string, number>, v: string | null) => {
    if (v === null) return -1
    let i = m.get(v)
    if (i === undefined) m.set(v, (i = m.size))
    return i
  }
  let lon = 0
  let lat = 0
  const out = {
    count: page.length,
    id: page.map((r) => r[0]),
    name: page.map((r) => r[1]),
    kind: page.map((r) => kinds.indexOf(r[2])),
    status: page.map((r) => statuses.indexOf(r[3])),
    region: page.map((r) => code(codes, r[4])),
    lon: page.map((r) => {
      const v = Math.round(r[5] * 1e6)
      const d = v - lon
      lon = v
      return d
    }),
    lat: page.map((r) => {
      const v = Math.round(r[6] * 1e6)
      const d = v - lat
      lat = v
      return d
    }),
    radius_m: page.map((r) => r[7] ?? 0),
    hours: page.map((r) => code(hours, r[8])),
    kinds: [...kinds],
    statuses: [...statuses],
    regions: [...codes.keys()],
    opening_hours: [...hours.keys()],
    // amenities as one bit per name of the fixed vocabulary: a number instead of a list of strings
    ...(extra.has('amenities') ? { amenities: page.map((r) => (r[9] ?? []).reduce((bits, a) => bits | (1 << AMENITIES.indexOf(a)), 0)), amenity_names: [...AMENITIES] } : {}),
    ...(extra.has('address') ? { address: page.map((r) => r[10]) } : {}),
    ...(extra.has('phone') ? { phone: page.map((r) => r[11]) } : {}),
    ...(extra.has('source') ? { source: page.map((r) => STATION_SOURCES.indexOf(r[12]!)), sources: [...STATION_SOURCES] } : {}),
    ...(f.near ? { truncated: more } : {}),
  }
  return { columns: out, more: more && !f.near, lastId: page.at(-1)?.[0] }
}

export async function getStation(sql: Db, id: string) {
  const [row] = await sql<StationRow[]>`SELECT ${columns(sql)} FROM station WHERE id = ${id}`
  return row ? toFeature(row) : null
}

export interface NearestQuery {
  lon: number
  lat: number
  kinds?: StationKind[]
  limit: number
  openAt?: Date
  amenities?: Amenity[]
  maxDistance?: number
}

/**
 * The nearest query for one window: the `window + 1` active stations nearest to the point that pass
 * the SQL filters, by great-circle distance, sorted by (distance, id).
 *
 * The inner query orders by `<->` alone, so PostgreSQL 15 and 18 both walk the GiST index
 * station_geog_gix nearest-first and stop after the LIMIT; a tie-break column in that ORDER BY makes
 * PostgreSQL 15 sort every station instead (issue 13: 509–690 ms vs 0.2 ms at 10^5 rows). The id
 * tie-break is applied outside, to at most `window + 1` rows; the extra row tells the caller whether
 * a tie straddles the cut (see nearestStations). Exported so the EXPLAIN test checks this very SQL.
 */
export function nearestQuery(sql: Sql, q: NearestQuery, window: number) {
  const origin = sql`ST_SetSRID(ST_MakePoint(${q.lon}, ${q.lat}), 4326)::geography`
  return sql<(StationRow & { distance_m: number })[]>`
    SELECT * FROM (
      SELECT ${columns(sql)}, ST_Distance(geography(station.geom), ${origin}, false) AS distance_m
        FROM station
       WHERE status = 'active'
         ${q.kinds ? sql`AND kind = ANY(${q.kinds})` : sql``}
         ${q.amenities ? sql`AND amenities @> ${q.amenities}::text[]` : sql``}
         -- ST_DWithin on geography is an index condition on the same GiST index as the KNN order
         ${q.maxDistance ? sql`AND ST_DWithin(geography(station.geom), ${origin}, ${q.maxDistance}, false)` : sql``}
       ORDER BY geography(station.geom) <-> ${origin}
       LIMIT ${window + 1}
    ) nearest
    ORDER BY distance_m, id`
}

/**
 * Active stations nearest to a point, by great-circle distance on the sphere, ties by id, from PostGIS
 * (the GiST KNN order); windowedNearest widens the window for opening hours and ties.
 */
export async function nearestStations(sql: Sql, q: NearestQuery, signal?: AbortSignal) {
  const hits = await windowedNearest(q, async (window) => {
    const rows = await cancellable(nearestQuery(sql, q, window), signal)
    return rows.map(({ distance_m, ...row }) => ({ feature: toFeature(row), distance_m, opening_hours: row.opening_hours, coordinates: row.geometry.coordinates }))
  })
  return hits.map(({ row: { feature: f }, distance_m, bearing_deg, open }) => ({
    ...f,
    properties: { ...f.properties, distance_m, bearing_deg, ...(open !== undefined ? { open } : {}) },
  }))
}

/** The station columns every read selects (toFeature's input). */
export function columns(sql: Db) {
  return sql`station.id, external_id, kind, name, region_code, address, opening_hours, amenities, phone, operator,
             capacity, status, radius_m, source, version, created_at, updated_at,
             ST_AsGeoJSON(station.geom, 7)::json AS geometry`
}

// --- writes (issue 11) ---------------------------------------------------------------------------

/** A station as history stores it: every field of §3 a write can change, the point as lon/lat. */
export interface StationState {
  kind: StationKind
  name: string
  region_code: string | null
  address: string | null
  lon: number
  lat: number
  opening_hours: string | null
  amenities: Amenity[]
  phone: string | null
  operator: string | null
  capacity: number | null
  status: StationStatus
  radius_m: number | null
  external_id: string | null
  source: 'demo' | 'import' | 'manual'
}

/** The fields a write may set (region_code follows from lon/lat; external_id and source are the importer's). */
export type StationFields = Partial<Omit<StationState, 'region_code' | 'external_id' | 'source'>>

/** The write was based on an older version; `current` is the station as it is now. */
export class StaleVersionError extends Error {
  constructor(readonly expected: number, readonly current: StationFeature) {
    super(`the station changed since version ${expected}: it is at version ${current.properties.version} now; merge your edit into it and send that version`)
  }
}

/** The point lies inside no region the atlas knows, so nobody could be responsible for it. */
export class OutsideRegionsError extends Error {
  constructor(readonly lon: number, readonly lat: number) {
    super(`the point (${lon}, ${lat}) lies in no region of this atlas`)
  }
}

/** A region_code was given that the point does not lie in. */
export class RegionMismatchError extends Error {
  constructor(readonly given: string, readonly derived: string) {
    super(`the point lies in region ${derived}, not ${given}; leave region_code out: it is derived from lon/lat`)
  }
}

/** No history version with this number. */
export class UnknownVersionError extends Error {
  constructor(readonly version: number) {
    super(`the station has no recorded version ${version} (GET …/history lists them)`)
  }
}

/**
 * The county containing a point, and its city: the region of a station is derived from its
 * coordinates with PostGIS, so a station can never sit in one county and be filed under another.
 * On a shared border the lower code wins (as countyAt does).
 */
export async function regionOfPoint(sql: Db, lon: number, lat: number): Promise<{ code: string; parent_code: string | null } | null> {
  const [row] = await sql<{ code: string; parent_code: string | null }[]>`
    SELECT code, parent_code FROM region
     WHERE level = 'county' AND ST_Intersects(geom, ST_SetSRID(ST_MakePoint(${lon}, ${lat}), 4326))
     ORDER BY code LIMIT 1`
  return row ?? null
}

/** A station's region code: undefined when there is no such station (null: it has none). */
export async function stationRegion(sql: Db, id: string): Promise<string | null | undefined> {
  const [row] = await sql<{ region_code: string | null }[]>`SELECT region_code FROM station WHERE id = ${id}`
  return row ? row.region_code : undefined
}

async function derivedRegion(sql: Db, lon: number, lat: number, given: string | undefined): Promise<string> {
  const r = await regionOfPoint(sql, lon, lat)
  if (!r) throw new OutsideRegionsError(lon, lat)
  if (given !== undefined && given !== r.code && given !== r.parent_code) throw new RegionMismatchError(given, r.code)
  return r.code
}

async function stateOf(tx: Db, id: string, lock: boolean) {
  const [row] = await tx<(StationState & { version: number; updated_at: Date })[]>`
    SELECT kind, name, region_code, address, ST_X(geom) AS lon, ST_Y(geom) AS lat, opening_hours, amenities, phone,
           operator, capacity, status, radius_m, external_id, source, version, updated_at
      FROM station WHERE id = ${id} ${lock ? tx`FOR UPDATE` : tx``}`
  if (!row) return null
  const { version, updated_at, ...state } = row
  return { version, updatedAt: updated_at, state: state as StationState }
}

/** Creates a station (source manual, version 1) and its history record in one transaction. */
export async function insertStation(sql: Sql, fields: StationFields & Pick<StationState, 'kind' | 'name' | 'lon' | 'lat'> & { region_code?: string }, actor: Actor): Promise<StationFeature> {
  return sql.begin(async (tx) => {
    const region = await derivedRegion(tx, fields.lon, fields.lat, fields.region_code)
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO station (kind, name, region_code, address, geom, opening_hours, amenities, phone, operator, capacity, status, radius_m, source)
      VALUES (${fields.kind}, ${fields.name}, ${region}, ${fields.address ?? null}, ST_SetSRID(ST_MakePoint(${fields.lon}, ${fields.lat}), 4326),
              ${fields.opening_hours ?? null}, ${fields.amenities ?? []}::text[], ${fields.phone ?? null}, ${fields.operator ?? null},
              ${fields.capacity ?? null}, ${fields.status ?? 'active'}, ${fields.radius_m ?? null}, 'manual')
      RETURNING id`
    const after = (await stateOf(tx, row!.id, false))!
    await recordChange(tx, { entity: 'station', entityId: row!.id, version: 1, action: 'create', actor, changes: fieldChanges(null, { ...after.state }), snapshot: { ...after.state } })
    return (await getStation(tx, row!.id))!
  })
}

export interface StationWrite {
  /** the version the write is based on; undefined = whatever is current (retire without If-Match) */
  expectedVersion?: number
  fields: StationFields & { region_code?: string }
  action: Extract<Action, 'update' | 'retire' | 'restore'>
  actor: Actor
}

/**
 * Changes a station: locks its row, checks the version (stale → StaleVersionError with the current
 * station), re-derives the region when it moves, writes version + 1 and the history record, all in
 * one transaction. A write that changes nothing returns the station as it is (no new version).
 * Null when there is no such station.
 */
export async function updateStation(sql: Sql, id: string, w: StationWrite): Promise<StationFeature | null> {
  return sql.begin(async (tx) => {
    const cur = await stateOf(tx, id, true)
    if (!cur) return null
    if (w.expectedVersion !== undefined && w.expectedVersion !== cur.version) {
      throw new StaleVersionError(w.expectedVersion, (await getStation(tx, id))!)
    }
    const { region_code: givenRegion, ...fields } = w.fields
    const next: StationState = { ...cur.state, ...fields }
    const moved = next.lon !== cur.state.lon || next.lat !== cur.state.lat
    if (moved || givenRegion !== undefined) next.region_code = await derivedRegion(tx, next.lon, next.lat, givenRegion)
    const changes = fieldChanges({ ...cur.state }, { ...next })
    if (Object.keys(changes).length === 0) return (await getStation(tx, id))!
    // Stations loaded before history began get their loaded state recorded once, so even version 1 can be restored.
    if (!(await hasHistory(tx, 'station', id))) {
      await recordChange(tx, {
        entity: 'station', entityId: id, version: cur.version, action: 'baseline', at: cur.updatedAt,
        actor: { id: null, label: `${cur.state.source} data` }, changes: fieldChanges(null, { ...cur.state }), snapshot: { ...cur.state },
      })
    }
    const [row] = await tx<{ version: number }[]>`
      UPDATE station SET
        kind = ${next.kind}, name = ${next.name}, region_code = ${next.region_code}, address = ${next.address},
        geom = ST_SetSRID(ST_MakePoint(${next.lon}, ${next.lat}), 4326), opening_hours = ${next.opening_hours},
        amenities = ${next.amenities}::text[], phone = ${next.phone}, operator = ${next.operator}, capacity = ${next.capacity},
        status = ${next.status}, radius_m = ${next.radius_m}, version = version + 1, updated_at = now()
      WHERE id = ${id} AND version = ${cur.version} -- the row lock makes this hold; the guard says it in SQL too
      RETURNING version`
    if (!row) throw new StaleVersionError(cur.version, (await getStation(tx, id))!)
    await recordChange(tx, { entity: 'station', entityId: id, version: row!.version, action: w.action, actor: w.actor, changes, snapshot: { ...next } })
    return (await getStation(tx, id))!
  })
}

/** The editable fields of a recorded version (what restore writes), or UnknownVersionError. */
export async function stationVersion(sql: Db, id: string, version: number): Promise<StationState> {
  const snap = await snapshotAt(sql, 'station', id, version)
  if (!snap) throw new UnknownVersionError(version)
  return snap as unknown as StationState
}
