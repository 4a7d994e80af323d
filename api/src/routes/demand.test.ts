import { readFileSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { cellToParent, getResolution } from 'h3-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestApi } from '../../test/test-app.ts'
import { createApp } from '../app.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { repoPath } from '../paths.ts'
import { loadDemand } from '../db/demand.ts'

// The product's own demand layers (data/demand/), as `npm start` loads them.
const model = JSON.parse(readFileSync(repoPath('data/demand/population-model.json'), 'utf8')) as {
  counties: { code: string; census_2020: { value: number; status: string } }[]
  city_totals: { code: string; census_2020: number }[]
}
const populationRows = gunzipSync(readFileSync(repoPath('data/demand/population.csv.gz'))).toString().trim().split('\n').length - 1
const HEIHE = ['231102', '231123', '231124', '231181', '231182', '231183']

let api: Awaited<ReturnType<typeof startTestApi>>
let startMs = 0
beforeAll(async () => {
  const t0 = performance.now()
  api = await startTestApi()
  startMs = performance.now() - t0
})
afterAll(async () => {
  await api?.close()
})

const sum = (features: { properties: { weight: number } }[]) => features.reduce((a, f) => a + f.properties.weight, 0)

describe('GET /api/demand/layers', () => {
  it('lists the three bundled layers with their flags, counts and totals', async () => {
    const { status, body } = await api.get('/api/demand/layers')
    expect(status).toBe(200)
    const byId = Object.fromEntries(body.layers.map((l: any) => [l.id, l]))
    expect(Object.keys(byId).sort()).toEqual(['enterprises', 'population', 'projects'])
    expect(byId.population).toMatchObject({ kind: 'h3', resolution: 9, modelled: true, demo: false, unit_en: 'persons', origin: 'bundled', item_count: populationRows })
    expect(byId.population.total_weight).toBeCloseTo(model.counties.reduce((a, c) => a + c.census_2020.value, 0), 2)
    expect(byId.enterprises).toMatchObject({ kind: 'point', modelled: true, demo: true, item_count: 207 })
    expect(byId.projects).toMatchObject({ kind: 'point', modelled: true, demo: true, item_count: 188 })
    expect(new Date(byId.population.loaded_at).getTime()).not.toBeNaN()
    console.info(`cold start with the bundled demand layers (${populationRows} cells + 395 points): ${Math.round(startMs)} ms`)
  })
})

describe('GET /api/demand', () => {
  it.each(model.counties.map((c) => [c.code, c.census_2020.value] as const))(
    'population of %s sums to its stored census total %d at res 9',
    async (code, census) => {
      const { status, body } = await api.get(`/api/demand?layer=population&region=${code}`)
      expect(status).toBe(200)
      expect(body.type).toBe('FeatureCollection')
      expect(body.layer).toMatchObject({ id: 'population', modelled: true, demo: false, resolution: 9, stored_resolution: 9, unit: '人' })
      expect(Math.abs(sum(body.features) - census)).toBeLessThan(0.01)
      const f = body.features[0]
      expect(f.geometry.type).toBe('Point')
      expect(getResolution(f.properties.h3)).toBe(9)
      expect(body.features.every((x: any) => x.properties.region_code === code && x.properties.weight > 0)).toBe(true)
    },
  )

  it('aggregates to res 8 preserving the sum, each parent holding its children', async () => {
    const fine = await api.get('/api/demand?layer=population&region=370828&resolution=9')
    const coarse = await api.get('/api/demand?layer=population&region=370828&resolution=8')
    expect(coarse.status).toBe(200)
    expect(coarse.body.layer.resolution).toBe(8)
    expect(coarse.body.features.length).toBeLessThan(fine.body.features.length)
    expect(coarse.body.features.every((f: any) => getResolution(f.properties.h3) === 8)).toBe(true)
    expect(sum(coarse.body.features)).toBeCloseTo(sum(fine.body.features), 4)
    const parent = coarse.body.features[0].properties.h3
    const children = fine.body.features.filter((f: any) => cellToParent(f.properties.h3, 8) === parent)
    expect(coarse.body.features[0].properties.weight).toBeCloseTo(sum(children), 6)
  })

  it('expands a city code to its counties and defaults to res 8 there', async () => {
    const { status, body } = await api.get('/api/demand?layer=population&region=231100')
    expect(status).toBe(200)
    expect(body.layer.resolution).toBe(8)
    expect(new Set(body.features.map((f: any) => f.properties.region_code))).toEqual(new Set(HEIHE))
    const heihe = model.city_totals.find((c) => c.code === '231100')!.census_2020
    expect(Math.abs(sum(body.features) - heihe)).toBeLessThan(0.01) // 1,286,401: the city's census total
  })

  it('serves the demo point layers with names, at their own positions', async () => {
    const ent = await api.get('/api/demand?layer=enterprises&region=370828')
    expect(ent.status).toBe(200)
    expect(ent.body.layer).toMatchObject({ demo: true, kind: 'point' })
    expect(ent.body.features).toHaveLength(207)
    expect(ent.body.features[0].properties.name).toMatch(/^示例企业/)
    const proj = await api.get('/api/demand?layer=projects&region=231100&resolution=6')
    expect(proj.body.features).toHaveLength(188) // points are never merged
    expect(proj.body.features.every((f: any) => getResolution(f.properties.h3) === 9)).toBe(true)
    const none = await api.get('/api/demand?layer=enterprises&region=231102')
    expect(none.body.features).toEqual([])
  })

  it('puts every item inside the county its region_code names, by PostGIS', async () => {
    const [row] = await api.sql<{ bad: number }[]>`
      SELECT count(*)::int AS bad FROM demand_item i LEFT JOIN region r ON r.code = i.region_code
       WHERE r.code IS NULL OR NOT ST_Intersects(r.geom, i.geom)`
    expect(row!.bad).toBe(0)
  })

  it.each([
    ['layer=population', 'region', 'expected string'],
    ['layer=population&region=37082', 'region', 'six-digit'],
    ['layer=Pop!&region=370828', 'layer', 'lower-case'],
    ['layer=population&region=370828&resolution=4', 'resolution', '≥ 5'],
    ['layer=population&region=370828&resolution=10', 'resolution', '≤ 9'],
    ['layer=population&region=370828&resolution=8.5', 'resolution', 'integer'],
    ['layer=population&region=370828&resolution=x', 'resolution', ''],
  ])('rejects %s with 400 naming %s', async (query, field, rule) => {
    const { status, body } = await api.get(`/api/demand?${query}`)
    expect(status).toBe(400)
    expect(body.error.code).toBe('invalid_query')
    expect(body.error.issues.map((i: any) => i.path[0])).toContain(field)
    expect(body.error.message).toContain(field)
    expect(body.error.message.toLowerCase()).toContain(rule.toLowerCase())
  })

  it('answers 404 for an unknown layer and for an unknown region', async () => {
    const layer = await api.get('/api/demand?layer=nope&region=370828')
    expect(layer.status).toBe(404)
    expect(layer.body.error.message).toContain('nope')
    const region = await api.get('/api/demand?layer=population&region=123456')
    expect(region.status).toBe(404)
    expect(region.body.error.message).toContain('123456')
  })

  it('answers 413 naming the memory budget when a response would need more memory than allowed', async () => {
    // the same database behind an app with a 4 MB budget: 10,763 cells as GeoJSON ≈ 11 MB
    const small = createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: { ...DEFAULT_LIMITS, planningMemoryBytes: 4 * 2 ** 20 }, work: api.work })
    const res = await small.request('/api/demand?layer=population&region=370828')
    expect(res.status).toBe(413)
    const body = (await res.json()) as any
    expect(body.error.code).toBe('too_large')
    expect(body.error.message).toContain('budget of 4 MB (PLANNING_MEMORY_MB)')
    expect(body.error.message).toContain('resolution')
    const coarse = await small.request('/api/demand?layer=population&region=370828&resolution=6')
    expect(coarse.status).toBe(200)
  })

  it('is in the OpenAPI document', async () => {
    const { body } = await api.get('/api/openapi.json')
    expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/demand', '/demand/layers']))
    const params = body.paths['/demand'].get.parameters
    expect(params.filter((p: any) => p.required).map((p: any) => p.name).sort()).toEqual(['region'])
    // no fixed default: a county's default layer (POST /api/demand/default), else population
    expect(params.find((p: any) => p.name === 'layer').description).toMatch(/region's default layer, else population/)
  })

  it('defaults layer to population, as /api/coverage does', async () => {
    const implicit = await api.get('/api/demand?region=361021')
    const explicit = await api.get('/api/demand?layer=population&region=361021')
    expect(implicit.status).toBe(200)
    expect(implicit.body.layer.id).toBe('population')
    expect(implicit.body.features).toEqual(explicit.body.features)
    const coverage = await api.get('/api/coverage?region=361021')
    expect(coverage.body.layer.id).toBe(implicit.body.layer.id)
  })

  it('answers a resolution finer than the layer with 400 invalid_query naming resolution', async () => {
    // the point layers are stored at res 9 and the schema allows at most 9, so store a res-7 h3 layer
    await api.sql`INSERT INTO demand_layer (id, name, name_en, unit, unit_en, source, modelled, demo, kind, resolution, origin)
                  VALUES ('coarse', '粗', 'Coarse', '人', 'persons', 'test', true, false, 'h3', 7, 'user')`
    try {
      const { status, body } = await api.get('/api/demand?layer=coarse&region=361021&resolution=8')
      expect(status).toBe(400)
      expect(body.error.code).toBe('invalid_query')
      expect(body.error.issues).toEqual([{ path: ['resolution'], message: 'must be ≤ 7 for layer coarse' }])
      expect(body.error.message).toContain('resolution')
    } finally {
      await api.sql`DELETE FROM demand_layer WHERE id = 'coarse'`
    }
  })
})

describe('loadDemand (what coverage calls)', () => {
  it('returns DemandItems for counties, aggregated on request', async () => {
    const { layer, items } = await loadDemand(api.sql, { layer: 'population', regionCodes: ['361021'], resolution: 7 })
    expect(layer).toMatchObject({ id: 'population', kind: 'h3', resolution: 9 })
    expect(items.every((i) => getResolution(i.h3) === 7 && i.region_code === '361021')).toBe(true)
    expect(Math.abs(items.reduce((a, i) => a + i.weight, 0) - 286260)).toBeLessThan(0.01)
    expect(typeof items[0]!.lon).toBe('number')
  })

  it('returns nothing for no counties', async () => {
    const { items } = await loadDemand(api.sql, { layer: 'population', regionCodes: [] })
    expect(items).toEqual([])
  })
})
