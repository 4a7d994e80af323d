import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { cellToLatLng, cellToParent, getResolution, latLngToCell } from 'h3-js'
import Papa from 'papaparse'
import type { z } from '@hono/zod-openapi'
import type { DemandItem } from '../core/demand-item.ts'
import { ApiError } from '../http/errors.ts'
import { DemandCellRow, DemandLayerMeta, DemandManifest, DemandPointFeature } from '../schemas/demand.ts'
import { fieldChanges } from '../core/field-changes.ts'
import type { Sql } from './connect.ts'
import { recordChange, type Actor } from './history.ts'

/** A layer's metadata as stored. */
export interface DemandLayerInfo extends DemandLayerMeta {
  origin: 'bundled' | 'user'
  /** ISO 8601 */
  loaded_at: string
}

/** An item ready to insert: WGS-84 position, the H3 cell it is indexed by, its weight. */
export interface DemandItemInput {
  h3: string
  lon: number
  lat: number
  weight: number
  name: string | null
  /** null: assign by point-in-polygon against the county regions */
  region_code: string | null
}

/** A DemandItem with the optional name point layers carry (cells have none). */
export interface NamedDemandItem extends DemandItem {
  name: string | null
}

/** Rows per INSERT: ~20k rows of JSON is ~2 MB, well under PGlite's message limits and fast on both servers. */
const INSERT_BATCH = 20_000

// ---------------------------------------------------------------- validation

/** A validation failure that names the row (1-based, as a user counts lines of data) and the field. */
export class DemandInputError extends Error {
  constructor(
    readonly file: string,
    readonly row: number,
    readonly field: string,
    detail: string,
  ) {
    super(`${file}: row ${row}, ${field}: ${detail}`)
  }
}

/** Parses every row with `schema`, failing on the first bad one with its row number and field. */
export function validateRows<S extends z.ZodType>(file: string, rows: unknown[], schema: S): z.infer<S>[] {
  return rows.map((row, i) => {
    const parsed = schema.safeParse(row)
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      throw new DemandInputError(file, i + 1, issue.path.join('.') || '(row)', issue.message)
    }
    return parsed.data
  })
}

/** CSV text → objects keyed by the header (trimmed, lower-case), empty lines skipped. */
export function parseCsv(text: string): Record<string, string>[] {
  const result = Papa.parse<Record<string, string>>(text.replace(/^\uFEFF/, ''), {
    header: true,
    skipEmptyLines: 'greedy',
    transformHeader: (h) => h.trim().toLowerCase(),
    transform: (v) => v.trim(),
  })
  const error = result.errors[0]
  if (error) throw new Error(`CSV row ${(error.row ?? 0) + 1}: ${error.message}`)
  return result.data
}

/** Cells → items at their centres (region_code kept when the file gives it). */
export function cellItems(rows: DemandCellRow[]): DemandItemInput[] {
  return rows.map((r) => {
    const [lat, lon] = cellToLatLng(r.h3)
    return { h3: r.h3, lon, lat, weight: r.weight, name: null, region_code: r.region_code }
  })
}

/** WGS-84 points → items indexed by their cell at `resolution`. */
export function pointItems(points: { lon: number; lat: number; weight: number; name: string | null; region_code?: string | null }[], resolution: number): DemandItemInput[] {
  return points.map((p) => ({
    h3: latLngToCell(p.lat, p.lon, resolution),
    lon: p.lon,
    lat: p.lat,
    weight: p.weight,
    name: p.name,
    region_code: p.region_code ?? null,
  }))
}

/** Reads one bundled layer file (csv, csv.gz or geojson), validated row by row. */
export function readLayerFile(path: string, meta: DemandLayerMeta): { items: DemandItemInput[]; sha256: string } {
  const bytes = readFileSync(path)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  const text = (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8')
  if (meta.kind === 'h3') {
    const rows = validateRows(path, parseCsv(text), DemandCellRow)
    const wrong = rows.findIndex((r) => getResolution(r.h3) !== meta.resolution)
    if (wrong >= 0) throw new DemandInputError(path, wrong + 1, 'h3', `cell is not at the layer's resolution ${meta.resolution}`)
    return { items: cellItems(rows), sha256 }
  }
  const json = JSON.parse(text) as { type?: string; features?: unknown[] }
  if (json.type !== 'FeatureCollection' || !Array.isArray(json.features)) throw new Error(`${path}: not a GeoJSON FeatureCollection`)
  const features = validateRows(path, json.features, DemandPointFeature)
  const points = features.map((f) => ({ lon: f.geometry.coordinates[0], lat: f.geometry.coordinates[1], ...f.properties }))
  return { items: pointItems(points, meta.resolution), sha256 }
}

// ---------------------------------------------------------------- writing

/**
 * Replaces one layer atomically: in one transaction, delete it (its items cascade), insert its
 * metadata and its items in batches. Items without a region_code get the county whose polygon
 * contains them (PostGIS, through region's GiST index); items outside every county keep null.
 * @returns the number of items written
 */
export async function replaceDemandLayer(
  sql: Sql,
  meta: DemandLayerMeta,
  items: DemandItemInput[],
  options: { origin?: 'bundled' | 'user'; fileSha256?: string | null; actor?: Actor } = {},
): Promise<number> {
  const layer = DemandLayerMeta.parse(meta)
  return sql.begin(async (tx) => {
    // History (issue 11): the layer's metadata and item count before and after, in this transaction.
    const [old] = await tx<Record<string, unknown>[]>`
      SELECT l.name, l.name_en, l.unit, l.unit_en, l.source, l.modelled, l.demo, l.kind, l.resolution, l.origin, l.file_sha256,
             (SELECT count(*)::int FROM demand_item i WHERE i.layer_id = l.id) AS items
        FROM demand_layer l WHERE l.id = ${layer.id}`
    const { id: _, ...fields } = layer
    const now = { ...fields, origin: options.origin ?? 'bundled', file_sha256: options.fileSha256 ?? null, items: items.length }
    await recordChange(tx, {
      entity: 'demand_layer', entityId: layer.id, action: old ? 'update' : 'create',
      actor: options.actor ?? { id: null, label: options.origin === 'user' ? 'load-demand script' : 'bundled data' },
      changes: fieldChanges(old ?? null, now),
    })
    await tx`DELETE FROM demand_layer WHERE id = ${layer.id}`
    await tx`
      INSERT INTO demand_layer (id, name, name_en, unit, unit_en, source, modelled, demo, kind, resolution, origin, file_sha256)
      VALUES (${layer.id}, ${layer.name}, ${layer.name_en}, ${layer.unit}, ${layer.unit_en}, ${layer.source},
              ${layer.modelled}, ${layer.demo}, ${layer.kind}, ${layer.resolution}, ${options.origin ?? 'bundled'}, ${options.fileSha256 ?? null})`
    for (let i = 0; i < items.length; i += INSERT_BATCH) {
      const rows = items.slice(i, i + INSERT_BATCH)
      await tx`
        INSERT INTO demand_item (layer_id, h3, name, weight, region_code, geom)
        SELECT ${layer.id}, r.h3, r.name, r.weight,
               coalesce(r.region_code, (SELECT g.code FROM region g
                                          WHERE g.level = 'county' AND ST_Intersects(g.geom, ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326))
                                          ORDER BY g.code LIMIT 1)),
               ST_SetSRID(ST_MakePoint(r.lon, r.lat), 4326)
          FROM json_to_recordset(${tx.json(rows as never)}::json)
            AS r(h3 text, name text, weight float8, region_code text, lon float8, lat float8)`
    }
    return items.length
  })
}

/**
 * Loads the bundled layers listed in `manifestPath` (data/demand/layers.json): a layer that is missing,
 * or bundled and whose file's SHA-256 changed, is validated in full and then replaced in one
 * transaction. Layers a user loaded (origin 'user') are never overwritten.
 */
export async function seedDemand(sql: Sql, manifestPath: string, log: (msg: string) => void = () => {}): Promise<void> {
  if (!existsSync(manifestPath)) return
  const manifest = DemandManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')))
  const stored = new Map(
    (await sql<{ id: string; origin: string; file_sha256: string | null }[]>`SELECT id, origin, file_sha256 FROM demand_layer`).map((r) => [r.id, r]),
  )
  for (const { file, ...meta } of manifest) {
    const path = join(dirname(manifestPath), file)
    const current = stored.get(meta.id)
    if (current?.origin === 'user') continue
    const sha256 = createHash('sha256').update(readFileSync(path)).digest('hex')
    if (current?.file_sha256 === sha256) continue
    const t0 = performance.now()
    const { items } = readLayerFile(path, meta)
    const count = await replaceDemandLayer(sql, meta, items, { origin: 'bundled', fileSha256: sha256 })
    log(`demand layer ${meta.id} loaded: ${count} items in ${Math.round(performance.now() - t0)} ms`)
  }
}

// ---------------------------------------------------------------- reading

/** One layer's metadata; ApiError 404 when no layer has this id. */
export async function getDemandLayer(sql: Sql, id: string): Promise<DemandLayerInfo> {
  const [row] = await sql<DemandLayerInfo[]>`
    SELECT id, name, name_en, unit, unit_en, source, modelled, demo, kind, resolution, origin,
           to_json(loaded_at) #>> '{}' AS loaded_at
      FROM demand_layer WHERE id = ${id}`
  if (!row) throw new ApiError(404, 'not_found', `layer: no demand layer "${id}"; GET /api/demand/layers lists them`)
  return row
}

/** Every demand layer with its metadata, item count and total weight (in the layer's unit). */
export async function listDemandLayers(sql: Sql): Promise<(DemandLayerInfo & { item_count: number; total_weight: number })[]> {
  return sql<(DemandLayerInfo & { item_count: number; total_weight: number })[]>`
    SELECT l.id, l.name, l.name_en, l.unit, l.unit_en, l.source, l.modelled, l.demo, l.kind, l.resolution, l.origin,
           to_json(l.loaded_at) #>> '{}' AS loaded_at,
           (SELECT count(*)::int FROM demand_item i WHERE i.layer_id = l.id) AS item_count,
           (SELECT coalesce(sum(i.weight), 0)::float8 FROM demand_item i WHERE i.layer_id = l.id) AS total_weight
      FROM demand_layer l ORDER BY l.id`
}

/**
 * Sums cells into their parents at `resolution`: weight = sum of the children's, position = the
 * parent's centre, region_code = that of the heaviest child (ties: the smaller code), so a parent
 * cell on a county border counts once, for the county that holds most of it.
 */
export function aggregateToParents(items: readonly NamedDemandItem[], resolution: number): NamedDemandItem[] {
  const parents = new Map<string, { weight: number; byRegion: Map<string | null, number> }>()
  for (const item of items) {
    const parent = cellToParent(item.h3, resolution)
    const p = parents.get(parent) ?? { weight: 0, byRegion: new Map() }
    p.weight += item.weight
    // Heaviest child, not the heaviest region total: the rule the lead's coverage expects.
    p.byRegion.set(item.region_code, Math.max(p.byRegion.get(item.region_code) ?? 0, item.weight))
    parents.set(parent, p)
  }
  return [...parents.entries()]
    .sort((a, b) => (a[0] < b[0] ? -1 : 1))
    .map(([h3, p]) => {
      const [lat, lon] = cellToLatLng(h3)
      const region = [...p.byRegion.entries()].sort((a, b) => b[1] - a[1] || String(a[0]).localeCompare(String(b[0])))[0]![0]
      return { h3, lon, lat, weight: p.weight, region_code: region, name: null }
    })
}

/**
 * The demand of one layer in some counties, for coverage and for /api/demand.
 * - unknown layer → ApiError 404;
 * - `resolution` omitted → defaultResolution (9 for a county, 8 for a city, never finer than stored);
 * - `resolution` equal to the stored one → the stored items, ordered by h3;
 * - an h3 layer at a coarser `resolution` → cells summed into their parents (aggregateToParents);
 * - a point layer → its points as stored whatever `resolution` (a point's weight must stay where it is);
 * - a finer `resolution` than stored → ApiError 400 (cells cannot be split without a model).
 * @param q.regionCodes county codes (expand a city with regionAndChildren first); empty → no items
 * @returns also the `resolution` the items are at (the stored one for a point layer)
 */
export async function loadDemand(sql: Sql, q: { layer: string; regionCodes: string[]; resolution?: number }): Promise<{ layer: DemandLayerInfo; items: DemandItem[]; resolution: number }> {
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
export async function loadNamedDemand(sql: Sql, q: { layer: string; regionCodes: string[]; resolution?: number }): Promise<{ layer: DemandLayerInfo; items: NamedDemandItem[]; resolution: number }> {
  const layer = await getDemandLayer(sql, q.layer)
  const resolution = q.resolution ?? defaultResolution(q.regionCodes, layer)
  if (layer.kind === 'h3' && resolution > layer.resolution) {
    throw new ApiError(400, 'invalid_query', `resolution: layer ${layer.id} is stored at resolution ${layer.resolution}; ask for ${layer.resolution} or coarser`, [
      { path: ['resolution'], message: `must be ≤ ${layer.resolution} for layer ${layer.id}` },
    ])
  }
  const at = layer.kind === 'h3' ? resolution : layer.resolution
  if (q.regionCodes.length === 0) return { layer, items: [], resolution: at }
  const items = await sql<NamedDemandItem[]>`
    SELECT h3, ST_X(geom) AS lon, ST_Y(geom) AS lat, weight, region_code, name
      FROM demand_item
     WHERE layer_id = ${layer.id} AND region_code = ANY(${q.regionCodes})
     ORDER BY h3, name`
  if (layer.kind === 'point' || resolution === layer.resolution) return { layer, items, resolution: at }
  return { layer, items: aggregateToParents(items, resolution), resolution: at }
}
