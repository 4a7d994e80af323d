import type { DemandItem } from '../core/demand-item.ts'
import { aggregateToParentsInSlices } from '../core/aggregate-to-parents.ts'
import { fieldChanges } from '../core/field-changes.ts'
import { DemandLayerMeta } from '../schemas/demand.ts'
import type { Sql } from './connect.ts'
import type { DemandItemInput } from './demand-files.ts'
import { InvalidArgumentError, NotFoundError } from './errors.ts'
import { recordChange, type Actor } from './history.ts'

/**
 * The demand tables in SQL: replace a layer, list layers, read a layer's items for some counties.
 * Files are parsed in demand-files.ts, bundled layers seeded by demand-seed.ts, cells summed to
 * coarser resolutions by core/aggregate-to-parents.ts.
 */

/** A layer's metadata as stored. */
export interface DemandLayerInfo extends DemandLayerMeta {
  origin: 'bundled' | 'user'
  /** ISO 8601 */
  loaded_at: string
}

/** A DemandItem with the optional name point layers carry (cells have none). */
export interface NamedDemandItem extends DemandItem {
  name: string | null
}

/** Rows per INSERT: ~20k rows of JSON is ~2 MB, well under PGlite's message limits and fast on both servers. */
const INSERT_BATCH = 20_000

// ---------------------------------------------------------------- writing

/**
 * Replaces one layer atomically: in one transaction, delete it (its items cascade), insert its
 * metadata and its items in batches. Items without a region_code get the county whose polygon
 * contains them (PostGIS, through region's GiST index); items outside every county keep null.
 *
 * `atomic: false` (a layer loaded for the first time, while the server already answers) commits each
 * batch on its own, so the one embedded connection serves other requests between batches; the file's
 * SHA-256 is written last, so a load cut short is found unfinished and reloaded at the next start.
 * Until it returns, readers may see part of the layer: the caller keeps its readers waiting.
 * @returns the number of items written
 */
export async function replaceDemandLayer(
  sql: Sql,
  meta: DemandLayerMeta,
  items: DemandItemInput[],
  options: { origin?: 'bundled' | 'user'; fileSha256?: string | null; atomic?: boolean; actor?: Actor } = {},
): Promise<number> {
  const layer = DemandLayerMeta.parse(meta)
  const write = async (tx: Sql, batch: (run: () => Promise<void>) => Promise<void>, sha256: string | null) => {
    // History (issue 11): the layer's metadata and item count before and after, with the write
    // (in its transaction when atomic).
    const [old] = await tx<Record<string, unknown>[]>`
      SELECT l.name, l.name_en, l.unit, l.unit_en, l.source, l.licence, l.modelled, l.demo, l.kind, l.resolution, l.origin, l.file_sha256,
             (SELECT count(*)::int FROM demand_item i WHERE i.layer_id = l.id) AS items
        FROM demand_layer l WHERE l.id = ${layer.id}`
    const { id: _, ...fields } = layer
    const now = { ...fields, origin: options.origin ?? 'bundled', file_sha256: options.fileSha256 ?? null, items: items.length }
    await recordChange(tx, {
      entity: 'demand_layer', entityId: layer.id, action: old ? 'update' : 'create',
      actor: options.actor ?? { id: null, label: options.origin === 'user' ? 'load-demand script' : 'bundled data' },
      changes: fieldChanges(old ?? null, now),
    })
    // the layer row is updated in place, not deleted, so the counties that made it their default keep it
    await tx`DELETE FROM demand_item WHERE layer_id = ${layer.id}`
    await tx`
      INSERT INTO demand_layer (id, name, name_en, unit, unit_en, source, licence, modelled, demo, kind, resolution, origin, file_sha256)
      VALUES (${layer.id}, ${layer.name}, ${layer.name_en}, ${layer.unit}, ${layer.unit_en}, ${layer.source}, ${layer.licence},
              ${layer.modelled}, ${layer.demo}, ${layer.kind}, ${layer.resolution}, ${options.origin ?? 'bundled'}, ${sha256})
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, unit = excluded.unit, unit_en = excluded.unit_en,
        source = excluded.source, licence = excluded.licence, modelled = excluded.modelled, demo = excluded.demo, kind = excluded.kind,
        resolution = excluded.resolution, origin = excluded.origin, file_sha256 = excluded.file_sha256, loaded_at = clock_timestamp()`
    for (let i = 0; i < items.length; i += INSERT_BATCH) {
      const rows = items.slice(i, i + INSERT_BATCH)
      await batch(async () => {
        await tx`
          INSERT INTO demand_item (layer_id, h3, name, weight, region_code, geom)
          SELECT ${layer.id}, r.h3, r.name, r.weight,
                 coalesce(r.region_code, (SELECT g.code FROM region g
                                            WHERE g.level = 'county' AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))
                                            ORDER BY g.code LIMIT 1)),
                 ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)
            FROM json_to_recordset(${tx.json(rows as never)}::json)
              AS r(h3 text, name text, weight float8, region_code text, lon float8, lat float8)`
      })
    }
  }
  if (options.atomic === false) {
    // each statement commits by itself; a yield between batches lets queued requests through
    await write(sql, async (run) => {
      await run()
      await new Promise((resolve) => setImmediate(resolve))
    }, null)
    await sql`UPDATE demand_layer SET file_sha256 = ${options.fileSha256 ?? null}, loaded_at = now() WHERE id = ${layer.id}`
    return items.length
  }
  return sql.begin(async (tx) => {
    await write(tx as unknown as Sql, (run) => run(), options.fileSha256 ?? null)
    return items.length
  })
}

// ---------------------------------------------------------------- default layers

/** The layer every region uses when a request names none, unless a planner chose another. */
export const FALLBACK_LAYER = 'population'

/**
 * The layer a request without `layer` uses in these counties: the one a planner made their default
 * (a city's counties must all agree on it), else population.
 */
export async function defaultLayerOf(sql: Sql, regionCodes: readonly string[]): Promise<string> {
  if (regionCodes.length === 0) return FALLBACK_LAYER
  const rows = await sql<{ layer_id: string; n: number }[]>`
    SELECT layer_id, count(*)::int AS n FROM region_default_layer WHERE region_code = ANY(${[...regionCodes]}) GROUP BY layer_id`
  return rows.length === 1 && rows[0]!.n === new Set(regionCodes).size ? rows[0]!.layer_id : FALLBACK_LAYER
}

/** County code → its default layer, for the counties that have one. */
export async function defaultLayers(sql: Sql): Promise<Record<string, string>> {
  const rows = await sql<{ region_code: string; layer_id: string }[]>`SELECT region_code, layer_id FROM region_default_layer ORDER BY region_code`
  return Object.fromEntries(rows.map((r) => [r.region_code, r.layer_id]))
}

/**
 * Makes `layerId` the default of these counties (population: back to the modelled layer), recorded
 * in the layer's history with who chose it. NotFoundError for an unknown layer.
 */
export async function setDefaultLayer(sql: Sql, regionCodes: string[], layerId: string, actor: Actor): Promise<void> {
  if (layerId !== FALLBACK_LAYER) await getDemandLayer(sql, layerId)
  await sql.begin(async (t) => {
    const tx = t as unknown as Sql
    const old = await defaultLayers(tx)
    for (const code of regionCodes) {
      const before = old[code] ?? FALLBACK_LAYER
      if (before === layerId) continue
      if (layerId === FALLBACK_LAYER) await tx`DELETE FROM region_default_layer WHERE region_code = ${code}`
      else {
        await tx`
          INSERT INTO region_default_layer (region_code, layer_id) VALUES (${code}, ${layerId})
          ON CONFLICT (region_code) DO UPDATE SET layer_id = excluded.layer_id, set_at = now()`
      }
      for (const [id, was] of [[before, true], [layerId, false]] as const) {
        await recordChange(tx, { entity: 'demand_layer', entityId: id, action: 'update', actor, changes: { [`default_in_${code}`]: [was, !was] } })
      }
    }
  })
}

/** Each stored layer's origin and the SHA-256 of the bundled file it was loaded from (null for a user's). */
export async function storedLayerVersions(sql: Sql): Promise<Map<string, { origin: 'bundled' | 'user'; file_sha256: string | null }>> {
  const rows = await sql<{ id: string; origin: 'bundled' | 'user'; file_sha256: string | null }[]>`SELECT id, origin, file_sha256 FROM demand_layer`
  return new Map(rows.map(({ id, ...r }) => [id, r]))
}

// ---------------------------------------------------------------- reading

/** One layer's metadata; NotFoundError (kind 'layer') when no layer has this id. */
export async function getDemandLayer(sql: Sql, id: string): Promise<DemandLayerInfo> {
  const [row] = await sql<DemandLayerInfo[]>`
    SELECT id, name, name_en, unit, unit_en, source, licence, modelled, demo, kind, resolution, origin,
           to_json(loaded_at) #>> '{}' AS loaded_at
      FROM demand_layer WHERE id = ${id}`
  if (!row) throw new NotFoundError('layer', id, `layer: no demand layer "${id}"; GET /api/demand/layers lists them`)
  return row
}

/** Every demand layer with its metadata, item count and total weight (in the layer's unit). */
export async function listDemandLayers(sql: Sql): Promise<(DemandLayerInfo & { item_count: number; total_weight: number })[]> {
  return sql<(DemandLayerInfo & { item_count: number; total_weight: number })[]>`
    SELECT l.id, l.name, l.name_en, l.unit, l.unit_en, l.source, l.licence, l.modelled, l.demo, l.kind, l.resolution, l.origin,
           to_json(l.loaded_at) #>> '{}' AS loaded_at,
           (SELECT count(*)::int FROM demand_item i WHERE i.layer_id = l.id) AS item_count,
           (SELECT coalesce(sum(i.weight), 0)::float8 FROM demand_item i WHERE i.layer_id = l.id) AS total_weight
      FROM demand_layer l ORDER BY l.id`
}

/**
 * The demand of one layer in some counties, for coverage and for /api/demand.
 * - unknown layer → NotFoundError (→ 404);
 * - `resolution` omitted → defaultResolution (9 for a county, 8 for a city, never finer than stored);
 * - `resolution` equal to the stored one → the stored items, ordered by h3;
 * - an h3 layer at a coarser `resolution` → cells summed into their parents (core/aggregate-to-parents.ts);
 * - a point layer → its points as stored whatever `resolution` (a point's weight must stay where it is);
 * - a finer `resolution` than stored → InvalidArgumentError on `resolution` (→ 400: cells cannot be split without a model).
 * @param q.regionCodes county codes (expand a city with regionAndChildren first); empty → no items
 * @returns also the `resolution` the items are at (the stored one for a point layer)
 */
export async function loadDemand(sql: Sql, q: { layer?: string; regionCodes: string[]; resolution?: number }): Promise<{ layer: DemandLayerInfo; items: DemandItem[]; resolution: number }> {
  return loadNamedDemand(sql, q)
}

/**
 * The H3 resolution a region is computed on unless asked: 9 (~0.1 km² cells) for a county, 8
 * (~0.7 km²) for a whole city, whose res-9 cells run to hundreds of thousands; never finer than stored.
 */
export function defaultResolution(regionCodes: readonly string[], layer: { resolution: number }): number {
  return Math.min(regionCodes.length > 1 ? 8 : 9, layer.resolution)
}

/** loadDemand with the items' names (point layers), for the API's GeoJSON. */
export async function loadNamedDemand(sql: Sql, q: { layer?: string; regionCodes: string[]; resolution?: number }): Promise<{ layer: DemandLayerInfo; items: NamedDemandItem[]; resolution: number }> {
  const layer = await getDemandLayer(sql, q.layer ?? (await defaultLayerOf(sql, q.regionCodes)))
  const resolution = q.resolution ?? defaultResolution(q.regionCodes, layer)
  if (layer.kind === 'h3' && resolution > layer.resolution) {
    throw new InvalidArgumentError(
      'resolution',
      `must be ≤ ${layer.resolution} for layer ${layer.id}`,
      `resolution: layer ${layer.id} is stored at resolution ${layer.resolution}; ask for ${layer.resolution} or coarser`,
    )
  }
  const at = layer.kind === 'h3' ? resolution : layer.resolution
  if (q.regionCodes.length === 0) return { layer, items: [], resolution: at }
  if (layer.kind === 'point') {
    // point layers are small (hundreds of items): one statement, ordered as always
    const items = await sql<NamedDemandItem[]>`
      SELECT h3, ST_X(geom) AS lon, ST_Y(geom) AS lat, weight, region_code, name
        FROM demand_item
       WHERE layer_id = ${layer.id} AND region_code = ANY(${q.regionCodes})
       ORDER BY h3, name`
    return { layer, items, resolution: at }
  }
  const items = await readCellsInSlices(sql, layer.id, q.regionCodes)
  if (resolution === layer.resolution) return { layer, items, resolution: at }
  return { layer, items: await inSlices(aggregateToParentsInSlices(items, resolution, SLICE_ITEMS)), resolution: at }
}

/** Items handled between two pauses of the reading thread (a statement's rows, a slice of work). */
const SLICE_ITEMS = 8192

/**
 * A pause that lets whatever queued meanwhile run first: requests that arrived, and their queries,
 * which on the embedded database's one connection then go before our next statement.
 */
const pause = () => new Promise<void>((resolve) => setImmediate(resolve))

/** Drives a sliced computation, pausing between its slices. */
async function inSlices<T>(steps: Generator<void, T, void>): Promise<T> {
  for (let r = steps.next(); ; r = steps.next()) {
    if (r.done) return r.value
    await pause()
  }
}

/** H3 order, which PostgreSQL's `ORDER BY h3` gives too: H3 strings are 15 lowercase hex digits, ordered alike in every collation. */
const byH3 = (a: NamedDemandItem, b: NamedDemandItem) => (a.h3 < b.h3 ? -1 : a.h3 > b.h3 ? 1 : 0)

/**
 * The cells of an h3 layer in some counties, ordered by h3 — what `ORDER BY h3` over all of them
 * gives (cells of an h3 layer carry no name) — read so the thread is never held long. On the embedded
 * database a statement over a whole city (≈ 100k rows, sorted on disk) held its one connection for
 * 1–2 s, and one county's ≈ 40k rows still arrived in one burst that postgres.js parsed for
 * 0.2–0.4 s on the request thread (CPU profile during a 黑河市 siting). So each county is read in
 * keyset slices of SLICE_ITEMS rows (`seq > last ORDER BY seq LIMIT n`, one range scan of
 * demand_item_layer_region_seq_idx), each slice sorted here (PostgreSQL's sort spilled to disk) and the
 * sorted slices merged, with a pause between statements and slices so queued requests go first.
 */
async function readCellsInSlices(sql: Sql, layerId: string, regionCodes: readonly string[]): Promise<NamedDemandItem[]> {
  const parts: NamedDemandItem[][] = []
  for (const code of new Set(regionCodes)) {
    for (let last = 0; ;) {
      const rows = await sql<(NamedDemandItem & { seq: number })[]>`
        SELECT seq::float8, h3, ST_X(geom) AS lon, ST_Y(geom) AS lat, weight, region_code, name
          FROM demand_item
         WHERE layer_id = ${layerId} AND region_code = ${code} AND seq > ${last}
         ORDER BY seq
         LIMIT ${SLICE_ITEMS}`
      await pause()
      if (rows.length) {
        last = rows[rows.length - 1]!.seq
        parts.push(rows.map(({ seq: _, ...item }) => item).sort(byH3))
        await pause()
      }
      if (rows.length < SLICE_ITEMS) break
    }
  }
  if (parts.length <= 1) return parts[0] ?? []
  // k-way merge of the sorted slices (k is tens for a city: a linear scan of the heads is cheap)
  const total = parts.reduce((n, p) => n + p.length, 0)
  const out = new Array<NamedDemandItem>(total)
  const head = parts.map(() => 0)
  for (let i = 0; i < total; i++) {
    let best = -1
    for (let k = 0; k < parts.length; k++) {
      if (head[k]! < parts[k]!.length && (best < 0 || byH3(parts[k]![head[k]!]!, parts[best]![head[best]!]!) < 0)) best = k
    }
    out[i] = parts[best]![head[best]!++]!
    if ((i + 1) % SLICE_ITEMS === 0) await pause()
  }
  return out
}
