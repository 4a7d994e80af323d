/**
 * GET /api/nearest as the rider page uses it: open-now at the edges of overnight hours, 24/7 stops,
 * closed days, amenity filters, limit and distance cap; and the page's offline twin (rankNearest)
 * must answer exactly like the API.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { rankNearest, type RankableStation } from '../core/rank-nearest.ts'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }
const ORIGIN = [116.01, 35.05] as const
/** beside 24 stops closed on Sundays, with one 24/7 stop 1 km north */
const CLUSTER = [116.15, 35.08] as const

let api: Awaited<ReturnType<typeof startTestApi>>
let all: RankableStation[]
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES })
  // every station as the API serves it (the page caches exactly this for offline use)
  const planned = await api.get('/api/stations?status=planned,active,retired&limit=10000')
  all = planned.body.features
})
afterAll(async () => {
  await api?.close()
})

const ext = (body: any) => body.features.map((f: any) => f.properties.external_id)
const at = (iso: string) => `&open_at=${encodeURIComponent(iso)}`
const q = (origin: readonly [number, number], extra = '') => `/api/nearest?lon=${origin[0]}&lat=${origin[1]}${extra}`

describe('GET /api/nearest for riders', () => {
  it('lists active stops only, nearest first, with distance and bearing', async () => {
    const { status, body } = await api.get(q(ORIGIN, '&limit=5'))
    expect(status).toBe(200)
    expect(ext(body)).toEqual(['r-night', 'r-247', 'r-week', 'r-unknown', 'r-split'])
    expect(body.features[0].properties.distance_m).toBeCloseTo(182.2, 0)
    expect(body.features[0].properties.bearing_deg).toBeCloseTo(90, 0)
    expect(body.features[0].properties).not.toHaveProperty('open')
  })

  it.each([
    // Sunday 2026-11-29 and Monday 2026-11-30, China Standard Time
    ['2026-11-29T23:30:00+08:00', ['r-night', 'r-247', 'r-far']], // overnight stop open before midnight
    ['2026-11-30T05:59:00+08:00', ['r-night', 'r-247', 'r-far']], // …and after it
    ['2026-11-30T06:00:00+08:00', ['r-247', 'r-far']], // closes at 06:00 sharp
    ['2026-11-30T12:00:00+08:00', ['r-247', 'r-week', 'r-split', 'r-far']],
    ['2026-11-30T15:00:00+08:00', ['r-247', 'r-week', 'r-far']], // split hours: the afternoon gap
    ['2026-11-29T12:00:00+08:00', ['r-247', 'r-split', 'r-far']], // Mo-Fr stop closed on Sunday
    ['2026-11-29T15:30:00Z', ['r-night', 'r-247', 'r-far']], // 23:30 CST written in UTC
    ['2026-11-29T10:30:00-05:00', ['r-night', 'r-247', 'r-far']], // the same instant from another zone
  ])('open_at=%s lists only stops open then (CST); unknown hours are left out', async (time, expected) => {
    const { status, body } = await api.get(q(ORIGIN, `&limit=5&max_distance_m=10000${at(time)}`))
    expect(status).toBe(200)
    expect(ext(body)).toEqual(expected)
    expect(body.features.every((f: any) => f.properties.open === true)).toBe(true)
  })

  it('keeps 24/7 stops open at every hour', async () => {
    for (let h = 0; h < 24; h += 3) {
      const { body } = await api.get(q(ORIGIN, `&limit=1&amenity=charging,toilet${at(`2026-11-29T${String(h).padStart(2, '0')}:00:00+08:00`)}`))
      expect(ext(body)).toEqual(['r-247'])
    }
  })

  it('looks past a first window full of closed stops to find an open one', async () => {
    const { body } = await api.get(q(CLUSTER, `&limit=1${at('2026-11-29T12:00:00+08:00')}`))
    expect(ext(body)).toEqual(['r-beyond'])
    expect(body.features[0].properties.distance_m).toBeCloseTo(1000.8, 0)
  })

  it('requires every listed amenity', async () => {
    expect(ext((await api.get(q(ORIGIN, '&amenity=microwave'))).body)).toEqual(['r-night', 'r-split'])
    expect(ext((await api.get(q(ORIGIN, '&amenity=water,toilet'))).body)).toEqual(['r-247', 'r-week'])
    expect(ext((await api.get(q(ORIGIN, '&amenity=heating,cooling,first_aid'))).body)).toEqual(['r-far'])
    expect(ext((await api.get(q(ORIGIN, '&amenity=repair'))).body)).toEqual([])
  })

  it('honours limit and max_distance_m (a stop exactly at the cap is kept)', async () => {
    expect(ext((await api.get(q(ORIGIN, '&limit=2'))).body)).toEqual(['r-night', 'r-247'])
    expect(ext((await api.get(q(ORIGIN, '&max_distance_m=400&limit=10'))).body)).toEqual(['r-night', 'r-247'])
    const third = (await api.get(q(ORIGIN, '&limit=3'))).body.features[2].properties.distance_m as number
    expect(ext((await api.get(q(ORIGIN, `&max_distance_m=${third + 0.01}&limit=10`))).body)).toContain('r-week')
  })

  it('returns an empty collection when no open stop matches', async () => {
    const { status, body } = await api.get(q(ORIGIN, `&amenity=microwave${at('2026-11-30T06:30:00+08:00')}`))
    expect(status).toBe(200)
    expect(body).toEqual({ type: 'FeatureCollection', features: [] })
  })

  it.each([
    ['', undefined],
    ['&limit=3', { limit: 3 }],
    ['&amenity=water', { amenities: ['water'] }],
    [at('2026-11-29T23:30:00+08:00'), { openAt: new Date('2026-11-29T23:30:00+08:00') }],
    [`&amenity=rest${at('2026-11-30T12:00:00+08:00')}`, { amenities: ['rest'], openAt: new Date('2026-11-30T12:00:00+08:00') }],
    ['&max_distance_m=900&limit=10', { maxDistance: 900, limit: 10 }],
  ] as const)('the offline twin rankNearest answers %s like the API', async (extra, options) => {
    for (const origin of [ORIGIN, CLUSTER, [116.05, 35.02] as const]) {
      const { body } = await api.get(q(origin, extra))
      const local = rankNearest(origin, all, options as never)
      expect(local.map((f) => f.properties.id)).toEqual(body.features.map((f: any) => f.id))
      local.forEach((f, i) => {
        expect(f.properties.distance_m).toBeCloseTo(body.features[i].properties.distance_m, 3)
        expect(f.properties.bearing_deg).toBeCloseTo(body.features[i].properties.bearing_deg, 6)
      })
    }
  })
})
