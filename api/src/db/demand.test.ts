import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { cellToLatLng, gridDisk, latLngToCell } from 'h3-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseLoadDemandArgs, readDemandFile, runLoadDemand } from '../../../scripts/load-demand.ts'
import { startTestApi } from '../../test/test-app.ts'
import { fromWgs84 } from '../core/crs.ts'
import { getDemandLayer, loadDemand, replaceDemandLayer } from './demand.ts'
import { seedDemand } from './demand-seed.ts'
import { NotFoundError } from './errors.ts'
import { requireRegion } from './regions.ts'

// Fixture: two square counties 990101 (116.0–116.1°E) | 990102 (116.1–116.2°E), 35.0–35.1°N, city 990100.
const dir = mkdtempSync(join(tmpdir(), 'atlas-demand-test-'))
const file = (name: string, text: string | Buffer) => {
  const path = join(dir, name)
  writeFileSync(path, text)
  return path
}
const WEST: [number, number] = [116.05, 35.05]
const EAST: [number, number] = [116.15, 35.05]
const cell = ([lon, lat]: [number, number], res = 9) => latLngToCell(lat, lon, res)

// A small bundled manifest: a cell layer with region codes and a point layer without.
const cellsCsv = `h3,weight,region_code\n${cell(WEST)},10,990101\n${cell([116.051, 35.05])},5,990101\n${cell(EAST)},2.5,990102\n`
const manifest = (csvName: string) =>
  file('layers.json', JSON.stringify([
    { id: 'people', kind: 'h3', resolution: 9, file: csvName, modelled: true, demo: false, name: '人口', name_en: 'People', unit: '人', unit_en: 'persons', source: 'test' },
    { id: 'sites', kind: 'point', resolution: 9, file: 'sites.geojson', modelled: true, demo: true, name: '点', name_en: 'Sites', unit: '人', unit_en: 'workers', source: 'test' },
  ]))
file('people.csv.gz', gzipSync(cellsCsv))
file('sites.geojson', JSON.stringify({ type: 'FeatureCollection', features: [
  { type: 'Feature', geometry: { type: 'Point', coordinates: EAST }, properties: { weight: 7, name: '工地 A', source: 'demo' } },
] }))

let api: Awaited<ReturnType<typeof startTestApi>>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: { regions: 'api/test/fixtures/regions.geojson', demand: manifest('people.csv.gz') } })
})
afterAll(async () => {
  await api?.close()
})

const items = (layer: string) =>
  api.sql<{ h3: string; weight: number; region_code: string | null; name: string | null; lon: number; lat: number }[]>`
    SELECT h3, weight, region_code, name, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM demand_item WHERE layer_id = ${layer} ORDER BY h3`

describe('seeding the bundled demand layers', () => {
  it('loads each layer from its file, cells at their centres, points given their county by PostGIS', async () => {
    const people = await items('people')
    expect(people.map((p) => p.weight).sort()).toEqual([10, 2.5, 5].sort())
    const [lat, lon] = cellToLatLng(cell(WEST))
    expect(people.find((p) => p.h3 === cell(WEST))).toMatchObject({ region_code: '990101' })
    expect(people.find((p) => p.h3 === cell(WEST))!.lon).toBeCloseTo(lon, 9)
    expect(people.find((p) => p.h3 === cell(WEST))!.lat).toBeCloseTo(lat, 9)
    expect(await items('sites')).toEqual([{ h3: cell(EAST), weight: 7, region_code: '990102', name: '工地 A', lon: EAST[0], lat: EAST[1] }])
  })

  it('reloads a bundled layer only when its file changes', async () => {
    const [before] = await api.sql`SELECT loaded_at FROM demand_layer WHERE id = 'people'`
    await seedDemand(api.sql, manifest('people.csv.gz'))
    const [same] = await api.sql`SELECT loaded_at FROM demand_layer WHERE id = 'people'`
    expect(same!.loaded_at).toEqual(before!.loaded_at)
    file('people2.csv', `h3,weight,region_code\n${cell(WEST)},42,990101\n`)
    await seedDemand(api.sql, manifest('people2.csv'))
    expect((await items('people')).map((p) => p.weight)).toEqual([42])
  })

  it('writes nothing when a row of a bundled file is invalid, naming the row and field', async () => {
    file('bad.csv', `h3,weight,region_code\n${cell(WEST)},1,990101\n${cell(EAST)},0,990102\n`)
    await expect(seedDemand(api.sql, manifest('bad.csv'))).rejects.toThrow(/row 2, weight: must be a number > 0/)
    expect((await items('people')).map((p) => p.weight)).toEqual([42])
    file('badres.csv', `h3,weight\n${cell(WEST, 8)},1\n`)
    await expect(seedDemand(api.sql, manifest('badres.csv'))).rejects.toThrow(/row 1, h3: .*resolution 9/)
  })
})

describe('npm run load-demand', () => {
  it('loads GCJ-02 points as WGS-84 and assigns counties, including a point on the shared border', async () => {
    const gcj = (p: [number, number]) => fromWgs84(p, 'GCJ02')
    const [w, e] = [gcj(WEST), gcj(EAST)]
    const csv = file('orders.csv', `lon,lat,weight,name\n${w[0]},${w[1]},3,甲\n${e[0]},${e[1]},4,\n`)
    const msg = await runLoadDemand(api.sql, ['--layer', 'orders', '--name', '订单', '--unit', '单/日', '--crs', 'gcj02', csv])
    expect(msg).toContain('2 points')
    const rows = await items('orders')
    const west = rows.find((r) => r.name === '甲')!
    expect(west.region_code).toBe('990101')
    expect(west.lon).toBeCloseTo(WEST[0], 5) // gcoord's inverse: well under 1 m
    expect(west.lat).toBeCloseTo(WEST[1], 5)
    expect(rows.find((r) => r.name === null)!.region_code).toBe('990102')
    const [layer] = await api.sql`SELECT origin, kind, resolution, unit_en FROM demand_layer WHERE id = 'orders'`
    expect(layer).toMatchObject({ origin: 'user', kind: 'point', resolution: 9, unit_en: '单/日' })
  })

  it('replaces a layer atomically, and never lets start-up overwrite a user layer', async () => {
    const v2 = file('people-user.csv', `h3,weight\n${cell(EAST)},1\n${cell([116.0, 36])},2\n`)
    const msg = await runLoadDemand(api.sql, ['--layer', 'people', '--name', '我的人口', '--unit', '人', v2])
    expect(msg).toContain('1 outside every county')
    const rows = await items('people')
    expect(rows.map((r) => [r.weight, r.region_code])).toEqual(expect.arrayContaining([[1, '990102'], [2, null]]))
    expect(rows).toHaveLength(2)
    await seedDemand(api.sql, manifest('people.csv.gz'))
    expect(await items('people')).toHaveLength(2)
    // history (issue 11): the bundled load, then the user's replacement, with before and after
    const log = await api.sql<{ action: string; actor: string; changes: any }[]>`
      SELECT action, actor, changes FROM change_log WHERE entity = 'demand_layer' AND entity_id = 'people' ORDER BY id`
    expect([log[0]!.action, log[0]!.actor]).toEqual(['create', 'bundled data'])
    expect([log.at(-1)!.action, log.at(-1)!.actor]).toEqual(['update', 'load-demand script'])
    expect(log.at(-1)!.changes).toMatchObject({ name: ['人口', '我的人口'], items: [expect.any(Number), 2], origin: ['bundled', 'user'] })
  })

  it('loads GeoJSON points and H3 cells of another resolution', async () => {
    const gj = file('sites.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'Point', coordinates: WEST }, properties: { weight: 1 } }] }))
    await runLoadDemand(api.sql, ['--layer', 'gj', '--name', 'g', '--unit', 'u', '--resolution', '7', gj])
    expect((await items('gj'))[0]!.h3).toBe(cell(WEST, 7))
    const res8 = file('res8.csv', `h3,weight\n${cell(WEST, 8)},5\n`)
    await runLoadDemand(api.sql, ['--layer', 'coarse', '--name', 'c', '--unit', 'u', res8])
    const { layer, items: got } = await loadDemand(api.sql, { layer: 'coarse', regionCodes: ['990101'] })
    expect(layer.resolution).toBe(8)
    expect(got).toHaveLength(1)
    // db/ throws the domain error; the route answers it with 400
    await expect(loadDemand(api.sql, { layer: 'coarse', regionCodes: ['990101'], resolution: 9 })).rejects.toMatchObject({ name: 'InvalidArgumentError', field: 'resolution' })
    expect((await api.get('/api/demand?layer=coarse&region=990101&resolution=9')).status).toBe(400)
    const res = await api.get('/api/demand?layer=coarse&region=990101')
    expect(res.status).toBe(200) // the default never asks for finer cells than the layer has
    expect(res.body.layer.resolution).toBe(8)
  })

  it.each([
    ['lon,lat,weight\n116.05,35.05,1\n116.06,abc,2\n', /row 2, lat/],
    ['lon,lat,weight\n116.05,35.05,-1\n', /row 1, weight: must be a number > 0/],
    ['lon,lat,weight\n190,35.05,1\n', /row 1, lon: must be ≤ 180/],
    ['h3,weight\nnot-a-cell,1\n', /row 1, h3: must be a valid H3 cell/],
    ['h3,weight\n8912e4a8d4bffff,1\n882a1072b5fffff,1\n', /row 2, h3: resolution 8, but row 1 is at 9/],
    ['x,y\n1,2\n', /header must name/],
  ])('rejects a bad file naming the row and field: %j', (text, message) => {
    expect(() => readDemandFile('bad.csv', text, 'WGS84', 9)).toThrow(message)
  })

  it('refuses H3 cells declared as GCJ-02 and bad arguments', () => {
    expect(() => readDemandFile('c.csv', `h3,weight\n${cell(WEST)},1\n`, 'GCJ02', 9)).toThrow(/WGS-84/)
    expect(() => parseLoadDemandArgs(['--layer', 'x', 'f.csv'])).toThrow(/--name/)
    expect(() => parseLoadDemandArgs(['--layer', 'X!', '--name', 'n', '--unit', 'u', 'f.csv'])).toThrow(/--layer: must be/)
    expect(() => parseLoadDemandArgs(['--layer', 'x', '--name', 'n', '--unit', 'u', '--crs', 'utm', 'f.csv'])).toThrow(/--crs/)
    expect(() => parseLoadDemandArgs(['--layer', 'x', '--name', 'n', '--unit', 'u', '--resolution', '16', 'f.csv'])).toThrow(/--resolution/)
  })
})

describe('reading a layer larger than one slice', () => {
  it('gives the cells of several counties in h3 order, as one ORDER BY h3 would, whatever the insertion order', async () => {
    // res-11 cells around each county's centre: ~10,000 per county, over the 8,192-row slice
    const disk = (p: [number, number]) => gridDisk(latLngToCell(p[1], p[0], 11), 57)
    const rows = [...disk(WEST).map((h3) => ({ h3, region_code: '990101' })), ...disk(EAST).map((h3) => ({ h3, region_code: '990102' }))]
      .map((r, i) => ({ ...r, weight: 1 + (i % 7), name: null, lon: cellToLatLng(r.h3)[1], lat: cellToLatLng(r.h3)[0] }))
      .reverse() // not in h3 order when stored
    expect(rows.length).toBeGreaterThan(2 * 8192)
    await replaceDemandLayer(api.sql, { id: 'dense', kind: 'h3', resolution: 11, modelled: true, demo: true, name: '密', name_en: 'Dense', unit: '人', unit_en: 'persons', source: 'test', licence: null }, rows)
    const read = await loadDemand(api.sql, { layer: 'dense', regionCodes: ['990101', '990102'], resolution: 11 })
    const expected = await api.sql<{ h3: string; weight: number; region_code: string }[]>`
      SELECT h3, weight, region_code FROM demand_item WHERE layer_id = 'dense' ORDER BY h3 COLLATE "C"`
    expect(read.items.map((i) => [i.h3, i.weight, i.region_code])).toEqual(expected.map((i) => [i.h3, i.weight, i.region_code]))
    await api.sql`DELETE FROM demand_layer WHERE id = 'dense'`
  }, 60_000)
})

describe('domain errors, not HTTP', () => {
  it('throws NotFoundError naming the layer or region that does not exist', async () => {
    const layer = await getDemandLayer(api.sql, 'nope').catch((e: unknown) => e)
    expect(layer).toBeInstanceOf(NotFoundError)
    expect(layer).toMatchObject({ kind: 'layer', id: 'nope' })
    expect(layer).not.toHaveProperty('status')
    const region = await requireRegion(api.sql, '999999').catch((e: unknown) => e)
    expect(region).toBeInstanceOf(NotFoundError)
    expect(region).toMatchObject({ kind: 'region', id: '999999', message: 'region: no region has code 999999' })
    expect(await requireRegion(api.sql, '990100')).toEqual(expect.arrayContaining(['990100', '990101', '990102']))
  })
})
