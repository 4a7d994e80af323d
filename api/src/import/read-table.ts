import ExcelJS from 'exceljs'
import Papa from 'papaparse'
import { columnLetter, namesStations } from './column-mapping.ts'
import { decodeText, EncodingError, type EncodingChoice, type TextEncoding } from './decode-text.ts'
import type { Cell, RowProblem } from './normalise-row.ts'
import { inspectZip } from './zip-guard.ts'

/** The most rows and columns one import may hold (the 413 names them). */
export const IMPORT_LIMITS = { rows: 50_000, columns: 200, fileBytes: 20 * 1024 * 1024, unpackedBytes: 200 * 1024 * 1024 } as const

export type TableFormat = 'xlsx' | 'csv' | 'geojson'

export interface TableRow {
  row: number
  cells: Record<string, Cell>
  /** a problem the reader found in the row itself (a GeoJSON feature that is not a point …) */
  problem?: RowProblem
}

export interface Table {
  format: TableFormat
  /** xlsx: every sheet's name, and the one read */
  sheets?: string[]
  sheet?: string
  encoding?: TextEncoding
  headers: string[]
  rows: TableRow[]
}

/** The file cannot be read as a table at all: 400 naming the problem (and the row/column when there is one). */
export class FileError extends Error {
  constructor(message: string, readonly where: { row?: number; column?: string } = {}) {
    super(message)
  }
}

/** A limit of IMPORT_LIMITS was passed: 413. */
export class ImportTooLargeError extends Error {}

export function formatOf(filename: string, bytes: Uint8Array): TableFormat {
  const ext = /\.([a-z0-9]+)$/i.exec(filename)?.[1]?.toLowerCase()
  if (ext === 'xlsx') return 'xlsx'
  if (ext === 'csv' || ext === 'txt') return 'csv'
  if (ext === 'geojson' || ext === 'json') return 'geojson'
  if (ext === 'xls') throw new FileError('file: .xls (Excel 97–2003) is not supported; save it as .xlsx or CSV')
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return 'xlsx'
  throw new FileError(`file: "${filename}" is not .xlsx, .csv or .geojson`)
}

function headerRow(raw: unknown[]): string[] {
  if (raw.length > IMPORT_LIMITS.columns) throw new FileError(`row 1 has ${raw.length} columns; at most ${IMPORT_LIMITS.columns} are read (column ${columnLetter(IMPORT_LIMITS.columns)} onwards is too many)`, { row: 1, column: columnLetter(IMPORT_LIMITS.columns) })
  const headers = raw.map((h) => String(h ?? '').replace(/^\uFEFF/, '').trim())
  // trailing empty headers are Excel's padding, not columns
  while (headers.length && headers.at(-1) === '') headers.pop()
  const blank = headers.indexOf('')
  if (blank >= 0) throw new FileError(`row 1, column ${columnLetter(blank)}: the header is empty; name the column or delete it`, { row: 1, column: columnLetter(blank) })
  if (headers.length === 0) throw new FileError('row 1 has no headers: the first row must name the columns (名称, 类型, 经度, 纬度 …)', { row: 1 })
  return headers
}

function checkRows(n: number) {
  if (n > IMPORT_LIMITS.rows) throw new ImportTooLargeError(`the file has ${n} rows; an import takes at most ${IMPORT_LIMITS.rows} rows (split the file)`)
}

function readCsv(bytes: Uint8Array, encoding: EncodingChoice): Table {
  let decoded
  try {
    decoded = decodeText(bytes, encoding)
  } catch (err) {
    if (err instanceof EncodingError) throw new FileError(`file: ${err.message}`, { row: err.row })
    throw err
  }
  const parsed = Papa.parse<string[]>(decoded.text, { skipEmptyLines: 'greedy' })
  const fatal = parsed.errors.find((e) => e.type === 'Quotes')
  if (fatal) throw new FileError(`row ${(fatal.row ?? 0) + 1}: ${fatal.message}`, { row: (fatal.row ?? 0) + 1 })
  const data = parsed.data
  if (data.length === 0) throw new FileError('file: the CSV is empty (no header row)')
  const headers = headerRow(data[0]!)
  checkRows(data.length - 1)
  if (data.length === 1) throw new FileError('file: the CSV has a header row but no data rows', { row: 2 })
  const rows: TableRow[] = []
  for (let i = 1; i < data.length; i++) {
    const line = data[i]!
    if (line.length > IMPORT_LIMITS.columns) throw new FileError(`row ${i + 1} has ${line.length} columns; at most ${IMPORT_LIMITS.columns}`, { row: i + 1 })
    const cells: Record<string, Cell> = {}
    headers.forEach((h, j) => (cells[h] = line[j] ?? null))
    rows.push({ row: i + 1, cells })
  }
  return { format: 'csv', encoding: decoded.encoding, headers, rows }
}

/** An exceljs cell value → a Cell: text, a number, or the formula (which the importer refuses). */
function xlsxCell(v: ExcelJS.CellValue): Cell {
  if (v === null || v === undefined) return null
  if (typeof v === 'number' || typeof v === 'string') return v
  if (typeof v === 'boolean') return String(v)
  if (v instanceof Date) {
    // a time typed into a cell (8:00) is a date on 1899-12-30 in Excel's epoch
    if (v.getUTCFullYear() <= 1900) return `${String(v.getUTCHours()).padStart(2, '0')}:${String(v.getUTCMinutes()).padStart(2, '0')}`
    return v.toISOString().slice(0, 10)
  }
  if ('formula' in v || 'sharedFormula' in v) return { formula: String((v as { formula?: string }).formula ?? (v as { sharedFormula?: string }).sharedFormula ?? '') }
  if ('richText' in v) return v.richText.map((r) => r.text).join('')
  if ('text' in v) return String(v.text)
  if ('error' in v) return String(v.error)
  return String(v)
}

async function readXlsx(bytes: Uint8Array, sheet: string | undefined): Promise<Table> {
  const verdict = inspectZip(bytes, IMPORT_LIMITS.unpackedBytes)
  if (!verdict.ok) {
    if (verdict.unpacked !== undefined) throw new ImportTooLargeError(`file: ${verdict.problem}`)
    throw new FileError(`file: ${verdict.problem}`)
  }
  const wb = new ExcelJS.Workbook()
  try {
    await wb.xlsx.load(Buffer.from(bytes) as never)
  } catch (err) {
    throw new FileError(`file: not a readable .xlsx workbook (${String(err instanceof Error ? err.message : err).slice(0, 160)})`)
  }
  const sheets = wb.worksheets.map((w) => w.name)
  if (sheets.length === 0) throw new FileError('file: the workbook has no sheets')
  // by default the first sheet whose header row names stations (a ledger often opens with a notes sheet)
  const headerValues = (w: ExcelJS.Worksheet) => (w.getRow(1).values as unknown[]).slice(1).map((v) => xlsxCell(v as ExcelJS.CellValue))
  const ws = sheet === undefined ? (wb.worksheets.find((w) => namesStations(headerValues(w))) ?? wb.worksheets[0]!) : wb.getWorksheet(sheet)
  if (!ws) throw new FileError(`sheet: the workbook has no sheet "${sheet}"; its sheets: ${sheets.join(', ')}`)
  checkRows(ws.actualRowCount - 1)
  if (ws.actualColumnCount > IMPORT_LIMITS.columns) throw new FileError(`sheet "${ws.name}" has ${ws.actualColumnCount} columns; at most ${IMPORT_LIMITS.columns}`, { column: columnLetter(IMPORT_LIMITS.columns) })
  const first = ws.getRow(1)
  if (ws.actualRowCount === 0 || !first.hasValues) throw new FileError(`sheet "${ws.name}" is empty: the first row must name the columns`, { row: 1 })
  const rawHeaders: unknown[] = []
  for (let c = 1; c <= Math.min(ws.columnCount, IMPORT_LIMITS.columns); c++) {
    const v = xlsxCell(first.getCell(c).value)
    rawHeaders.push(v !== null && typeof v === 'object' ? `=${v.formula}` : v)
  }
  const headers = headerRow(rawHeaders)
  const rows: TableRow[] = []
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n === 1) return
    const cells: Record<string, Cell> = {}
    headers.forEach((h, j) => (cells[h] = xlsxCell(r.getCell(j + 1).value)))
    if (Object.values(cells).every((v) => v === null || v === '')) return
    rows.push({ row: n, cells })
  })
  if (rows.length === 0) throw new FileError(`sheet "${ws.name}" has a header row but no data rows`, { row: 2 })
  return { format: 'xlsx', sheets, sheet: ws.name, headers, rows }
}

function readGeoJson(bytes: Uint8Array): Table {
  let json: { type?: unknown; features?: unknown }
  try {
    json = JSON.parse(Buffer.from(bytes).toString('utf8').replace(/^\uFEFF/, ''))
  } catch (err) {
    throw new FileError(`file: not valid JSON (${String(err instanceof Error ? err.message : err).slice(0, 120)})`)
  }
  const features = json && json.type === 'FeatureCollection' && Array.isArray(json.features) ? (json.features as unknown[]) : json && json.type === 'Feature' ? [json] : null
  if (!features) throw new FileError('file: GeoJSON must be a FeatureCollection (or one Feature) of Point features')
  checkRows(features.length)
  if (features.length === 0) throw new FileError('file: the FeatureCollection has no features')
  const headers = new Set<string>(['lon', 'lat'])
  const rows: TableRow[] = features.map((f, i) => {
    const feat = f as { type?: unknown; geometry?: { type?: unknown; coordinates?: unknown } | null; properties?: Record<string, unknown> | null; id?: unknown }
    const cells: Record<string, Cell> = {}
    let problem: RowProblem | undefined
    for (const [k, v] of Object.entries(feat?.properties ?? {})) {
      if (k === 'lon' || k === 'lat' || headers.size >= IMPORT_LIMITS.columns && !headers.has(k)) continue
      headers.add(k)
      cells[k] = v === null || v === undefined ? null : Array.isArray(v) ? v.join(',') : typeof v === 'object' ? JSON.stringify(v) : typeof v === 'number' ? v : String(v)
    }
    if (feat?.type !== 'Feature') problem = { field: 'type', message: `feature ${i + 1} is not a GeoJSON Feature` }
    else if (feat.geometry) {
      const g = feat.geometry
      const c = g.coordinates as unknown[]
      if (g.type !== 'Point') problem = { field: 'geometry', message: `geometry is a ${String(g.type)}; stations are Points` }
      else if (!Array.isArray(c) || typeof c[0] !== 'number' || typeof c[1] !== 'number') problem = { field: 'geometry', message: 'Point coordinates must be [lon, lat] numbers' }
      else {
        cells.lon = c[0]
        cells.lat = c[1]
      }
    }
    return { row: i + 1, cells, ...(problem ? { problem } : {}) }
  })
  return { format: 'geojson', headers: [...headers], rows }
}

/** Reads an uploaded file as a table: header row + data rows, whatever its format. */
export async function readTable(bytes: Uint8Array, filename: string, options: { encoding?: EncodingChoice; sheet?: string } = {}): Promise<Table> {
  const format = formatOf(filename, bytes)
  if (format === 'xlsx') return readXlsx(bytes, options.sheet)
  if (format === 'geojson') return readGeoJson(bytes)
  return readCsv(bytes, options.encoding ?? 'auto')
}
