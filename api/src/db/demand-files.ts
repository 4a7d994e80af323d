import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { cellToLatLng, getResolution, latLngToCell } from 'h3-js'
import Papa from 'papaparse'
import type { z } from '@hono/zod-openapi'
import { DemandCellRow, DemandPointFeature, type DemandLayerMeta } from '../schemas/demand.ts'

/**
 * Demand layer files → items ready to insert: CSV/GeoJSON parsing and row-by-row validation, no SQL.
 * Used by the bundled-layer seeding (db/demand-seed.ts) and by `npm run load-demand`.
 */

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

/** The SHA-256 (hex) of a file's bytes: how seeding tells whether a bundled layer changed. */
export function fileSha256(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
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
