import ExcelJS from 'exceljs'
import type { ExportTable } from './station-table.ts'

export interface BuildXlsxTask {
  task: 'build-xlsx'
  sheet: string
  table: ExportTable
  /** rows of notes (source, licence, coordinate system) on a second sheet */
  notes?: [string, string][]
}

/**
 * A name Excel accepts: no * ? : \ / [ ] (a scenario's name may hold them; exceljs threw, a 500), at most
 * 31 UTF-16 units, never cutting a character in two.
 */
export function sheetName(name: string): string {
  let out = ''
  for (const ch of name.replace(/[*?:\\/[\]]/g, '_')) {
    if (out.length + ch.length > 31) break
    out += ch
  }
  return out || 'sheet'
}

/** An .xlsx of one table (bold frozen header) and an optional notes sheet; run in a worker thread. */
export async function buildXlsx(t: BuildXlsxTask): Promise<Uint8Array> {
  const wb = new ExcelJS.Workbook()
  wb.creator = 'Station Atlas 驿站覆盖图'
  const ws = wb.addWorksheet(sheetName(t.sheet), { views: [{ state: 'frozen', ySplit: 1 }] })
  ws.addRow(t.table.columns).font = { bold: true }
  for (const r of t.table.rows) ws.addRow(r)
  ws.columns.forEach((c, i) => (c.width = Math.min(40, Math.max(8, t.table.columns[i]!.length + 2, ...t.table.rows.slice(0, 200).map((r) => String(r[i] ?? '').length + 2)))))
  if (t.notes?.length) {
    const ns = wb.addWorksheet('说明 notes')
    for (const n of t.notes) ns.addRow(n)
    ns.getColumn(1).width = 18
    ns.getColumn(2).width = 90
  }
  return new Uint8Array(await wb.xlsx.writeBuffer())
}
