/**
 * Writes the import test files to api/test/fixtures/import/ (`npm run make-import-fixtures`),
 * deterministic (seeded), so they are made by code a reviewer can read, not by hand:
 *
 * - good files: `jinxiang-gcj02.xlsx` (Chinese headers, GCJ-02 as picked from Amap, two sheets, rows
 *   with only an address), `jinxiang-gbk.csv` (GB18030/GBK, WGS-84), `jinxiang-bd09.csv` (UTF-8 with
 *   BOM, BD-09), `jinxiang.geojson` (canonical properties), and `truth.json`: each row's WGS-84 point
 *   before it was shifted into GCJ-02/BD-09.
 * - `bad-rows.csv`: one good row and one row for each reason a row is rejected.
 * - bad files: corrupt, truncated and zip-bomb .xlsx, an empty sheet, formulas, a million columns,
 *   mixed encodings, duplicate headers, a GeoJSON of LineStrings, a `.xls`.
 * - demand: `jinxiang-population.tif` (a Float32 population raster in EPSG:4326 over 金乡县 and its
 *   neighbours, nodata -9999, written with geotiff's writer), the same pixels labelled UTM zone 50N
 *   (`population-utm50n.tif`, refused), its first half (`population-truncated.tif`), weighted points
 *   (`demand-points.csv`, one bad row) and H3 res-10 cells (`demand-h3.csv`, summed into res 9).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { deflateRawSync, crc32 } from 'node:zlib'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import ExcelJS from 'exceljs'
import { writeArrayBuffer } from 'geotiff'
import { cellToChildren, latLngToCell } from 'h3-js'
import iconv from 'iconv-lite'
import { fromWgs84 } from '../api/src/core/crs.ts'
import { greatCircleDistance } from '../api/src/core/great-circle-distance.ts'
import { repoPath } from '../api/src/paths.ts'

const OUT = repoPath('api/test/fixtures/import')
export const JINXIANG = '370828'

let seed = 20261201
const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31)

interface Truth {
  external_id: string
  name: string
  kind: string
  lon: number
  lat: number
  address: string
}

/** Points inside 金乡县, at least 300 m from any demo station (so no row is a 50 m duplicate). */
function jinxiangPoints(n: number): [number, number][] {
  const regions = JSON.parse(readFileSync(repoPath('data/regions.geojson'), 'utf8'))
  const county = regions.features.find((f: { properties: { code: string } }) => f.properties.code === JINXIANG)
  const demo = JSON.parse(readFileSync(repoPath('data/demo/stations.geojson'), 'utf8')).features.map((f: { geometry: { coordinates: [number, number] } }) => f.geometry.coordinates)
  const out: [number, number][] = []
  while (out.length < n) {
    const p: [number, number] = [116.15 + rand() * 0.3, 34.9 + rand() * 0.3]
    const q: [number, number] = [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]
    if (!booleanPointInPolygon(q, county)) continue
    if (demo.some((d: [number, number]) => greatCircleDistance(d, q) < 300) || out.some((o) => greatCircleDistance(o, q) < 300)) continue
    out.push(q)
  }
  return out
}

const KIND_WORDS = ['爱心驿站', '户外劳动者服务站点', '红帆驿站', '党群服务中心', '工地驿站', '骑士驿站']
const HOURS = ['8:00-20:00', '全天', '24小时', '周一至周五 9:00-17:00', '工作日 8:30-17:30；周六 9:00-12:00', '8:00-12:00、14:00-18:00']
const AMENITY = ['饮水、充电', '饮水、微波炉、卫生间', '充电，休息', '热水、急救箱、空调', '']
const TOWNS = ['金乡街道', '高河街道', '王丕街道', '鱼山街道', '胡集镇', '肖云镇', '卜集镇', '化雨镇', '羊山镇', '司马镇', '霄云镇', '兴隆镇', '马庙镇']

export function truthRows(n = 30): Truth[] {
  seed = 20261201
  return jinxiangPoints(n).map(([lon, lat], i) => ({
    external_id: `JX-${String(i + 1).padStart(3, '0')}`,
    name: `金乡县${TOWNS[i % TOWNS.length]}${KIND_WORDS[i % KIND_WORDS.length]!.replace('服务站点', '站')}${i + 1}号`,
    kind: KIND_WORDS[i % KIND_WORDS.length]!,
    lon, lat,
    address: `金乡县${TOWNS[i % TOWNS.length]}建设路${10 + i}号`,
  }))
}

const CN_HEADERS = ['编号', '站点名称', '站点类型', '经度', '纬度', '地址', '开放时间', '服务内容', '联系电话', '运营单位', '状态', '覆盖半径']

function cnRow(t: Truth, i: number, coords: [number, number] | null): (string | number)[] {
  return [t.external_id, t.name, t.kind, coords ? coords[0] : '', coords ? coords[1] : '', t.address, HOURS[i % HOURS.length]!, AMENITY[i % AMENITY.length]!, `0537-86${String(10000 + i)}`, '金乡县总工会', i % 7 === 6 ? '规划' : '运营', i % 5 === 0 ? 1500 : '']
}

const round = (p: [number, number]): [number, number] => [Math.round(p[0] * 1e6) / 1e6, Math.round(p[1] * 1e6) / 1e6]

/** Rows with only an address (to place): the last two of the xlsx. */
export const XLSX_TO_PLACE = 2

async function xlsx(): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const notes = wb.addWorksheet('填表说明')
  notes.addRow(['坐标取自高德地图（GCJ-02）'])
  const ws = wb.addWorksheet('驿站台账')
  ws.addRow(CN_HEADERS)
  truthRows().forEach((t, i, all) => ws.addRow(cnRow(t, i, i >= all.length - XLSX_TO_PLACE ? null : round(fromWgs84([t.lon, t.lat], 'GCJ02')))))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

function csv(rows: (string | number)[][]): string {
  return rows.map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(',')).join('\r\n') + '\r\n'
}

/** A zip archive of `entries`, deflated (the layout of PKWARE's APPNOTE, enough for these fixtures). */
function zip(entries: [string, Buffer][]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const [name, data] of entries) {
    const packed = deflateRawSync(data)
    const n = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0); head.writeUInt16LE(20, 4); head.writeUInt16LE(8, 8)
    head.writeUInt32LE(crc32(data), 14); head.writeUInt32LE(packed.length, 18); head.writeUInt32LE(data.length, 22); head.writeUInt16LE(n.length, 26)
    const cen = Buffer.alloc(46)
    cen.writeUInt32LE(0x02014b50, 0); cen.writeUInt16LE(20, 4); cen.writeUInt16LE(20, 6); cen.writeUInt16LE(8, 10)
    cen.writeUInt32LE(crc32(data), 16); cen.writeUInt32LE(packed.length, 20); cen.writeUInt32LE(data.length, 24); cen.writeUInt16LE(n.length, 28); cen.writeUInt32LE(offset, 42)
    locals.push(head, n, packed)
    centrals.push(cen, n)
    offset += 30 + n.length + packed.length
  }
  const cd = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10); end.writeUInt32LE(cd.length, 12); end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, cd, end])
}

/** The bad files and what the API must say about each (a word its message contains); 422: the file reads, its rows are refused. */
export const BAD_FILES: Record<string, { expect: RegExp; status: number }> = {
  'corrupt.xlsx': { status: 400, expect: /corrupt|not a readable|central directory/i },
  'truncated.xlsx': { status: 400, expect: /truncated|corrupt/i },
  'zip-bomb.xlsx': { status: 413, expect: /zip bomb/i },
  'empty-sheet.xlsx': { status: 400, expect: /empty/i },
  'formulas.xlsx': { status: 422, expect: /formula/i },
  'formulas.csv': { status: 422, expect: /formula/i },
  'million-columns.csv': { status: 400, expect: /1000000 columns/ },
  'mixed-encoding.csv': { status: 400, expect: /mixes encodings: line 1 is UTF-8 but line 3 is not/ },
  'duplicate-headers.csv': { status: 400, expect: /both map to name|duplicate header/ },
  'wrong-geometry.geojson': { status: 422, expect: /LineString; stations are Points/ },
  'not-json.geojson': { status: 400, expect: /not valid JSON/ },
  'old-excel.xls': { status: 400, expect: /\.xls \(Excel 97–2003\) is not supported/ },
  'header-only.csv': { status: 400, expect: /no data rows/ },
}

/** The population raster's grid: 0.005° pixels (~500 m) over 金乡县's box and a margin into its neighbours. */
export const RASTER = { west: 116.05, north: 35.3, step: 0.005, width: 100, height: 100, nodata: -9999 } as const

/** The raster's pixels, row by row from the north-west: 0–120 people, every 17th pixel nodata, some empty. */
export function rasterValues(): Float32Array {
  seed = 370828
  return Float32Array.from({ length: RASTER.width * RASTER.height }, (_, i) => (i % 17 === 0 ? RASTER.nodata : i % 23 === 0 ? 0 : Math.round(rand() * 1200) / 10))
}

function rasterFile(epsg: { geographic: number } | { projected: number }): Buffer {
  const keys = 'geographic' in epsg ? { GTModelTypeGeoKey: 2, GeographicTypeGeoKey: epsg.geographic } : { GTModelTypeGeoKey: 1, ProjectedCSTypeGeoKey: epsg.projected }
  return Buffer.from(writeArrayBuffer(rasterValues(), {
    width: RASTER.width, height: RASTER.height, ModelPixelScale: [RASTER.step, RASTER.step, 0], ModelTiepoint: [0, 0, 0, RASTER.west, RASTER.north, 0],
    GTRasterTypeGeoKey: 1, ...keys, GDAL_NODATA: String(RASTER.nodata), SampleFormat: [3], BitsPerSample: [32],
  }))
}

function writeDemandFixtures(write: (name: string, data: string | Buffer) => void, truth: Truth[]) {
  const tif = rasterFile({ geographic: 4326 })
  write('jinxiang-population.tif', tif)
  write('population-utm50n.tif', rasterFile({ projected: 32650 }))
  write('population-truncated.tif', tif.subarray(0, Math.floor(tif.length / 2)))
  // points: WGS-84, weights; row 5 has no weight; row 6 lies in 南城县 (another editor's county)
  write('demand-points.csv', csv([
    ['名称', '经度', '纬度', '人数'],
    ...truth.slice(0, 3).map((t, i) => [`工地${i + 1}`, t.lon, t.lat, 40 + 10 * i]),
    ['无人数', truth[3]!.lon, truth[3]!.lat, ''],
    ['南城工地', 116.64, 27.55, 30],
  ]))
  // cells at resolution 10, two children of each of three res-9 cells around the first stations
  write('demand-h3.csv', csv([
    ['h3', 'weight'],
    ...truth.slice(0, 3).flatMap((t, i) => cellToChildren(latLngToCell(t.lat, t.lon, 9), 10).slice(0, 2).map((c, j) => [c, 5 * (i + 1) + j])),
  ]))
}

async function main() {
  mkdirSync(OUT, { recursive: true })
  const truth = truthRows()
  const write = (name: string, data: string | Buffer) => writeFileSync(`${OUT}/${name}`, data)
  write('truth.json', JSON.stringify(truth, null, 1) + '\n')
  const book = await xlsx()
  write('jinxiang-gcj02.xlsx', book)
  write('jinxiang-gbk.csv', iconv.encode(csv([CN_HEADERS, ...truth.slice(0, 10).map((t, i) => cnRow({ ...t, external_id: `GBK-${i + 1}` }, i, [t.lon, t.lat]))]), 'gbk'))
  write('jinxiang-bd09.csv', '\uFEFF' + csv([CN_HEADERS, ...truth.slice(10, 20).map((t, i) => cnRow({ ...t, external_id: `BD-${i + 1}` }, i, round(fromWgs84([t.lon, t.lat], 'BD09'))))]))
  write('jinxiang.geojson', JSON.stringify({
    type: 'FeatureCollection',
    features: truth.slice(20, 28).map((t, i) => ({
      type: 'Feature', geometry: { type: 'Point', coordinates: [t.lon, t.lat] },
      properties: { external_id: `GJ-${i + 1}`, name: t.name, kind: 'rider_rest', address: t.address, opening_hours: 'Mo-Su 08:00-20:00', amenities: ['water', 'charging'] },
    })),
  }, null, 1) + '\n')

  // one good row, then one row per rejection reason (the demo station 金乡县… sits at its own point)
  const demo = JSON.parse(readFileSync(repoPath('data/demo/stations.geojson'), 'utf8')).features.find((f: { properties: { region_code: string; kind: string } }) => f.properties.region_code === JINXIANG && f.properties.kind === 'rider_rest')
  const [dx, dy] = demo.geometry.coordinates as [number, number]
  const [g1, g2] = [truth[0]!, truth[1]!]
  write('bad-rows.csv', '\uFEFF' + csv([
    ['external_id', 'name', 'kind', 'lon', 'lat', 'opening_hours'],
    ['OK-1', '好站', 'rider_rest', g1.lon, g1.lat, '8:00-20:00'], // row 2: fine
    ['BAD-1', '', 'rider_rest', g2.lon, g2.lat, ''], // row 3: missing name
    ['BAD-2', '未知类型站', '加油站', g2.lon, g2.lat, ''], // row 4: unknown kind
    ['BAD-3', '海上站', 'rider_rest', 122.5, 30.0, ''], // row 5: in no region
    ['BAD-4', '南城站', 'rider_rest', 116.64, 27.55, ''], // row 6: outside the editor's region (南城县)
    ['BAD-5', '时间不明站', 'rider_rest', g2.lon, g2.lat, '早八晚八'], // row 7: hours not convertible
    ['BAD-6', '重复演示站', 'rider_rest', Math.round((dx + 0.0002) * 1e6) / 1e6, dy, ''], // row 8: ≈ 18 m from a demo rider stop
    ['OK-1', '好站', 'rider_rest', g1.lon, g1.lat, '8:00-20:00'], // row 9: duplicate of row 2
    ['BAD-7', '=HYPERLINK("http://example.com","点我")', 'rider_rest', g2.lon, g2.lat, ''], // row 10: a formula
  ]))

  write('corrupt.xlsx', Buffer.concat([Buffer.from('PK\u0003\u0004'), Buffer.from(Array.from({ length: 2000 }, (_, i) => (i * 37) % 256))]))
  write('truncated.xlsx', book.subarray(0, Math.floor(book.length / 2)))
  write('zip-bomb.xlsx', zip([['[Content_Types].xml', Buffer.from('<?xml version="1.0"?><Types/>')], ['xl/worksheets/sheet1.xml', Buffer.alloc(64 * 1024 * 1024, 0x20)]]))
  const empty = new ExcelJS.Workbook()
  empty.addWorksheet('空表')
  write('empty-sheet.xlsx', Buffer.from(await empty.xlsx.writeBuffer()))
  const f = new ExcelJS.Workbook()
  const fs = f.addWorksheet('台账')
  fs.addRow(['名称', '类型', '经度', '纬度'])
  fs.addRow([{ formula: 'HYPERLINK("http://example.com","点我")', result: '点我' }, '爱心驿站', g1.lon, g1.lat])
  write('formulas.xlsx', Buffer.from(await f.xlsx.writeBuffer()))
  write('formulas.csv', csv([['名称', '类型', '经度', '纬度'], ['=HYPERLINK("http://example.com","点我")', '爱心驿站', g1.lon, g1.lat]]))
  write('million-columns.csv', `${Array.from({ length: 1_000_000 }, (_, i) => (i === 0 ? 'name' : 'c')).join(',')}\r\nx\r\n`)
  write('mixed-encoding.csv', Buffer.concat([Buffer.from('名称,类型,经度,纬度\r\n'), Buffer.from(`好站,爱心驿站,${g1.lon},${g1.lat}\r\n`), iconv.encode(`坏站,爱心驿站,${g2.lon},${g2.lat}\r\n`, 'gbk')]))
  write('duplicate-headers.csv', csv([['名称', '类型', '经度', '纬度', '站点名称'], ['甲', '爱心驿站', g1.lon, g1.lat, '乙']]))
  write('wrong-geometry.geojson', JSON.stringify({ type: 'FeatureCollection', features: [{ type: 'Feature', geometry: { type: 'LineString', coordinates: [[g1.lon, g1.lat], [g2.lon, g2.lat]] }, properties: { name: '线', kind: 'rider_rest' } }] }))
  write('not-json.geojson', '{"type": "FeatureCollection", "features": [')
  write('old-excel.xls', Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]))
  write('header-only.csv', '名称,类型,经度,纬度\r\n')
  writeDemandFixtures(write, truth)
  console.log(`wrote ${OUT}`)
}

if (import.meta.url === `file://${process.argv[1]}`) await main()
