import { expect, test } from 'vitest'
import { buildXlsx, sheetName } from './xlsx-writer.ts'

test('sheet names lose the characters Excel forbids and stay within 31 UTF-16 units, whole characters only', async () => {
  expect(sheetName('plan-🧙ィധ/𐠨㇊,-bd09')).toBe('plan-🧙ィധ_𐠨㇊,-bd09')
  expect(sheetName('a[b]c*d?e:f\\g')).toBe('a_b_c_d_e_f_g')
  expect(sheetName('🧙'.repeat(20)).length).toBe(30)
  expect(sheetName('')).toBe('sheet')
  // the name that made POST /api/export/scenario answer 500 (hostile-request seed 747271909)
  const bytes = await buildXlsx({ task: 'build-xlsx', sheet: 'plan-🧙ィധ/𐠨㇊,-bd09', table: { columns: ['a'], rows: [[1]] } })
  expect(bytes.byteLength).toBeGreaterThan(0)
})
