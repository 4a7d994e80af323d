import { fieldChanges, type FieldChanges } from '../core/field-changes.ts'
import { greatCircleDistance } from '../core/great-circle-distance.ts'
import { buildGeoIndex } from '../core/geo-index.ts'
import { pointsWithin } from '../core/points-within.ts'
import type { StationStatus } from '../core/station-kinds.ts'
import type { ImportRow, RowFields, RowProblem } from '../import/normalise-row.ts'
import type { Db, Sql } from './connect.ts'
import type { Actor } from './history.ts'
import type { StationState } from './stations.ts'

/** How close (metres, on the sphere) an existing station of the same kind must be to count as a duplicate. */
export const DUPLICATE_RADIUS_M = 50
/** Closer than this (metres) to where the station is, an imported point is where it is (conversion round-off). */
export const SAME_POINT_M = 0.5

export type RowAction = 'create' | 'update' | 'unchanged' | 'reject' | 'to_place'

export interface PlannedRow {
  row: number
  action: RowAction
  /** the station it updates or leaves unchanged */
  id?: string
  name?: string
  lon?: number
  lat?: number
  region_code?: string
  changes?: FieldChanges
  errors?: RowProblem[]
  /** internal: what the write needs */
  key: string
  after?: StationState
  version?: number
}

export interface PlanOptions {
  /** whether the account may write in a county (and the county's city) */
  mayWrite: (codes: string[]) => boolean
  /** editor-placed WGS-84 positions of "to place" rows, by row number */
  placed?: Record<string, [number, number]>
  /** lock matched stations (apply) */
  lock?: boolean
  /** rows checked against the database, then (apply) rows written, as each batch finishes */
  onProgress?: (p: ImportProgress) => void
}

export interface ImportProgress {
  phase: 'check' | 'write'
  done: number
  total: number
}

/** Rows per statement of the region and match lookups: a bounded statement, and a progress step. */
export const CHECK_BATCH = 10_000

interface Lookup {
  i: number
  code: string | null
  parent_code: string | null
  region_name: string | null
  match: string | null
  dup_id: string | null
  dup_name: string | null
  dup_m: number | null
}

type CurrentState = StationState & { id: string; version: number; has_history: boolean }

const EDITABLE = ['kind', 'name', 'address', 'lon', 'lat', 'opening_hours', 'amenities', 'phone', 'operator', 'capacity', 'status', 'radius_m'] as const

/**
 * What an import would do, row by row, against the database as it is: region from the point
 * (PostGIS, the county containing it), the station it matches (its `id`, else source import +
 * external_id/content key), a same-kind station within 50 m under another id, the fields that would
 * change. Reads only; apply runs it again inside its transaction.
 */
export async function planImport(sql: Db, rows: ImportRow[], o: PlanOptions): Promise<PlannedRow[]> {
  const out: PlannedRow[] = []
  const located: { r: ImportRow; p: PlannedRow }[] = []
  for (const r of rows) {
    const p: PlannedRow = { row: r.row, action: 'reject', key: r.key, name: r.fields.name }
    out.push(p)
    const placed = o.placed?.[String(r.row)]
    if (r.to_place && placed) {
      r.fields.lon = placed[0]
      r.fields.lat = placed[1]
      r.to_place = false
    }
    if (r.errors.length) {
      p.errors = r.errors
      continue
    }
    if (r.to_place) {
      p.action = 'to_place'
      continue
    }
    p.lon = r.fields.lon
    p.lat = r.fields.lat
    located.push({ r, p })
  }
  if (located.length === 0) return out
  const input = located.map(({ r }, i) => ({ i, lon: r.fields.lon, lat: r.fields.lat, kind: r.fields.kind, key: r.key, id: r.id ?? null }))
  // Three bounded statements rather than one: each is a plain index walk per row, in batches of
  // CHECK_BATCH rows so that each statement stays short and the page can show rows checked.
  const regions: { i: number; code: string; parent_code: string | null; region_name: string }[] = []
  const matches: { i: number; match: string | null }[] = []
  o.onProgress?.({ phase: 'check', done: 0, total: input.length })
  for (let from = 0; from < input.length; from += CHECK_BATCH) {
    const part = input.slice(from, from + CHECK_BATCH)
    // 1. The county containing each point (ST_Intersects through region_geom_gix).
    regions.push(...await sql<{ i: number; code: string; parent_code: string | null; region_name: string }[]>`
      SELECT DISTINCT ON (x.i) x.i, g.code, g.parent_code, g.name AS region_name
        FROM jsonb_to_recordset(${sql.json(part.map(({ i, lon, lat }) => ({ i, lon, lat })) as never)}) AS x(i int, lon float8, lat float8)
        JOIN region g ON g.level = 'county' AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326))
       ORDER BY x.i, g.code`)
    // 2. The station each row names: its id, else an imported station with its key (UNIQUE (source, external_id)).
    matches.push(...await sql<{ i: number; match: string | null }[]>`
      SELECT x.i, coalesce(byid.id, bykey.id) AS match
        FROM jsonb_to_recordset(${sql.json(part.map(({ i, key, id }) => ({ i, key, id })) as never)}) AS x(i int, key text, id uuid)
        LEFT JOIN station byid ON byid.id = x.id
        LEFT JOIN station bykey ON x.id IS NULL AND bykey.source = 'import' AND bykey.external_id = x.key`)
    o.onProgress?.({ phase: 'check', done: from + part.length, total: input.length })
  }
  const matchOf = new Map(matches.map((m) => [m.i, m.match]))
  // 3. A station of the same kind within 50 m that is not the row's own.
  const dups = await nearbyStations(sql, input.map(({ i, lon, lat, kind }) => ({ i, lon: lon!, lat: lat!, kind: kind!, match: matchOf.get(i) ?? null })))
  const regionOf = new Map(regions.map((r) => [r.i, r]))
  // A station another row of this file updates is the file's own, not a duplicate (the file may
  // hold two stations of a kind close together): the nearest station not matched by any row counts.
  const matched = new Set(matches.map((m) => m.match).filter(Boolean))
  const dupOf = new Map<number, (typeof dups)[number]>()
  for (const d of dups) if (!dupOf.has(d.i) && !matched.has(d.dup_id)) dupOf.set(d.i, d)
  const found: Lookup[] = input.map(({ i }) => {
    const r = regionOf.get(i)
    const d = dupOf.get(i)
    return { i, code: r?.code ?? null, parent_code: r?.parent_code ?? null, region_name: r?.region_name ?? null, match: matchOf.get(i) ?? null, dup_id: d?.dup_id ?? null, dup_name: d?.dup_name ?? null, dup_m: d?.dup_m ?? null }
  })
  const byIndex = new Map(found.map((f) => [f.i, f]))
  const matchIds = [...new Set(found.map((f) => f.match).filter((x): x is string => x !== null))]
  const current = new Map<string, CurrentState>()
  for (let i = 0; i < matchIds.length; i += 10_000) {
    const ids = matchIds.slice(i, i + 10_000)
    const cur = await sql<CurrentState[]>`
      SELECT s.id, kind, name, region_code, address, ST_X(geom) AS lon, ST_Y(geom) AS lat, opening_hours, amenities, phone,
             operator, capacity, status, radius_m, external_id, source, version,
             EXISTS (SELECT 1 FROM change_log c WHERE c.entity = 'station' AND c.entity_id = s.id::text) AS has_history
        FROM station s WHERE s.id = ANY(${ids}::uuid[]) ORDER BY s.id ${o.lock ? sql`FOR UPDATE` : sql``}`
    for (const c of cur) current.set(c.id, c)
  }
  const claimedBy = new Map<string, number>()
  located.forEach(({ r, p }, i) => {
    const f = byIndex.get(i)!
    const reject = (field: string, message: string, column?: string) => {
      p.action = 'reject'
      p.errors = [...(p.errors ?? []), { field, message, ...(column ? { column } : {}) }]
    }
    if (r.id && !f.match) return reject('id', `no station has id ${r.id}; leave the id column out for new stations`)
    if (!f.code) return reject('lon', `the point (${r.fields.lon}, ${r.fields.lat}) lies in no region of this atlas: check the coordinate system (crs) and that lon/lat are not swapped`)
    p.region_code = f.code
    const given = r.fields.region_code
    if (given && given !== f.code && given !== f.parent_code) return reject('region_code', `the point lies in ${f.code} ${f.region_name ?? ''}, not ${given}`)
    const cur = f.match ? current.get(f.match) : undefined
    const codes = cur?.region_code && cur.region_code !== f.code ? [f.code, cur.region_code] : [f.code]
    if (!o.mayWrite(codes)) return reject('region_code', `outside your regions: the point lies in ${f.code} ${f.region_name ?? ''}; ask an admin for a grant`)
    if (f.dup_id) return reject('lon', `duplicate of station "${f.dup_name}" (${f.dup_id}) ${Math.round(f.dup_m ?? 0)} m away under another id`)
    if (f.match) {
      const earlier = claimedBy.get(f.match)
      if (earlier !== undefined) return reject('id', `duplicate row in the file: row ${earlier} already updates station ${f.match}`)
      claimedBy.set(f.match, r.row)
    }
    if (!cur) {
      p.action = 'create'
      p.after = stateFor(r.fields, null, f.code, r.key)
      p.changes = fieldChanges(null, { ...p.after })
      return
    }
    const after = stateFor(r.fields, cur, f.code, cur.external_id)
    // a point that came back through GCJ-02/BD-09 and 7 decimals differs by millimetres: the same point
    if (greatCircleDistance([cur.lon, cur.lat], [after.lon, after.lat]) < SAME_POINT_M) {
      after.lon = cur.lon
      after.lat = cur.lat
    }
    const { id: _id, version, has_history: _h, ...before } = cur
    const changes = fieldChanges(pick(before), pick(after))
    p.id = cur.id
    p.version = version
    if (Object.keys(changes).length === 0) {
      p.action = 'unchanged'
      return
    }
    p.action = 'update'
    p.changes = changes
    p.after = after
    ;(p as PlannedRow & { before?: StationState; baseline?: boolean }).before = before
    ;(p as PlannedRow & { baseline?: boolean }).baseline = !cur.has_history
  })
  return out
}

/** Stations read into memory for the 50 m test at most; a wider import asks PostGIS row by row. */
const MAX_NEARBY_IN_MEMORY = 500_000

type NearbyRow = { i: number; lon: number; lat: number; kind: string; match: string | null }
type Nearby = { i: number; dup_id: string; dup_name: string; dup_m: number }

/**
 * For each row, the stations of its kind within DUPLICATE_RADIUS_M other than its own, nearest first
 * (at most 4). The stations inside the rows' bounding box (grown by the radius) are read once and
 * tested with a k-d tree on the sphere — pointsWithin, the same test as ST_DWithin on geography:
 * one indexed read instead of 50,000 index probes, which the embedded database runs ≈ 16 s for.
 * Past MAX_NEARBY_IN_MEMORY stations in that box, PostGIS answers per row instead.
 */
async function nearbyStations(sql: Db, rows: NearbyRow[]): Promise<Nearby[]> {
  if (rows.length === 0) return []
  let [w, s, e, n] = [Infinity, Infinity, -Infinity, -Infinity]
  for (const r of rows) {
    w = Math.min(w, r.lon); e = Math.max(e, r.lon); s = Math.min(s, r.lat); n = Math.max(n, r.lat)
  }
  const dLat = 0.001 // > 50 m
  const dLon = dLat / Math.max(Math.cos((Math.max(Math.abs(s), Math.abs(n)) + dLat) * Math.PI / 180), 0.05)
  const kinds = [...new Set(rows.map((r) => r.kind))]
  const near = await sql<{ id: string; name: string; kind: string; lon: number; lat: number }[]>`
    SELECT id, name, kind, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM station
     WHERE geom && ST_MakeEnvelope(${w - dLon}, ${s - dLat}, ${e + dLon}, ${n + dLat}, 4326)
       AND status <> 'retired' AND kind = ANY(${kinds})
     LIMIT ${MAX_NEARBY_IN_MEMORY + 1}`
  if (near.length > MAX_NEARBY_IN_MEMORY) return nearbyInDatabase(sql, rows)
  const index = buildGeoIndex(near)
  const out: Nearby[] = []
  for (const r of rows) {
    const hits = pointsWithin(index, r.lon, r.lat, DUPLICATE_RADIUS_M)
      .map((k) => near[k]!)
      .filter((st) => st.kind === r.kind && st.id !== r.match)
      .map((st) => ({ i: r.i, dup_id: st.id, dup_name: st.name, dup_m: greatCircleDistance([r.lon, r.lat], [st.lon, st.lat]) }))
      .sort((a, b) => a.dup_m - b.dup_m)
    out.push(...hits.slice(0, 4))
  }
  return out
}

/** nearbyStations row by row in PostGIS: a box on station_geom_gix, then the exact distance. */
async function nearbyInDatabase(sql: Db, rows: NearbyRow[]): Promise<Nearby[]> {
  return sql<Nearby[]>`
    SELECT x.i, d.id AS dup_id, d.name AS dup_name, d.dist AS dup_m
      FROM jsonb_to_recordset(${sql.json(rows as never)}) AS x(i int, lon float8, lat float8, kind text, match uuid)
      CROSS JOIN LATERAL (SELECT ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326) AS pt) q
      JOIN LATERAL (
        SELECT s.id, s.name, ST_Distance(geography(s.geom), geography(q.pt), false) AS dist
          FROM station s
         WHERE s.geom && ST_Expand(q.pt, 0.0005 / greatest(cos(radians(x.lat)), 0.1), 0.0005)
           AND ST_DWithin(geography(s.geom), geography(q.pt), ${DUPLICATE_RADIUS_M}, false)
           AND s.kind = x.kind AND s.status <> 'retired' AND s.id IS DISTINCT FROM x.match
         ORDER BY 3 LIMIT 4
      ) d ON true
     ORDER BY x.i, d.dist`
}

const pick = (s: StationState) => Object.fromEntries(EDITABLE.map((k) => [k, s[k]]).concat([['region_code', s.region_code]]))

/** The station after the row is applied: the file's fields over the current station (or the defaults). */
function stateFor(f: RowFields, cur: StationState | null, region: string, externalId: string | null): StationState {
  const keep = <K extends keyof RowFields>(k: K, d: NonNullable<StationState[K & keyof StationState]> | null) => (f[k] !== undefined ? f[k] : cur ? cur[k as keyof StationState] : d) as never
  return {
    kind: keep('kind', null),
    name: keep('name', null),
    region_code: region,
    address: keep('address', null),
    lon: f.lon!,
    lat: f.lat!,
    opening_hours: keep('opening_hours', null),
    amenities: keep('amenities', [] as never),
    phone: keep('phone', null),
    operator: keep('operator', null),
    capacity: keep('capacity', null),
    status: keep('status', 'active' as StationStatus),
    radius_m: keep('radius_m', null),
    external_id: externalId,
    source: (cur?.source ?? 'import') as StationState['source'],
  }
}

export interface ImportMeta {
  filename: string
  fileSha256: string
  format: 'xlsx' | 'csv' | 'geojson'
  crs: 'wgs84' | 'gcj02' | 'bd09'
}

export interface AppliedImport {
  importId: string | null
  rows: PlannedRow[]
}

/** An import's writes are refused as a whole: the rows that would have been written are listed. */
export class ImportRejectedError extends Error {
  constructor(readonly rows: PlannedRow[]) {
    super('rejected')
  }
}

/**
 * Applies an import in one transaction: plans it again under row locks, refuses it (nothing written)
 * when `accept` says so, then creates and updates every planned row with its change_log record
 * carrying the import's id. Nothing to write → no import is recorded (a re-import changes nothing).
 */
export async function applyImport(sql: Sql, rows: ImportRow[], o: PlanOptions & { meta: ImportMeta; actor: Actor; accept: (planned: PlannedRow[]) => boolean }): Promise<AppliedImport> {
  return sql.begin(async (tx) => {
    const planned = await planImport(tx, rows, { ...o, lock: true })
    if (!o.accept(planned)) throw new ImportRejectedError(planned)
    const creates = planned.filter((p) => p.action === 'create')
    const updates = planned.filter((p) => p.action === 'update') as (PlannedRow & { before: StationState; baseline: boolean })[]
    if (creates.length + updates.length === 0) return { importId: null, rows: planned }
    const regions = [...new Set([...creates, ...updates].flatMap((p) => [p.after!.region_code!, ...(('before' in p) ? [(p as { before: StationState }).before.region_code ?? ''] : [])]).filter(Boolean))]
    const count = (a: string) => planned.filter((p) => p.action === a).length
    const [imp] = await tx<{ id: string }[]>`
      INSERT INTO station_import (actor_id, actor, filename, file_sha256, format, crs, created, updated, unchanged, skipped, regions)
      VALUES (${o.actor.id}, ${o.actor.label}, ${o.meta.filename}, ${o.meta.fileSha256}, ${o.meta.format}, ${o.meta.crs},
              ${creates.length}, ${updates.length}, ${count('unchanged')}, ${count('reject') + count('to_place')}, ${regions})
      RETURNING id`
    const importId = imp!.id
    const toWrite = creates.length + updates.length
    let written = 0
    const wrote = (n: number) => o.onProgress?.({ phase: 'write', done: (written += n), total: toWrite })
    o.onProgress?.({ phase: 'write', done: 0, total: toWrite })
    for (let i = 0; i < creates.length; i += 5000) {
      const batch = creates.slice(i, i + 5000)
      const made = await tx<{ id: string; external_id: string }[]>`
        INSERT INTO station (external_id, kind, name, region_code, address, geom, opening_hours, amenities, phone, operator, capacity, status, radius_m, source)
        SELECT x.external_id, x.kind, x.name, x.region_code, x.address, ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326), x.opening_hours,
               ARRAY(SELECT jsonb_array_elements_text(x.amenities)), x.phone, x.operator, x.capacity, x.status, x.radius_m, 'import'
          FROM jsonb_to_recordset(${tx.json(batch.map((p) => p.after) as never)}) AS x(
               external_id text, kind text, name text, region_code text, address text, lon float8, lat float8, opening_hours text,
               amenities jsonb, phone text, operator text, capacity int, status text, radius_m int)
        RETURNING id, external_id`
      const idOf = new Map(made.map((m) => [m.external_id, m.id]))
      for (const p of batch) p.id = idOf.get(p.after!.external_id!)
      await logChanges(tx, batch.map((p) => ({ id: p.id!, version: 1, action: 'create', changes: p.changes!, snapshot: p.after! })), o.actor, importId)
      wrote(batch.length)
    }
    for (let i = 0; i < updates.length; i += 5000) {
      const batch = updates.slice(i, i + 5000)
      const base = batch.filter((p) => p.baseline)
      if (base.length) {
        await logChanges(tx, base.map((p) => ({ id: p.id!, version: p.version!, action: 'baseline', changes: fieldChanges(null, { ...p.before }), snapshot: p.before, label: `${p.before.source} data` })), o.actor, null)
      }
      await writeStates(tx, batch.map((p) => ({ id: p.id!, version: p.version!, state: p.after! })))
      await logChanges(tx, batch.map((p) => ({ id: p.id!, version: p.version! + 1, action: 'update', changes: p.changes!, snapshot: p.after! })), o.actor, importId)
      wrote(batch.length)
    }
    return { importId, rows: planned }
  })
}

/** Sets stations to whole states, version + 1, guarded by the version each was read at. */
async function writeStates(tx: Db, items: { id: string; version: number; state: StationState }[]) {
  const rows = items.map((x) => ({ ...x.state, id: x.id, version: x.version }))
  const done = await tx<{ id: string }[]>`
    UPDATE station s SET kind = x.kind, name = x.name, region_code = x.region_code, address = x.address,
           geom = ST_SetSRID(ST_MakePoint(x.lon, x.lat), 4326), opening_hours = x.opening_hours,
           amenities = ARRAY(SELECT jsonb_array_elements_text(x.amenities)), phone = x.phone, operator = x.operator,
           capacity = x.capacity, status = x.status, radius_m = x.radius_m, version = s.version + 1, updated_at = now()
      FROM jsonb_to_recordset(${tx.json(rows as never)}) AS x(
           id uuid, version int, kind text, name text, region_code text, address text, lon float8, lat float8, opening_hours text,
           amenities jsonb, phone text, operator text, capacity int, status text, radius_m int)
     WHERE s.id = x.id AND s.version = x.version
    RETURNING s.id`
  if (done.length !== items.length) throw new ImportConflictError('a station changed while the import was being written; run the dry run again')
}

async function logChanges(tx: Db, items: { id: string; version: number; action: string; changes: FieldChanges; snapshot: StationState; label?: string }[], actor: Actor, importId: string | null) {
  const rows = items.map((x) => ({ id: x.id, version: x.version, action: x.action, changes: x.changes, snapshot: x.snapshot, label: x.label ?? null }))
  await tx`
    INSERT INTO change_log (entity, entity_id, version, action, actor_id, actor, changes, snapshot, import_id)
    SELECT 'station', x.id, x.version, x.action, CASE WHEN x.label IS NULL THEN ${actor.id}::uuid END, coalesce(x.label, ${actor.label}),
           x.changes, x.snapshot, ${importId}::uuid
      FROM jsonb_to_recordset(${tx.json(rows as never)}) AS x(id text, version int, action text, changes jsonb, snapshot jsonb, label text)`
}

/** The import's stations changed since (or it was undone already): → 409. */
export class ImportConflictError extends Error {}

export interface ImportRecord {
  id: string
  actor: string
  filename: string
  format: string
  crs: string
  created: number
  updated: number
  unchanged: number
  skipped: number
  regions: string[]
  at: string
  undone_at: string | null
  undone_by: string | null
}

const toRecord = (r: Omit<ImportRecord, 'at' | 'undone_at'> & { at: Date; undone_at: Date | null }): ImportRecord => ({
  ...r, at: r.at.toISOString(), undone_at: r.undone_at?.toISOString() ?? null,
})

export async function getImport(sql: Db, id: string): Promise<ImportRecord | null> {
  const [row] = await sql`SELECT id, actor, filename, format, crs, created, updated, unchanged, skipped, regions, at, undone_at, undone_by FROM station_import WHERE id = ${id}`
  return row ? toRecord(row as never) : null
}

/** The newest imports (at most 50), for the import page's list. */
export async function listImports(sql: Db, limit = 50): Promise<ImportRecord[]> {
  const rows = await sql`SELECT id, actor, filename, format, crs, created, updated, unchanged, skipped, regions, at, undone_at, undone_by FROM station_import ORDER BY at DESC LIMIT ${limit}`
  return rows.map((r) => toRecord(r as never))
}

/**
 * Undoes an import as a whole, in one transaction recorded like any write (action `undo`, the
 * import's id): stations it created are retired, stations it updated go back to their state before
 * it. Refused (ImportConflictError) when it was undone already or any of its stations changed since.
 */
export async function undoImport(sql: Sql, importId: string, actor: Actor): Promise<ImportRecord | null> {
  return sql.begin(async (tx) => {
    const [imp] = await tx<{ undone_at: Date | null }[]>`SELECT undone_at FROM station_import WHERE id = ${importId} FOR UPDATE`
    if (!imp) return null
    if (imp.undone_at) throw new ImportConflictError(`import ${importId} was undone already, at ${imp.undone_at.toISOString()}`)
    const entries = await tx<{ entity_id: string; version: number; action: 'create' | 'update'; current: number; now: StationState; before: StationState | null; after: StationState }[]>`
      SELECT c.entity_id, c.version, c.action, s.version AS current, c.snapshot AS after,
             json_build_object('kind', s.kind, 'name', s.name, 'region_code', s.region_code, 'address', s.address, 'lon', ST_X(s.geom),
               'lat', ST_Y(s.geom), 'opening_hours', s.opening_hours, 'amenities', s.amenities, 'phone', s.phone, 'operator', s.operator,
               'capacity', s.capacity, 'status', s.status, 'radius_m', s.radius_m, 'external_id', s.external_id, 'source', s.source) AS now,
             (SELECT p.snapshot FROM change_log p WHERE p.entity = 'station' AND p.entity_id = c.entity_id AND p.version = c.version - 1
               AND p.snapshot IS NOT NULL ORDER BY p.id DESC LIMIT 1) AS before
        FROM change_log c JOIN station s ON s.id::text = c.entity_id
       WHERE c.import_id = ${importId} AND c.action IN ('create', 'update')
       ORDER BY c.id
       FOR UPDATE OF s`
    // A station edited since is left to its editor; one edited and changed back (or another import
    // undone) is as the import left it, so it can be undone.
    const changed = entries.filter((e) => e.current !== e.version && Object.keys(fieldChanges(pick(e.after), pick(e.now))).length > 0)
    if (changed.length) {
      throw new ImportConflictError(`${changed.length} station(s) of this import changed since (e.g. ${changed[0]!.entity_id}, now at version ${changed[0]!.current}: ${Object.keys(fieldChanges(pick(changed[0]!.after), pick(changed[0]!.now))).join(', ')}); undo or revert those edits first`)
    }
    const items = entries.map((e) => {
      const target: StationState = e.action === 'create' ? { ...e.after, status: 'retired' } : e.before!
      return { id: e.entity_id, version: e.current, state: target, changes: fieldChanges(pick(e.now), pick(target)) }
    })
    for (let i = 0; i < items.length; i += 5000) {
      const batch = items.slice(i, i + 5000)
      await writeStates(tx, batch)
      await logChanges(tx, batch.map((x) => ({ id: x.id, version: x.version + 1, action: 'undo', changes: x.changes, snapshot: x.state })), actor, importId)
    }
    await tx`UPDATE station_import SET undone_at = now(), undone_by = ${actor.label} WHERE id = ${importId}`
    return getImport(tx, importId)
  })
}
