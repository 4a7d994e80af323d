import { cellToLatLng, cellToParent, getResolution, isValidCell, latLngToCell } from 'h3-js'
import { fromArrayBuffer } from 'geotiff'
import { toWgs84, type Crs } from '../core/crs.ts'
import type { DemandItemInput } from '../db/demand-files.ts'
import { CountyLocator, type CountyShape } from './county-locator.ts'
import { FileError, ImportTooLargeError, readTable, type TableRow } from './read-table.ts'

/**
 * The CPU part of a demand import, run in a worker thread: read weighted points (CSV/XLSX/GeoJSON,
 * through the station importer's readers), H3 cells, or a GeoTIFF population raster; put every
 * unit of demand in its H3 cell and its county; keep only what lies in the counties the editor may
 * write (`writable`), summing per (cell, county). Failures come back as values (errors do not
 * cross the thread boundary).
 */

/** H3 resolution rasters and points are summed into (~0.1 km² cells). */
export const DEMAND_RESOLUTION = 9
/** The most raster pixels read (a 20 MB deflated tile can unpack to far more than it weighs). */
export const MAX_RASTER_PIXELS = 40_000_000

export interface ParseDemandTask {
  task: 'parse-demand'
  bytes: Uint8Array
  filename: string
  crs: Crs
  /** H3 files: 'aggregate' sums finer cells into res 9, 'keep' stores them as they are */
  h3: 'aggregate' | 'keep'
  counties: CountyShape[]
  writable: string[] | 'all'
}

export interface DemandRejection {
  row: number
  column?: string
  message: string
}

export interface ParsedDemand {
  ok: true
  format: 'geotiff' | 'csv' | 'xlsx' | 'geojson'
  kind: 'h3' | 'point'
  resolution: number
  /** kept items, with their county */
  items: (DemandItemInput & { region_code: string })[]
  rejected: DemandRejection[]
  /** demand (and units: pixels, rows) left out because it lies outside every county / outside the editor's */
  outside: { weight: number; units: number }
  not_yours: { weight: number; units: number; regions: string[] }
  raster?: { width: number; height: number; pixels: number; nodata_pixels: number; nodata: number | null; bbox: number[] }
}

export type ParseDemandResult = ParsedDemand | { ok: false; status: 400 | 413; message: string; row?: number; column?: string }

const isTiff = (b: Uint8Array) => (b[0] === 0x49 && b[1] === 0x49 && b[2] === 0x2a && b[3] === 0) || (b[0] === 0x4d && b[1] === 0x4d && b[2] === 0 && b[3] === 0x2a)

const HEADER = {
  lon: ['lon', 'lng', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
  weight: ['weight', 'population', 'pop', 'value', 'count', '权重', '人口', '人数', '数量', '需求'],
  name: ['name', '名称'],
  h3: ['h3', 'h3_index', 'cell', 'h3index'],
}

function column(headers: string[], names: string[]): string | undefined {
  return headers.find((h) => names.includes(h.trim().toLowerCase()))
}

/** Sums demand into (cell, county) items and keeps the tallies of what was clipped off. */
class Accumulator {
  private readonly cells = new Map<string, { h3: string; region_code: string; weight: number; lon: number; lat: number; name: string | null }>()
  readonly outside = { weight: 0, units: 0 }
  readonly notYours = { weight: 0, units: 0, regions: new Set<string>() }
  constructor(private readonly locator: CountyLocator, private readonly writable: Set<string> | 'all') {}

  /** One unit of demand at (lon, lat), counted in `h3`; points keep their own position and name. */
  add(lon: number, lat: number, weight: number, h3: string, point?: { name: string | null; key: number }) {
    const code = this.locator.countyAt(lon, lat)
    if (code === null) {
      this.outside.weight += weight
      this.outside.units++
      return
    }
    if (this.writable !== 'all' && !this.writable.has(code)) {
      this.notYours.weight += weight
      this.notYours.units++
      this.notYours.regions.add(code)
      return
    }
    const key = point ? `p${point.key}` : `${h3}|${code}`
    const item = this.cells.get(key)
    if (item) item.weight += weight
    else {
      const [clat, clon] = point ? [lat, lon] : cellToLatLng(h3)
      this.cells.set(key, { h3, region_code: code, weight, lon: clon, lat: clat, name: point?.name ?? null })
    }
  }

  items() {
    return [...this.cells.values()]
  }
}

async function readRaster(t: ParseDemandTask, acc: Accumulator): Promise<ParsedDemand['raster']> {
  let image
  try {
    const tiff = await fromArrayBuffer(t.bytes.buffer.slice(t.bytes.byteOffset, t.bytes.byteOffset + t.bytes.byteLength) as ArrayBuffer)
    image = await tiff.getImage()
  } catch (err) {
    throw new FileError(`file: not a readable GeoTIFF (${(err as Error).message}); the file may be truncated`)
  }
  const keys = image.getGeoKeys() ?? {}
  const projected = keys.ProjectedCSTypeGeoKey as number | undefined
  const geographic = keys.GeographicTypeGeoKey as number | undefined
  if (projected !== undefined || geographic !== 4326) {
    const found = projected !== undefined ? `EPSG:${projected} (projected)` : geographic !== undefined ? `EPSG:${geographic}` : 'no coordinate system (no GeoKeys)'
    throw new FileError(`file: the GeoTIFF is in ${found}; only EPSG:4326 (WGS-84 longitude/latitude) rasters are read — reproject it first, e.g. gdalwarp -t_srs EPSG:4326`)
  }
  const width = image.getWidth(), height = image.getHeight()
  if (width * height > MAX_RASTER_PIXELS) throw new ImportTooLargeError(`file: the raster has ${width}×${height} = ${width * height} pixels; at most ${MAX_RASTER_PIXELS} are read — clip it to the county first`)
  const [x0, y0] = image.getOrigin() as [number, number]
  const [dx, dy] = image.getResolution() as [number, number]
  const nodata = image.getGDALNoData()
  let values: ArrayLike<number>
  try {
    values = (await image.readRasters({ samples: [0] }))[0] as unknown as ArrayLike<number>
  } catch (err) {
    throw new FileError(`file: the GeoTIFF's pixels cannot be read (${(err as Error).message}); the file may be truncated`)
  }
  let nodataPixels = 0
  for (let y = 0; y < height; y++) {
    const lat = y0 + (y + 0.5) * dy
    for (let x = 0; x < width; x++) {
      const v = values[y * width + x]!
      // nodata, NaN and empty pixels carry no population
      if (v === nodata || !Number.isFinite(v) || v <= 0) {
        if (v !== 0) nodataPixels++
        continue
      }
      const lon = x0 + (x + 0.5) * dx
      acc.add(lon, lat, v, latLngToCell(lat, lon, DEMAND_RESOLUTION))
    }
  }
  return { width, height, pixels: width * height, nodata_pixels: nodataPixels, nodata, bbox: image.getBoundingBox() }
}

function weightOf(v: TableRow['cells'][string] | undefined): number | string {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : Number.NaN
  if (!Number.isFinite(n)) return v === null || v === undefined || v === '' ? 'missing: every row needs a weight > 0' : `not a number: "${typeof v === 'object' ? JSON.stringify(v) : v}"`
  if (n <= 0) return `must be > 0 (is ${n})`
  return n
}

export async function parseDemand(t: ParseDemandTask): Promise<ParseDemandResult> {
  const acc = new Accumulator(new CountyLocator(t.counties), t.writable === 'all' ? 'all' : new Set(t.writable))
  const rejected: DemandRejection[] = []
  const done = (format: ParsedDemand['format'], kind: ParsedDemand['kind'], resolution: number, raster?: ParsedDemand['raster']): ParsedDemand => ({
    ok: true, format, kind, resolution, items: acc.items(), rejected, outside: acc.outside,
    not_yours: { ...acc.notYours, regions: [...acc.notYours.regions].sort() }, ...(raster ? { raster } : {}),
  })
  try {
    if (/\.tiff?$/i.test(t.filename) || isTiff(t.bytes)) return done('geotiff', 'h3', DEMAND_RESOLUTION, await readRaster(t, acc))
    const table = await readTable(t.bytes, t.filename)
    const headers = table.headers
    const weightCol = column(headers, HEADER.weight)
    if (!weightCol) throw new FileError(`row 1: no weight column; name one weight, population or 人口 (headers are ${headers.slice(0, 20).join(', ')})`, { row: 1 })
    const h3Col = column(headers, HEADER.h3)
    if (h3Col) {
      if (t.crs !== 'WGS84') throw new FileError('crs: H3 cells are defined on WGS-84; send crs=wgs84 with an H3 file')
      const good = table.rows.flatMap((r) => {
        const h = String(r.cells[h3Col] ?? '').trim().toLowerCase()
        const w = weightOf(r.cells[weightCol])
        if (!isValidCell(h)) return (rejected.push({ row: r.row, column: h3Col, message: `not an H3 cell index: "${h}"` }), [])
        if (typeof w === 'string') return (rejected.push({ row: r.row, column: weightCol, message: w }), [])
        return [{ row: r.row, h, w, res: getResolution(h) }]
      })
      const first = good[0]?.res ?? DEMAND_RESOLUTION
      const target = t.h3 === 'aggregate' ? Math.min(DEMAND_RESOLUTION, first) : first
      for (const g of good) {
        if (g.res < target || (t.h3 === 'keep' && g.res !== target)) {
          rejected.push({ row: g.row, column: h3Col, message: `resolution ${g.res}, but the layer is at ${target}${g.res < target ? ' (a coarser cell cannot be split without a model)' : ' (h3=keep keeps one resolution)'}` })
          continue
        }
        const cell = g.res === target ? g.h : cellToParent(g.h, target)
        const [lat, lon] = cellToLatLng(g.h)
        acc.add(lon, lat, g.w, cell)
      }
      return done(table.format, 'h3', target)
    }
    const lonCol = column(headers, HEADER.lon), latCol = column(headers, HEADER.lat)
    if (!lonCol || !latCol) throw new FileError(`row 1: the header must name lon, lat (经度, 纬度) and weight, or h3 and weight (headers are ${headers.slice(0, 20).join(', ')})`, { row: 1 })
    const nameCol = column(headers, HEADER.name)
    for (const r of table.rows) {
      if (r.problem) {
        rejected.push({ row: r.row, message: r.problem.message })
        continue
      }
      const lon = Number(r.cells[lonCol]), lat = Number(r.cells[latCol])
      if (r.cells[lonCol] === null || r.cells[latCol] === null || !Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lon) > 180 || Math.abs(lat) > 90) {
        rejected.push({ row: r.row, column: lonCol, message: `coordinates missing or not lon/lat numbers: ${r.cells[lonCol]}, ${r.cells[latCol]}` })
        continue
      }
      const w = weightOf(r.cells[weightCol])
      if (typeof w === 'string') {
        rejected.push({ row: r.row, column: weightCol, message: w })
        continue
      }
      const [x, y] = t.crs === 'WGS84' ? [lon, lat] : toWgs84([lon, lat], t.crs)
      const name = nameCol && r.cells[nameCol] !== null ? String(r.cells[nameCol]).slice(0, 200) : null
      acc.add(x, y, w, latLngToCell(y, x, DEMAND_RESOLUTION), { name, key: r.row })
    }
    return done(table.format, 'point', DEMAND_RESOLUTION)
  } catch (err) {
    if (err instanceof ImportTooLargeError) return { ok: false, status: 413, message: err.message }
    if (err instanceof FileError) return { ok: false, status: 400, message: err.message, ...err.where }
    throw err
  }
}
