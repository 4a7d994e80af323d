/**
 * Loads a user's demand layer into the database, replacing any layer with the same id atomically:
 *
 *   npm run load-demand -- --layer orders --name 外卖订单热点 --unit 单/日 --crs gcj02 orders.csv
 *   npm run load-demand -- --layer pop --name 人口 --unit 人 cells.csv        # h3,weight[,region_code]
 *
 * Files: CSV with a header, either `lon,lat,weight[,name]` (points) or `h3,weight[,region_code]` (H3 cells),
 * or GeoJSON Points with `properties.weight` (and optional `name`). `--crs` says what the coordinates are in
 * (wgs84, the default; gcj02 for Amap/Tencent; bd09 for Baidu) — they are stored as WGS-84. H3 cells are
 * defined on WGS-84 and only accepted with --crs wgs84. Every row is validated before anything is written;
 * the first bad row is reported with its number and field. Points get their county by PostGIS
 * point-in-polygon against the `region` table.
 *
 * Database: DATABASE_URL, else the embedded one in DATA_DIR (default data/.db) — stop `npm start` first,
 * the embedded database takes one process at a time.
 *
 * Options: --name-en, --unit-en (default: --name, --unit), --source (default: "user file <name>"),
 * --resolution (H3 resolution points are indexed by, default 9), --modelled, --demo (flags for the page).
 */
import { readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { getResolution } from 'h3-js'
import { toWgs84, type Crs } from '../api/src/core/crs.ts'
import { connect, type Sql } from '../api/src/db/connect.ts'
import { replaceDemandLayer } from '../api/src/db/demand.ts'
import { cellItems, DemandInputError, parseCsv, pointItems, validateRows, type DemandItemInput } from '../api/src/db/demand-files.ts'
import { migrate } from '../api/src/db/migrate.ts'
import { DEFAULT_SEED_FILES, seed } from '../api/src/db/seed.ts'
import { DemandCellRow, DemandLayerMeta, DemandPointFeature, DemandPointRow } from '../api/src/schemas/demand.ts'

const CRS: Record<string, Crs> = { wgs84: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' }

export interface LoadDemandArgs {
  meta: DemandLayerMeta
  file: string
  crs: Crs
}

/** Reads and checks the command line; throws with a usage hint when something is missing or wrong. */
export function parseLoadDemandArgs(argv: string[]): LoadDemandArgs {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      layer: { type: 'string' }, name: { type: 'string' }, 'name-en': { type: 'string' }, unit: { type: 'string' },
      'unit-en': { type: 'string' }, source: { type: 'string' }, crs: { type: 'string', default: 'wgs84' },
      resolution: { type: 'string', default: '9' }, modelled: { type: 'boolean', default: false }, demo: { type: 'boolean', default: false },
    },
  })
  const usage = 'usage: npm run load-demand -- --layer <id> --name <name> --unit <unit> [--crs wgs84|gcj02|bd09] <file.csv|file.geojson>'
  const file = positionals[0]
  if (!file || !values.layer || !values.name || !values.unit) throw new Error(`--layer, --name, --unit and a file are required\n${usage}`)
  const crs = CRS[values.crs.toLowerCase()]
  if (!crs) throw new Error(`--crs: unknown "${values.crs}"; use wgs84, gcj02 or bd09`)
  const parsed = DemandLayerMeta.safeParse({
    id: values.layer, name: values.name, name_en: values['name-en'] ?? values.name, unit: values.unit,
    unit_en: values['unit-en'] ?? values.unit, source: values.source ?? `user file ${basename(file)}`,
    modelled: values.modelled, demo: values.demo, kind: 'point', resolution: Number(values.resolution),
  })
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const flag = { id: 'layer', resolution: 'resolution' }[String(issue.path[0])] ?? String(issue.path[0]).replace('_', '-')
    throw new Error(`--${flag}: ${issue.message}`)
  }
  return { meta: parsed.data, file, crs }
}

/**
 * Turns a file's text into validated items and the layer's kind/resolution.
 * @param fileName for messages and to tell CSV from GeoJSON (by extension)
 */
export function readDemandFile(fileName: string, text: string, crs: Crs, pointResolution: number): { kind: 'h3' | 'point'; resolution: number; items: DemandItemInput[] } {
  const convert = (lon: number, lat: number) => (crs === 'WGS84' ? [lon, lat] : toWgs84([lon, lat], crs)) as [number, number]
  if (/\.(geo)?json$/i.test(fileName)) {
    const json = JSON.parse(text) as { type?: string; features?: unknown[] }
    if (json.type !== 'FeatureCollection' || !Array.isArray(json.features)) throw new Error(`${fileName}: not a GeoJSON FeatureCollection`)
    const features = validateRows(fileName, json.features, DemandPointFeature)
    const points = features.map((f) => {
      const [lon, lat] = convert(f.geometry.coordinates[0], f.geometry.coordinates[1])
      return { lon, lat, weight: f.properties.weight, name: f.properties.name, region_code: null }
    })
    return { kind: 'point', resolution: pointResolution, items: pointItems(points, pointResolution) }
  }
  const rows = parseCsv(text)
  if (rows.length === 0) throw new Error(`${fileName}: no data rows`)
  if ('h3' in rows[0]!) {
    if (crs !== 'WGS84') throw new Error(`${fileName}: H3 cells are defined on WGS-84; --crs must be wgs84 for an h3 file`)
    const cells = validateRows(fileName, rows, DemandCellRow)
    const resolution = getResolution(cells[0]!.h3)
    const other = cells.findIndex((c) => getResolution(c.h3) !== resolution)
    if (other >= 0) throw new DemandInputError(fileName, other + 1, 'h3', `resolution ${getResolution(cells[other]!.h3)}, but row 1 is at ${resolution}; use one resolution per layer`)
    // Region codes in the file are not trusted: PostGIS assigns them from the cell centre.
    return { kind: 'h3', resolution, items: cellItems(cells).map((i) => ({ ...i, region_code: null })) }
  }
  if (!('lon' in rows[0]!) || !('lat' in rows[0]!)) throw new Error(`${fileName}: the header must name h3,weight or lon,lat,weight[,name]`)
  const points = validateRows(fileName, rows, DemandPointRow).map((p) => {
    const [lon, lat] = convert(p.lon, p.lat)
    return { ...p, lon, lat }
  })
  return { kind: 'point', resolution: pointResolution, items: pointItems(points, pointResolution) }
}

/** Reads and validates the arguments and the file: everything that can fail before the database opens. */
export function prepareLoadDemand(argv: string[]) {
  const args = parseLoadDemandArgs(argv)
  return { args, ...readDemandFile(args.file, readFileSync(args.file, 'utf8'), args.crs, args.meta.resolution) }
}

/** Writes a prepared layer (replacing any layer with its id) and returns a one-line summary. */
export async function writeLoadDemand(sql: Sql, prepared: ReturnType<typeof prepareLoadDemand>): Promise<string> {
  const { args, kind, resolution, items } = prepared
  const count = await replaceDemandLayer(sql, { ...args.meta, kind, resolution }, items, { origin: 'user' })
  const [row] = await sql<{ outside: number }[]>`SELECT count(*)::int AS outside FROM demand_item WHERE layer_id = ${args.meta.id} AND region_code IS NULL`
  return `layer ${args.meta.id}: ${count} ${kind === 'h3' ? `H3 res-${resolution} cells` : 'points'} loaded (${args.crs} → WGS84)${row?.outside ? `; ${row.outside} outside every county (region_code null)` : ''}`
}

/** The whole command against an open database. Returns a one-line summary. */
export async function runLoadDemand(sql: Sql, argv: string[]): Promise<string> {
  return writeLoadDemand(sql, prepareLoadDemand(argv))
}

async function main() {
  // Validate the file before opening the database: a bad row should not cost a start-up.
  const prepared = prepareLoadDemand(process.argv.slice(2))
  const db = await connect({ databaseUrl: process.env.DATABASE_URL || undefined, dataDir: process.env.DATA_DIR || undefined, log: console.log })
  try {
    await migrate(db.sql)
    await seed(db.sql, DEFAULT_SEED_FILES) // the regions, so points can be given their county
    console.log(await writeLoadDemand(db.sql, prepared))
  } finally {
    await db.close()
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((err: Error) => {
    console.error(err.message)
    process.exit(1)
  })
}
