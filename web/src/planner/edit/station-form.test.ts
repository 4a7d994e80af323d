import { beforeAll, describe, expect, test, vi } from 'vitest'
import { openingHoursProblem } from '@core/opening-hours-problem.ts'
import { setLang } from '../../i18n/lang.ts'
import type { StationFeature } from '../../types.ts'
import { changedFields, formValues, newFormValues, serverFieldErrors, stationFields, validateForm, type FormValues } from './station-form.ts'

beforeAll(() => {
  vi.stubGlobal('location', { search: '' })
  vi.stubGlobal('document', { documentElement: {} })
  vi.stubGlobal('localStorage', { getItem: () => null, setItem: () => {} })
})

const station: StationFeature = {
  type: 'Feature',
  id: 'a',
  geometry: { type: 'Point', coordinates: [116.3112345678, 35.0671] },
  properties: {
    id: 'a', external_id: null, kind: 'rider_rest', name: '蒜都骑士驿站', region_code: '370828', address: null, opening_hours: '24/7',
    amenities: ['water', 'charging'], phone: null, operator: null, capacity: 8, status: 'active', radius_m: null, coverage_radius_m: 1500,
    source: 'manual', version: 3, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z',
  },
}
const valid = (v: Partial<FormValues>) => ({ ...newFormValues(116.31, 35.07), name: '新驿站', ...v })

describe('validateForm', () => {
  test('names the field and the rule, in Chinese and in English', () => {
    setLang('zh', { remember: false })
    const zh = validateForm(valid({ name: '  ', capacity: '2.5', radius_m: '0', opening_hours: 'Mo-Fr 25:00-26:00' }), openingHoursProblem)
    expect(zh.ok).toBe(false)
    if (zh.ok) return
    expect(zh.errors.name).toBe('名称：必填')
    expect(zh.errors.capacity).toBe('容量（人）：必须是整数')
    expect(zh.errors.radius_m).toBe('覆盖半径（米）：必须大于 0，且不超过 50000')
    expect(zh.errors.opening_hours).toMatch(/^开放时间：无法按 OpenStreetMap opening_hours 解析：.+/)
    setLang('en', { remember: false })
    const en = validateForm(valid({ name: 'x'.repeat(201), lat: '91', phone: 'a\u0000b' }), openingHoursProblem)
    expect(en.ok).toBe(false)
    if (en.ok) return
    expect(en.errors.name).toBe('Name: at most 200 characters (201 now)')
    expect(en.errors.lat).toBe('Latitude: must be between -90 and 90')
    expect(en.errors.phone).toBe('Phone: must not contain a NUL character (\\u0000)')
    setLang('zh', { remember: false })
  })

  test('the parser decides opening_hours, as on the server', () => {
    for (const ok of ['24/7', 'Mo-Fr 08:00-20:00', 'Mo-Su 09:00-21:00; PH off']) expect(validateForm(valid({ opening_hours: ok }), openingHoursProblem).ok).toBe(true)
    expect(validateForm(valid({ opening_hours: '8点到20点' }), openingHoursProblem).ok).toBe(false)
  })

  test('turns the inputs into the body: trimmed text, empty as null, numbers, amenities in vocabulary order', () => {
    const r = validateForm(valid({ name: ' 站 ', address: '', capacity: '12', radius_m: '800', amenities: ['wifi', 'water'] }), openingHoursProblem)
    expect(r).toEqual({
      ok: true,
      fields: { kind: 'rider_rest', name: '站', address: null, opening_hours: null, amenities: ['water', 'wifi'], phone: null, operator: null, capacity: 12, status: 'active', radius_m: 800, lon: 116.31, lat: 35.07 },
    })
  })
})

describe('changedFields', () => {
  test('sends only what the editor changed, and a move as lon and lat together', () => {
    const base = stationFields(station)
    const edited = validateForm({ ...formValues(station), opening_hours: 'Mo-Fr 08:00-20:00' }, openingHoursProblem)
    expect(edited.ok && changedFields(base, edited.fields)).toEqual({ opening_hours: 'Mo-Fr 08:00-20:00' })
    // the form rounds to 7 decimals: an untouched position is no move
    expect(formValues(station).lon).toBe('116.3112346')
    const moved = { ...base, lat: 35.068 }
    expect(changedFields(base, moved)).toEqual({ lon: base.lon, lat: 35.068 })
    expect(changedFields(base, { ...base })).toEqual({})
  })
})

describe('serverFieldErrors', () => {
  test('puts each 400 issue by its field; a region mismatch by the position', () => {
    const r = serverFieldErrors([
      { path: ['opening_hours'], message: 'does not parse as OpenStreetMap opening_hours: …' },
      { path: ['region_code'], message: 'the point lies in region 361021' },
      { path: ['version'], message: 'required' },
    ])
    expect(r.fields.opening_hours).toBe('服务器：does not parse as OpenStreetMap opening_hours: …')
    expect(r.fields.lon).toBe('服务器：the point lies in region 361021')
    expect(r.other).toEqual(['required'])
  })
})
