/**
 * Demand import (issue 12 item 2) against the real database: a GeoTIFF population raster summed into
 * H3 cells and clipped to the editor's county, points and H3 files, the refusals, and coverage
 * against the imported layer checked against PostGIS (ST_DWithin on the sphere).
 */
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import ExcelJS from 'exceljs'
import { fromArrayBuffer } from 'geotiff'
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { repoPath } from '../paths.ts'
import { addAccount, asSession, OWN_ORIGIN, signIn } from '../../test/accounts.ts'
import { fixture, importForm, tablesChecksum } from '../../test/import-helpers.ts'
import { startTestApi } from '../../test/test-app.ts'

const JINXIANG = '370828'
const JIAXIANG = '370829' // 嘉祥县, a neighbour the raster reaches into
const META = { layer: 'worldpop-test', name: '常住人口（测试栅格）', source: 'WorldPop 2020 (test tile)', licence: 'CC BY 4.0' }

let api: Awaited<ReturnType<typeof startTestApi>>
let editor: string
let outsider: string

beforeAll(async () => {
  api = await startTestApi() // regions, demo stations and the bundled (modelled) population layer
  await addAccount(api, 'demand-editor@example.org', 'editor', [JINXIANG])
  await addAccount(api, 'demand-outsider@example.org', 'editor', ['361021'])
  editor = await signIn(api, 'demand-editor@example.org')
  outsider = await signIn(api, 'demand-outsider@example.org')
}, 60_000)
afterAll(async () => {
  await api?.close()
})

async function post(cookie: string | null, file: string, fields: Record<string, string> = {}) {
  const headers: Record<string, string> = cookie ? { cookie, origin: OWN_ORIGIN } : { origin: OWN_ORIGIN }
  const res = await api.request('/api/import/demand', { method: 'POST', headers, body: importForm(file, fixture(file), { ...META, ...fields }) })
  return { status: res.status, body: (await res.json()) as any }
}

/** The fixture's pixels whose centres lie in a county, summed the plain way: turf point-in-polygon on each centre. */
async function pixelsInCounty(code: string): Promise<number> {
  const bytes = fixture('jinxiang-population.tif')
  const image = await (await fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer)).getImage()
  const [x0, y0] = image.getOrigin()
  const [dx, dy] = image.getResolution()
  const values = (await image.readRasters({ samples: [0] }))[0] as unknown as Float32Array
  const county = JSON.parse(readFileSync(repoPath('data/regions.geojson'), 'utf8')).features.find((f: any) => f.properties.code === code)
  let sum = 0
  for (let y = 0; y < image.getHeight(); y++) {
    for (let x = 0; x < image.getWidth(); x++) {
      const v = values[y * image.getWidth() + x]!
      if (v > 0 && v !== image.getGDALNoData() && booleanPointInPolygon([x0! + (x + 0.5) * dx!, y0! + (y + 0.5) * dy!], county)) sum += v
    }
  }
  return sum
}

describe('POST /api/import/demand', () => {
  it('dry-runs the GeoTIFF: pixels summed into res-9 cells, clipped to the editor’s county, nothing written', async () => {
    const before = await tablesChecksum(api)
    const { status, body } = await post(editor, 'jinxiang-population.tif')
    expect(status, JSON.stringify(body).slice(0, 400)).toBe(200)
    expect([body.format, body.kind, body.resolution, body.applied]).toEqual(['geotiff', 'h3', 9, false])
    expect(body.by_region.map((r: any) => r.code)).toEqual([JINXIANG])
    expect(body.total).toBeCloseTo(await pixelsInCounty(JINXIANG), 3)
    expect(body.not_yours.regions).toContain(JIAXIANG)
    expect(body.raster).toMatchObject({ width: 100, height: 100 })
    expect(body.raster.nodata_pixels).toBeGreaterThan(500)
    expect(body.preview.length).toBe(body.cells)
    expect(await tablesChecksum(api)).toBe(before)
    const [n] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM demand_layer WHERE id = ${META.layer}`
    expect(n!.n).toBe(0)
  })

  it('applies it: the layer total equals the pixels inside the county, source and licence stored, history recorded', async () => {
    const { status, body } = await post(editor, 'jinxiang-population.tif', { dry_run: 'false' })
    expect(status, JSON.stringify(body).slice(0, 400)).toBe(200)
    expect(body.applied).toBe(true)
    const [row] = await api.sql<{ total: number; items: number; outside: number }[]>`
      SELECT sum(weight)::float8 AS total, count(*)::int AS items, count(*) FILTER (WHERE region_code <> ${JINXIANG})::int AS outside
        FROM demand_item WHERE layer_id = ${META.layer}`
    expect(row!.total).toBeCloseTo(await pixelsInCounty(JINXIANG), 3)
    expect([row!.items, row!.outside]).toEqual([body.cells, 0])
    const layers = (await api.get('/api/demand/layers')).body.layers
    expect(layers.find((l: any) => l.id === META.layer)).toMatchObject({ source: META.source, licence: 'CC BY 4.0', modelled: false, demo: false, origin: 'user', kind: 'h3', resolution: 9 })
    const history = await api.sql`SELECT actor FROM change_log WHERE entity = 'demand_layer' AND entity_id = ${META.layer}`
    expect(history.map((h) => h.actor)).toEqual(['demand-editor@example.org'])
  })

  it('coverage against the imported layer equals the PostGIS ST_DWithin sum on it', async () => {
    const { status, body } = await api.get(`/api/coverage?region=${JINXIANG}&layer=${META.layer}&radius_m=1500`)
    expect(status).toBe(200)
    expect(body.layer).toMatchObject({ id: META.layer, source: META.source })
    const [pg] = await api.sql<{ covered: number; total: number }[]>`
      SELECT coalesce(sum(d.weight) FILTER (WHERE EXISTS (
               SELECT 1 FROM station s WHERE s.status = 'active' AND ST_DWithin(geography(s.geom), geography(d.geom), 1500, false))), 0)::float8 AS covered,
             sum(d.weight)::float8 AS total
        FROM demand_item d WHERE d.layer_id = ${META.layer} AND d.region_code = ${JINXIANG}`
    expect(pg!.covered).toBeGreaterThan(0)
    expect(body.covered).toBeCloseTo(pg!.covered, 3)
    expect(body.total).toBeCloseTo(pg!.total, 3)
  })

  it('exports the imported layer with its source and licence: the .xlsx notes, every CSV row, the GeoJSON layer', async () => {
    const q = `region=${JINXIANG}&layer=${META.layer}`
    const x = await api.request(`/api/export/demand?format=xlsx&${q}`)
    expect(x.status).toBe(200)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load((await x.arrayBuffer()) as never)
    const notes = Object.fromEntries(wb.getWorksheet('说明 notes')!.getSheetValues().filter(Boolean).map((r) => [(r as string[])[1], (r as string[])[2]]))
    expect(notes).toMatchObject({ source: META.source, licence: META.licence, figures: 'measured' })
    const csv = (await (await api.request(`/api/export/demand?format=csv&${q}`)).text()).replace(/^\uFEFF/, '').trim().split('\r\n')
    expect(csv[0]).toBe('h3,lon,lat,weight,name,region_code,figures,source,licence')
    expect(csv.length).toBeGreaterThan(2)
    for (const line of csv.slice(1)) expect(line.endsWith(`,measured,${META.source},${META.licence}`)).toBe(true)
    const g = await api.get(`/api/export/demand?format=geojson&${q}`)
    expect(g.body.layer).toMatchObject({ id: META.layer, source: META.source, licence: META.licence, figures: 'measured' })
    // the bundled modelled layer says so, and that its source states no licence
    const m = await api.request(`/api/export/demand?format=csv&region=${JINXIANG}&layer=population`)
    expect((await m.text()).split('\r\n')[1]).toMatch(/,模型估算 \/ modelled,.+,not stated by the source \/ 来源未注明$/)
  })

  it('makes the layer the county’s default: coverage without layer follows it; population puts it back', async () => {
    const set = await api.request('/api/demand/default', { method: 'POST', headers: asSession(editor), body: JSON.stringify({ region: JINXIANG, layer: META.layer }) })
    expect(set.status).toBe(200)
    expect(((await set.json()) as any).defaults).toMatchObject({ [JINXIANG]: META.layer })
    expect((await api.get(`/api/coverage?region=${JINXIANG}`)).body.layer.id).toBe(META.layer)
    expect((await api.get('/api/demand/layers')).body.defaults[JINXIANG]).toBe(META.layer)
    // re-importing keeps the default (the layer row is updated, not deleted)
    expect((await post(editor, 'jinxiang-population.tif', { dry_run: 'false' })).status).toBe(200)
    expect((await api.get(`/api/coverage?region=${JINXIANG}`)).body.layer.id).toBe(META.layer)
    const other = await api.request('/api/demand/default', { method: 'POST', headers: asSession(outsider), body: JSON.stringify({ region: JINXIANG, layer: 'population' }) })
    expect(other.status).toBe(403)
    const back = await api.request('/api/demand/default', { method: 'POST', headers: asSession(editor), body: JSON.stringify({ region: JINXIANG, layer: 'population' }) })
    expect(back.status).toBe(200)
    expect((await api.get(`/api/coverage?region=${JINXIANG}`)).body.layer.id).toBe('population')
  })

  it('reads weighted points (Chinese headers) and H3 res-10 cells summed into res 9', async () => {
    const pts = await post(editor, 'demand-points.csv', { layer: 'sites-test' })
    expect(pts.status, JSON.stringify(pts.body).slice(0, 400)).toBe(200)
    expect([pts.body.kind, pts.body.cells, pts.body.total]).toEqual(['point', 3, 150])
    expect(pts.body.rejected_rows).toEqual([{ row: 5, column: '人数', message: 'missing: every row needs a weight > 0' }])
    expect(pts.body.not_yours).toMatchObject({ units: 1, regions: ['361021'] })
    const refused = await post(editor, 'demand-points.csv', { layer: 'sites-test', dry_run: 'false' })
    expect(refused.status).toBe(422)
    expect(refused.body.error.code).toBe('rows_rejected')
    expect(refused.body.error.message).toMatch(/1 row\(s\) rejected, nothing imported.*row 5, column 人数/)
    const h3 = await post(editor, 'demand-h3.csv', { layer: 'cells-test' })
    expect(h3.status).toBe(200)
    expect([h3.body.kind, h3.body.resolution, h3.body.cells, h3.body.total]).toEqual(['h3', 9, 3, 63])
    const kept = await post(editor, 'demand-h3.csv', { layer: 'cells-test', h3: 'keep' })
    expect([kept.body.resolution, kept.body.cells]).toEqual([10, 6])
  })

  it('refuses a GeoTIFF not in EPSG:4326 naming its CRS, and a truncated one, changing nothing', async () => {
    const before = await tablesChecksum(api)
    const res = await api.request('/api/import/demand', { method: 'POST', headers: { cookie: editor, origin: OWN_ORIGIN }, body: importForm('jinxiang-population.tif', fixture('jinxiang-population.tif'), { layer: 'nosource-test', dry_run: 'false' }) })
    expect(res.status).toBe(400)
    expect(((await res.json()) as any).error.message).toMatch(/^name, source: required to apply/)
    const utm = await post(editor, 'population-utm50n.tif', { dry_run: 'false', layer: 'utm-test' })
    expect(utm.status).toBe(400)
    expect(utm.body.error.message).toMatch(/EPSG:32650.*only EPSG:4326/)
    const cut = await post(editor, 'population-truncated.tif', { dry_run: 'false', layer: 'cut-test' })
    expect(cut.status).toBe(400)
    expect(cut.body.error.message).toMatch(/truncated/)
    expect(await tablesChecksum(api)).toBe(before)
    expect((await api.sql`SELECT 1 FROM demand_layer WHERE id IN ('utm-test', 'cut-test')`).length).toBe(0)
  })

  it('401 anonymous, 403 an editor of another county, 409 a bundled layer id', async () => {
    expect((await post(null, 'jinxiang-population.tif')).status).toBe(401)
    const other = await post(outsider, 'jinxiang-population.tif', { layer: 'nancheng-test' })
    expect(other.status).toBe(403)
    expect(other.body.error.message).toMatch(/may not write in region .*370828/)
    // the layer holding 金乡县 demand cannot be replaced from another county either
    expect((await post(outsider, 'jinxiang-population.tif')).status).toBe(403)
    const bundled = await post(editor, 'jinxiang-population.tif', { layer: 'population' })
    expect(bundled.status).toBe(409)
  })
})
