import { beforeAll, describe, expect, test, vi } from 'vitest'
import type { StationHistoryItem } from '../../api.ts'
import { setLang } from '../../i18n/lang.ts'
import { diffRows, formatValue, historyEntries } from './history-diff.ts'

beforeAll(() => {
  vi.stubGlobal('location', { search: '' })
  vi.stubGlobal('document', { documentElement: {} })
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} })
  setLang('zh', { remember: false })
})

const created: StationHistoryItem = {
  version: 1, at: '2026-12-01T02:00:00Z', actor: 'ed@atlas.test', action: 'create',
  changes: {
    kind: [null, 'rider_rest'], name: [null, '蒜都骑士驿站'], lon: [null, 116.31], lat: [null, 35.07], status: [null, 'active'],
    amenities: [null, ['water', 'charging']], phone: [null, null], region_code: [null, '370828'], source: [null, 'manual'],
  },
}
const moved: StationHistoryItem = { version: 2, at: '2026-12-01T02:05:00Z', actor: 'ed@atlas.test', action: 'update', changes: { lat: [35.07, 35.071] } }
const hours: StationHistoryItem = { version: 3, at: '2026-12-01T02:06:00Z', actor: 'ed@atlas.test', action: 'update', changes: { opening_hours: [null, 'Mo-Fr 08:00-20:00'], amenities: [['water'], ['water', 'wifi']] } }

describe('diffRows', () => {
  test('a move is one position row with the distance moved', () => {
    const [row] = diffRows(moved.changes as never, {}, 'update', { lon: 116.31, lat: 35.07 })
    expect(row).toEqual({ field: 'position', label: '位置', before: '116.31000, 35.07000', after: '116.31000, 35.07100 (移动了 110 米)' })
  })

  test('values in words: empty, amenity names; fields in the form order', () => {
    expect(diffRows(hours.changes as never)).toEqual([
      { field: 'opening_hours', label: '开放时间', before: '（空）', after: 'Mo-Fr 08:00-20:00' },
      { field: 'amenities', label: '服务设施', before: '饮水', after: '饮水、无线网络' },
    ])
  })

  test('a create lists what it set, the county by name, and leaves out empty fields and the source', () => {
    const rows = diffRows(created.changes as never, { regionName: (c) => (c === '370828' ? '金乡县' : c) }, 'create')
    expect(rows.map((r) => `${r.label}=${r.after}`)).toEqual(['名称=蒜都骑士驿站', '类型=骑士/户外劳动者爱心驿站', '状态=运营中', '位置=116.31000, 35.07000', '所在县区=金乡县', '服务设施=饮水、充电'])
  })

  test('English', () => {
    setLang('en', { remember: false })
    expect(formatValue('status', 'retired')).toBe('Retired')
    expect(diffRows(moved.changes as never, {}, 'update', { lon: 116.31 })[0]!.after).toBe('116.31000, 35.07100 (moved 110 m)')
    setLang('zh', { remember: false })
  })
})

describe('historyEntries', () => {
  test('newest first; the current version cannot be restored, every other can', () => {
    const e = historyEntries([created, moved, hours], 3)
    expect(e.map((x) => [x.version, x.actionLabel, x.current, x.restorable])).toEqual([
      [3, '修改', true, false],
      [2, '修改', false, true],
      [1, '创建', false, true],
    ])
    // the move along one axis took the other coordinate from the replayed create
    expect(e[1]!.rows[0]!.after).toBe('116.31000, 35.07100 (移动了 110 米)')
  })
})
