import Papa from 'papaparse'
import { describe, expect, test, vi } from 'vitest'
import { BOM, reportsCsv } from './csv.ts'
import { loadAllPages, toRow, type Page, type ReportRow } from './paging.ts'
import { DEFAULT_FILTERS, filterRows, pageOf, pageWith, parseFilters } from './state.ts'

const row = (id: string, over: Partial<ReportRow> = {}): ReportRow => ({
  id, station_id: 's', station_name: '金乡县城东驿站', station_kind: 'rider_rest', problem: 'no_water', note: '', status: 'open',
  created_at: '2026-12-01T02:00:00.000Z', resolved_at: null, county_code: '370828', place_code: '370828', position: [116.3, 35.07], ...over,
})

describe('report filters', () => {
  const rows = [
    row('a'),
    row('b', { problem: 'dirty', station_kind: 'service_centre' }),
    row('c', { county_code: '231102', place_code: '231100', status: 'resolved' }),
  ]
  test('keep the rows matching every filter; a city keeps its counties', () => {
    expect(filterRows(rows, { ...DEFAULT_FILTERS, status: '' }).map((r) => r.id)).toEqual(['a', 'b', 'c'])
    expect(filterRows(rows, DEFAULT_FILTERS).map((r) => r.id)).toEqual(['a', 'b'])
    expect(filterRows(rows, { ...DEFAULT_FILTERS, problem: 'dirty' }).map((r) => r.id)).toEqual(['b'])
    expect(filterRows(rows, { ...DEFAULT_FILTERS, kind: 'rider_rest' }).map((r) => r.id)).toEqual(['a'])
    expect(filterRows(rows, { region: '231100', kind: '', problem: '', status: '' }).map((r) => r.id)).toEqual(['c'])
    expect(filterRows(rows, { region: '231102', kind: '', problem: '', status: 'open' })).toEqual([])
  })
  test('parses the form: unknown values mean "all"', () => {
    const form: Record<string, string> = { region: '370828', kind: 'nope', problem: 'closed', status: 'resolved' }
    expect(parseFilters((k) => form[k]!)).toEqual({ region: '370828', kind: '', problem: 'closed', status: 'resolved' })
    expect(parseFilters(() => '<script>')).toEqual({ region: '', kind: '', problem: '', status: '' })
  })
  test('pages the list, clamps past the end and finds the page of a report', () => {
    const many = Array.from({ length: 30 }, (_, i) => row(String(i)))
    expect(pageOf(many, 0, 14).rows.map((r) => r.id)).toEqual(many.slice(0, 14).map((r) => r.id))
    expect(pageOf(many, 9, 14)).toEqual({ rows: many.slice(28), page: 2 })
    expect(pageOf([], 3, 14)).toEqual({ rows: [], page: 0 })
    expect(pageWith(many, '15', 14)).toBe(1)
    expect(pageWith(many, 'x', 14)).toBeNull()
  })
})

describe('report pages', () => {
  const feature = (id: string) => ({
    type: 'Feature' as const, id, geometry: null,
    properties: { id, station_id: 's', station_name: 'n', station_kind: 'rider_rest', region_code: '370828', problem: 'other' as const, note: '', status: 'open' as const, created_at: '2026-12-01T00:00:00Z', resolved_at: null },
  })
  test('follows next_cursor to the last page and keeps the order', async () => {
    const pages: Record<string, Page> = {
      start: { features: [feature('1'), feature('2')], next_cursor: 'c2', full: false },
      c2: { features: [feature('3')], next_cursor: null, full: false },
    }
    const seen: Array<string | null> = []
    const got = await loadAllPages({}, () => '370828', { fetchPage: async (_q, cursor) => (seen.push(cursor), pages[cursor ?? 'start']!) })
    expect(got.rows.map((r) => r.id)).toEqual(['1', '2', '3'])
    expect(got.truncated).toBe(false)
    expect(seen).toEqual([null, 'c2'])
  })
  test('says when the list is cut: a full page without a cursor, or the row limit', async () => {
    expect((await loadAllPages({}, () => null, { fetchPage: async () => ({ features: [feature('1')], next_cursor: null, full: true }) })).truncated).toBe(true)
    const endless = await loadAllPages({}, () => null, { maxRows: 3, fetchPage: async (_q, c) => ({ features: [feature(`${c}a`), feature(`${c}b`)], next_cursor: `${c}+`, full: false }) })
    expect(endless.rows.length).toBe(3)
    expect(endless.truncated).toBe(true)
  })
  test('a report without a position has none; an unknown kind is no kind', () => {
    const r = toRow({ ...feature('1'), properties: { ...feature('1').properties, station_kind: 'spaceport' } }, () => null)
    expect(r.position).toBeNull()
    expect(r.station_kind).toBeNull()
  })
})

describe('CSV export', () => {
  // the header row is in the page's language: a Chinese page without a ?lang= (the language store reads these)
  vi.stubGlobal('location', { search: '' })
  vi.stubGlobal('document', { documentElement: {} })
  test('UTF-8 with BOM, a header row, formulas escaped, coordinates as numbers', () => {
    const csv = reportsCsv([row('a', { note: '=HYPERLINK("http://x","y")' }), row('b', { note: '+1', station_name: '@home', position: [-1.5, 35] }), row('c', { note: '-2 杯水' })], { region: (c) => (c === '370828' ? '金乡县' : '') }, 'zh')
    expect(csv.startsWith(BOM)).toBe(true)
    const parsed = Papa.parse<string[]>(csv.slice(1), { skipEmptyLines: true }).data
    expect(parsed[0]![0]).toBe('时间（北京时间）')
    expect(parsed.length).toBe(4)
    const note = parsed[0]!.indexOf('说明')
    expect(parsed.slice(1).map((r) => r[note])).toEqual([`'=HYPERLINK("http://x","y")`, `'+1`, `'-2 杯水`])
    expect(parsed[2]![parsed[0]!.indexOf('驿站')]).toBe(`'@home`)
    expect(parsed[2]![parsed[0]!.indexOf('经度')]).toBe('-1.5') // a number: not escaped
    expect(parsed[1]![parsed[0]!.indexOf('县（市、区）')]).toBe('金乡县')
    expect(parsed[1]![parsed[0]!.indexOf('时间（北京时间）')]).toBe('2026/12/01 10:00')
  })
})
