import { fromWgs84, type Crs } from '../core/crs.ts'
import { escapeFormula } from '../core/import/formula-escape.ts'

/** One exported table: header + rows of plain values (text escaped against formulas on the way out). */
export interface ExportTable {
  columns: string[]
  rows: (string | number | null)[][]
}

export const CRS_OF = { wgs84: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' } as const satisfies Record<string, Crs>
export type CrsName = keyof typeof CRS_OF

/** The station columns, canonical names, so the file imports back without a mapping. */
export const STATION_COLUMNS = [
  'id', 'external_id', 'name', 'kind', 'lon', 'lat', 'address', 'opening_hours', 'amenities', 'phone', 'operator',
  'capacity', 'status', 'radius_m', 'region_code', 'source', 'version', 'updated_at',
] as const

interface StationLike {
  id: string
  geometry: { coordinates: [number, number] }
  properties: Record<string, unknown> & { amenities: readonly string[] }
}

/** A cell: numbers as numbers, text escaped (escapeFormula), arrays joined with commas. */
export function cell(v: unknown): string | number | null {
  if (v === null || v === undefined) return null
  if (typeof v === 'number') return v
  if (Array.isArray(v)) return escapeFormula(v.join(','))
  return escapeFormula(String(v))
}

/** Coordinates in the asked system, rounded to 7 decimals (≈ 1 cm). */
export function exportPoint(coords: readonly [number, number], crs: CrsName): [number, number] {
  const [x, y] = fromWgs84(coords, CRS_OF[crs])
  return [Math.round(x * 1e7) / 1e7, Math.round(y * 1e7) / 1e7]
}

export function stationRows(features: readonly StationLike[], crs: CrsName): ExportTable['rows'] {
  return features.map((f) => {
    const [lon, lat] = exportPoint(f.geometry.coordinates, crs)
    return STATION_COLUMNS.map((c) => (c === 'lon' ? lon : c === 'lat' ? lat : c === 'id' ? f.id : cell(f.properties[c])))
  })
}

/** CSV, UTF-8 with BOM (so Excel shows the Chinese), CRLF, every text cell escaped. */
export function toCsv(t: ExportTable): string {
  const q = (v: string | number | null) => {
    if (v === null) return ''
    const s = String(v)
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
  }
  return `\uFEFF${[t.columns, ...t.rows].map((r) => r.map(q).join(',')).join('\r\n')}\r\n`
}

/** An ASCII fallback plus the UTF-8 name (RFC 6266), so Chinese file names survive the download. */
export function attachment(name: string, ext: string, fallback = 'export'): string {
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '') || fallback
  return `attachment; filename="${safe}.${ext}"; filename*=UTF-8''${encodeURIComponent(name)}.${ext}`
}
