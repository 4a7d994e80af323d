import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { buildXlsx, sheetName } from './xlsx-writer.ts'

describe('sheetName', () => {
  it('replaces the characters Excel forbids and trims apostrophes at the ends', () => {
    expect(sheetName("plan-\\'; a/b*c?d:e[f]-bd09")).toBe("plan-_'; a_b_c_d_e_f_-bd09".slice(0, 31))
    expect(sheetName("'quoted'")).toBe('quoted')
    expect(sheetName('***')).toBe('___')
    expect(sheetName("''")).toBe('Sheet1')
  })

  it('cuts at 31 UTF-16 units without splitting a surrogate pair', () => {
    const name = sheetName('plan-' + '𝅗𝅥'.repeat(20))
    expect(name.length).toBeLessThanOrEqual(31)
    expect(name).toBe(name.normalize()) // still well-formed
    expect(/[\ud800-\udbff]$/.test(name)).toBe(false)
  })

  it('builds a workbook whatever the plan is called (was a 500 from exceljs, found by the hostile-request generator)', async () => {
    const bytes = await buildXlsx({ task: 'build-xlsx', sheet: 'plan-𞀺👛𝅗𝅥#ᗩ⿇/-bd09', table: { columns: ['a'], rows: [[1]] } })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(bytes.buffer as ArrayBuffer) // exceljs types its Buffer as Node 18’s
    expect(wb.worksheets[0]!.name).toBe(sheetName('plan-𞀺👛𝅗𝅥#ᗩ⿇/-bd09'))
    expect(wb.worksheets[0]!.getCell('A2').value).toBe(1)
  })
})
