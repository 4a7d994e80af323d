import { createHash } from 'node:crypto'
import { amenitiesFromText } from '../core/import/amenity-words.ts'
import { chineseHours } from '../core/import/chinese-hours.ts'
import { unescapeFormula } from '../core/import/formula-escape.ts'
import { kindFromName } from '../core/import/kind-names.ts'
import { toWgs84, type Crs } from '../core/crs.ts'
import type { Amenity, StationKind, StationStatus } from '../core/station-kinds.ts'
import { columnLetter, type ColumnMapping, type ImportField } from './column-mapping.ts'

/** A cell as the table readers give it: text, a number from a spreadsheet, or a formula found in it. */
export type Cell = string | number | { formula: string } | null

/** The station fields a row sets (only the columns the file has): WGS-84 lon/lat. */
export interface RowFields {
  kind?: StationKind
  name?: string
  lon?: number
  lat?: number
  address?: string | null
  opening_hours?: string | null
  amenities?: Amenity[]
  phone?: string | null
  operator?: string | null
  capacity?: number | null
  status?: StationStatus
  radius_m?: number | null
  region_code?: string | null
}

export interface RowProblem {
  /** column letter and header, when one cell is at fault */
  column?: string
  field: string
  message: string
}

export interface ImportRow {
  /** the row number the editor sees: spreadsheet/CSV line (header = 1), or the feature's position (1-based) */
  row: number
  fields: RowFields
  /** the station id the row names (an exported file's `id` column) */
  id?: string
  /** the owner's id, or — when the file has none — `sha256:` + a hash of kind, name and address (see README) */
  key: string
  errors: RowProblem[]
  /** has an address but no coordinates: the editor places it on the map before applying */
  to_place: boolean
  /** the cell values as read, for the page's table (only mapped columns) */
  source: Record<string, string>
}

const STATUS_WORDS: Record<string, StationStatus> = {
  active: 'active', planned: 'planned', retired: 'retired',
  运营: 'active', 运行: 'active', 在用: 'active', 正常: 'active', 开放: 'active', 已建成: 'active', 建成: 'active', 使用中: 'active', 正常运行: 'active',
  规划: 'planned', 拟建: 'planned', 筹建: 'planned', 建设中: 'planned', 在建: 'planned', 计划: 'planned',
  停用: 'retired', 关闭: 'retired', 撤销: 'retired', 已撤销: 'retired', 已关闭: 'retired', 废止: 'retired',
}

const MAX_LEN: Partial<Record<ImportField, number>> = { name: 200, address: 500, phone: 50, operator: 200, external_id: 200, opening_hours: 500 }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i
const FORMULA = /^=\s*[A-Za-z_][A-Za-z0-9_.]*\s*\(/

/** The documented key of a row without external_id: stable across re-imports of the same ledger. */
export function contentKey(kind: string, name: string, address: string | null | undefined): string {
  const h = createHash('sha256').update(`${kind}\n${name.trim()}\n${(address ?? '').trim()}`).digest('hex')
  return `sha256:${h.slice(0, 32)}`
}

function numberOf(v: string): number | null {
  const t = v.replace(/[,，\s]/g, '')
  if (!/^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(t)) return null
  const n = Number(t)
  return Number.isFinite(n) ? n : null
}

/**
 * One table row → the station fields it sets, validated by the data model's rules; every problem is
 * listed with its column. Coordinates are converted from `crs` to WGS-84 here, with gcoord.
 */
export function normaliseRow(row: number, cells: Record<string, Cell>, mapping: ColumnMapping, headers: readonly string[], crs: Crs): ImportRow {
  const errors: RowProblem[] = []
  const fields: RowFields = {}
  const source: Record<string, string> = {}
  const text: Partial<Record<ImportField, string>> = {}
  const colOf: Partial<Record<ImportField, string>> = {}
  headers.forEach((h, i) => {
    const field = mapping[h]
    if (!field) return
    const column = `${columnLetter(i)} (${h})`
    colOf[field] = column
    const cell = cells[h] ?? null
    if (cell !== null && typeof cell === 'object') {
      errors.push({ column, field, message: `the cell holds a formula (=${cell.formula.slice(0, 40)}); paste values only` })
      return
    }
    const value = cell === null ? '' : typeof cell === 'number' ? String(cell) : cell.trim()
    if (value.includes('\u0000')) {
      errors.push({ column, field, message: 'must not contain the NUL character (\\u0000)' })
      return
    }
    if (FORMULA.test(value)) {
      // a formula typed as text (=HYPERLINK(…)): refused, never stored for a spreadsheet to run later
      errors.push({ column, field, message: `the cell holds a formula (${value.slice(0, 40)}); paste values only` })
      return
    }
    const max = MAX_LEN[field]
    if (max && value.length > max) {
      errors.push({ column, field, message: `must be at most ${max} characters (has ${value.length})` })
      return
    }
    source[h] = value
    // our own export wrote '=… for text that begins like a formula; that text is the value
    text[field] = unescapeFormula(value)
  })
  const fail = (field: ImportField, message: string) => errors.push({ column: colOf[field], field, message })
  const present = (f: ImportField) => f in text
  const value = (f: ImportField) => text[f] ?? ''

  if (!value('name')) fail('name', 'missing: every station needs a name')
  else fields.name = value('name')
  if (!value('kind')) fail('kind', 'missing: every station needs a kind')
  else {
    const k = kindFromName(value('kind'))
    if (k) fields.kind = k
    else fail('kind', `unknown kind "${value('kind')}": use one of the names in the README's kind table`)
  }

  const lonText = value('lon')
  const latText = value('lat')
  let toPlace = false
  if (lonText || latText) {
    const x = numberOf(lonText)
    const y = numberOf(latText)
    if (x === null || x < -180 || x > 180) fail('lon', `"${lonText}" is not a longitude in degrees (-180 … 180)`)
    if (y === null || y < -90 || y > 90) fail('lat', `"${latText}" is not a latitude in degrees (-90 … 90)`)
    if (x !== null && y !== null && Math.abs(x) <= 180 && Math.abs(y) <= 90) {
      const [lon, lat] = toWgs84([x, y], crs)
      fields.lon = Math.round(lon * 1e7) / 1e7
      fields.lat = Math.round(lat * 1e7) / 1e7
    }
  } else if (value('address')) {
    toPlace = true
  } else {
    fail('lon', 'no coordinates and no address: give lon/lat (经度/纬度) or an address to place it on the map')
  }

  if (present('address')) fields.address = value('address') || null
  if (present('opening_hours')) {
    const h = value('opening_hours')
    if (!h) fields.opening_hours = null
    else {
      const r = chineseHours(h)
      if ('value' in r) fields.opening_hours = r.value
      else fail('opening_hours', `cannot convert "${h}" to opening_hours: ${r.problem}`)
    }
  }
  if (present('amenities')) {
    const r = amenitiesFromText(value('amenities'))
    if (r.unknown.length) fail('amenities', `unknown amenity "${r.unknown.join('", "')}"; the vocabulary: water, charging, microwave, toilet, rest, first_aid, heating, cooling, wifi, repair, medicine, reading (or their Chinese words)`)
    else fields.amenities = r.amenities
  }
  if (present('phone')) fields.phone = value('phone') || null
  if (present('operator')) fields.operator = value('operator') || null
  if (present('capacity')) {
    const t = value('capacity')
    const n = t ? numberOf(t) : null
    if (t && (n === null || !Number.isInteger(n) || n < 0 || n > 1_000_000)) fail('capacity', `"${t}" must be a whole number 0 … 1000000`)
    else fields.capacity = n
  }
  if (present('radius_m')) {
    const t = value('radius_m').replace(/米|m$/i, '')
    const n = t ? numberOf(t) : null
    if (t && (n === null || !Number.isInteger(n) || n <= 0 || n > 50000)) fail('radius_m', `"${value('radius_m')}" must be a whole number of metres 1 … 50000`)
    else fields.radius_m = n
  }
  if (present('status')) {
    const t = value('status')
    if (!t) fields.status = 'active'
    else {
      const s = STATUS_WORDS[t.toLowerCase()] ?? STATUS_WORDS[t]
      if (s) fields.status = s
      else fail('status', `unknown status "${t}": use active/planned/retired (运营/规划/停用)`)
    }
  }
  if (present('region_code')) {
    const t = value('region_code')
    if (t && !/^[0-9]{6}$/.test(t)) fail('region_code', `"${t}" must be a six-digit GB/T 2260 code, e.g. 370828`)
    else fields.region_code = t || null
  }
  let id: string | undefined
  if (value('id')) {
    if (UUID.test(value('id'))) id = value('id').toLowerCase()
    else fail('id', `"${value('id')}" is not a station id (UUID); leave the column out for new stations`)
  }
  const key = value('external_id') || (fields.kind && fields.name ? contentKey(fields.kind, fields.name, fields.address) : `row:${row}`)
  return { row, fields, id, key, errors, to_place: toPlace && errors.length === 0, source }
}
