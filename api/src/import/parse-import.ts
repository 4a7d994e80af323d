import type { MessagePort } from 'node:worker_threads'
import type { Crs } from '../core/crs.ts'
import { detectMapping, HeaderError, type ColumnMapping } from './column-mapping.ts'
import type { EncodingChoice } from './decode-text.ts'
import { normaliseRow, type ImportRow } from './normalise-row.ts'
import { FileError, ImportTooLargeError, readTable, type Table } from './read-table.ts'

export interface ParseImportTask {
  task: 'parse-import'
  bytes: Uint8Array
  filename: string
  crs: Crs
  encoding?: EncodingChoice
  sheet?: string
  mapping?: ColumnMapping
  /** where to post `{done, total}` as rows are converted (the request streams them to the page) */
  progress?: MessagePort
}

/** Rows converted between two progress messages: ≈ 50 messages for the largest file. */
export const PARSE_PROGRESS_ROWS = 1000

export type ParsedImport =
  | { ok: true; format: Table['format']; sheets?: string[]; sheet?: string; encoding?: string; headers: string[]; mapping: ColumnMapping; rows: ImportRow[] }
  | { ok: false; status: 400 | 413; message: string; row?: number; column?: string }

/**
 * The CPU part of an import, run in a worker thread: read the file, recognise its columns, turn every
 * row into station fields (WGS-84) with its problems, and mark rows that repeat an earlier row's key.
 * Failures come back as values: error classes do not survive the thread boundary.
 */
export async function parseImport(t: ParseImportTask): Promise<ParsedImport> {
  try {
    const table = await readTable(t.bytes, t.filename, { encoding: t.encoding, sheet: t.sheet })
    const mapping = detectMapping(table.headers, t.mapping)
    const mapped = new Set(Object.values(mapping))
    if (!mapped.has('name')) throw new HeaderError(`no column maps to name: headers are ${table.headers.slice(0, 20).join(', ')}; name one 名称 or map it`, [])
    const firstRow = new Map<string, number>()
    const total = table.rows.length
    t.progress?.postMessage({ done: 0, total })
    const rows = table.rows.map((r, k) => {
      if (k > 0 && k % PARSE_PROGRESS_ROWS === 0) t.progress?.postMessage({ done: k, total })
      const row = normaliseRow(r.row, r.cells, mapping, table.headers, t.crs)
      if (r.problem) {
        row.errors.unshift(r.problem)
        row.to_place = false
      }
      const dupKey = row.id ?? row.key
      const earlier = firstRow.get(dupKey)
      if (earlier !== undefined) row.errors.push({ field: row.id ? 'id' : 'external_id', message: `duplicate row in the file: same station as row ${earlier}` })
      else firstRow.set(dupKey, row.row)
      return row
    })
    t.progress?.postMessage({ done: total, total })
    return { ok: true, format: table.format, sheets: table.sheets, sheet: table.sheet, encoding: table.encoding, headers: table.headers, mapping, rows }
  } catch (err) {
    if (err instanceof ImportTooLargeError) return { ok: false, status: 413, message: err.message }
    if (err instanceof FileError) return { ok: false, status: 400, message: err.message, ...err.where }
    if (err instanceof HeaderError) return { ok: false, status: 400, message: err.message, row: 1, column: err.columns.join(', ') || undefined }
    throw err
  } finally {
    t.progress?.close()
  }
}
