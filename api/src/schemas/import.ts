import { z } from '@hono/zod-openapi'
import { IMPORT_FIELDS } from '../import/column-mapping.ts'
import { bodyLat, bodyLon, text } from './common.ts'

/** A multipart text field holding JSON, validated by `schema`; the message names the rule. */
const jsonField = <T extends z.ZodType>(schema: T, what: string) =>
  z.string().max(1_000_000, 'must be at most 1000000 characters').transform((s, ctx): z.infer<T> => {
    let v: unknown
    try {
      v = JSON.parse(s)
    } catch {
      ctx.addIssue({ code: 'custom', message: `must be JSON: ${what}` })
      return z.NEVER
    }
    const r = schema.safeParse(v)
    if (!r.success) {
      ctx.addIssue({ code: 'custom', message: `${what}: ${r.error.issues.map((i) => `${i.path.join('.')} ${i.message}`.trim()).join('; ')}` })
      return z.NEVER
    }
    return r.data
  })

export const CRS_NAMES = ['wgs84', 'gcj02', 'bd09'] as const
export const crsParam = z.enum(CRS_NAMES, { message: 'must be wgs84, gcj02 or bd09' })

/** Multipart `dry_run` (true by default: report only) and `on_invalid`, alike for stations and demand. */
const dryRunField = z.enum(['true', 'false'], { message: 'must be true or false' }).default('true').transform((v) => v === 'true').openapi({ type: 'string', description: 'true (default): report only; false: apply' })
const onInvalidField = z.enum(['reject', 'skip'], { message: 'must be reject or skip' }).default('reject').openapi({ description: 'reject (default): any bad row refuses the whole import; skip: apply the valid rows' })

export const ImportForm = z.object({
  file: z
    .custom<File>((v) => typeof File !== 'undefined' && v instanceof File, 'required: the station file (.xlsx, .csv or .geojson) as multipart field "file"')
    .openapi({ type: 'string', format: 'binary', description: '.xlsx, .csv (UTF-8 ± BOM, GB18030/GBK) or .geojson; at most 20 MB and 50,000 rows' }),
  crs: crsParam.default('wgs84').openapi({ description: 'The coordinate system of lon/lat in the file: WGS-84 (GPS), GCJ-02 (Amap, Tencent) or BD-09 (Baidu)' }),
  dry_run: dryRunField,
  on_invalid: onInvalidField,
  mapping: jsonField(z.record(z.string(), z.enum(IMPORT_FIELDS).nullable()), 'an object of column header → station field (or null to ignore the column)').optional()
    .openapi({ type: 'string', description: `JSON {"column header": field | null}; fields: ${IMPORT_FIELDS.join(', ')}` }),
  sheet: text(200).optional().openapi({ description: 'xlsx: the sheet to read (default the first); the report lists every sheet' }),
  encoding: z.enum(['auto', 'utf-8', 'gb18030'], { message: 'must be auto, utf-8 or gb18030' }).default('auto').openapi({ description: 'CSV text encoding (auto: UTF-8 ± BOM, else GB18030/GBK)' }),
  placed: jsonField(z.record(z.string().regex(/^[0-9]{1,7}$/, 'keys are row numbers'), z.tuple([bodyLon, bodyLat])), 'an object of row number → [lon, lat] (WGS-84) for rows placed on the map').optional()
    .openapi({ type: 'string', description: 'JSON {"row": [lon, lat]}: WGS-84 positions the editor placed "to place" rows at' }),
  progress: z.enum(['true', 'false'], { message: 'must be true or false' }).default('false').transform((v) => v === 'true')
    .openapi({ type: 'string', description: 'true: answer 200 application/x-ndjson, one ImportProgress line per step and an ImportResult line last (the status and body the plain answer would have had); the import is the same' }),
})

/** One line of a progress answer (progress=true): where reading, checking or writing the rows stands. */
export const ImportProgressLine = z
  .object({
    type: z.literal('progress'),
    phase: z.enum(['read', 'check', 'write']).openapi({ description: 'read: rows converted from the file; check: rows looked up in the database; write: rows written (apply)' }),
    done: z.number().int(),
    total: z.number().int().nullable().openapi({ description: 'null while the file itself is being opened' }),
  })
  .openapi('ImportProgress')

const Problem = z.object({ column: z.string().optional(), field: z.string(), message: z.string() })

export const ImportReportRow = z.object({
  row: z.number().int(),
  action: z.enum(['create', 'update', 'unchanged', 'reject', 'to_place']),
  id: z.string().optional(),
  name: z.string().optional(),
  address: z.string().nullable().optional(),
  lon: z.number().optional(),
  lat: z.number().optional(),
  region_code: z.string().optional(),
  changes: z.record(z.string(), z.tuple([z.unknown(), z.unknown()])).optional().openapi({ description: '{ field: [before, after] }' }),
  errors: z.array(Problem).optional(),
})

export const ImportReport = z
  .object({
    dry_run: z.boolean(),
    import_id: z.string().nullable().openapi({ description: 'The applied import (undo with POST /api/imports/{id}/undo); null for a dry run or when nothing changed' }),
    format: z.enum(['xlsx', 'csv', 'geojson']),
    sheets: z.array(z.string()).optional(),
    sheet: z.string().optional(),
    encoding: z.string().optional(),
    crs: crsParam,
    headers: z.array(z.string()),
    mapping: z.record(z.string(), z.string().nullable()),
    created: z.number().int(),
    updated: z.number().int(),
    unchanged: z.number().int(),
    rejected: z.number().int(),
    to_place: z.number().int(),
    rows: z.array(ImportReportRow),
  })
  .openapi('ImportReport')

export const RejectedImport = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional() }),
    report: ImportReport,
  })
  .openapi('RejectedImport')

/** The last line of a progress answer: the status and JSON body the plain answer would have had. */
export const ImportResultLine = z
  .object({ type: z.literal('result'), status: z.number().int(), body: z.unknown().openapi({ description: 'ImportReport (200), RejectedImport (422: rows rejected) or the error shape' }) })
  .openapi('ImportResult')

export const ImportRecord = z
  .object({
    id: z.string(), actor: z.string(), filename: z.string(), format: z.string(), crs: z.string(),
    created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), skipped: z.number().int(),
    regions: z.array(z.string()), at: z.string(), undone_at: z.string().nullable(), undone_by: z.string().nullable(),
  })
  .openapi('ImportRecord')

// ---------------------------------------------------------------- demand (issue 12 item 2)

const formText = (max: number) => z.string().trim().min(1, 'must not be empty').max(max, `must be at most ${max} characters`)

export const DemandImportForm = z.object({
  file: z
    .custom<File>((v) => typeof File !== 'undefined' && v instanceof File, 'required: the demand file (.tif GeoTIFF, .csv, .xlsx or .geojson) as multipart field "file"')
    .openapi({ type: 'string', format: 'binary', description: 'GeoTIFF population raster in EPSG:4326, or weighted points (lon, lat, weight) / H3 cells (h3, weight) as .csv, .xlsx or .geojson; at most 20 MB' }),
  layer: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1–63 lower-case letters, digits, "_" or "-", e.g. worldpop-2020').openapi({ description: 'The layer id to create or replace' }),
  name: formText(200).optional().openapi({ description: 'The title shown in the layer picker, e.g. 常住人口 (WorldPop 2020); required to apply' }),
  name_en: formText(200).optional(),
  unit: formText(50).default('人'),
  unit_en: formText(100).optional(),
  source: formText(2000).optional().openapi({ description: 'Where the data comes from, shown with every figure computed on it, e.g. WorldPop 2020, 100 m, constrained; required to apply' }),
  licence: formText(500).optional().openapi({ description: 'The licence it is published under, e.g. CC BY 4.0' }),
  crs: crsParam.default('wgs84').openapi({ description: 'Points: the coordinate system of lon/lat (H3 files and rasters are WGS-84)' }),
  h3: z.enum(['aggregate', 'keep'], { message: 'must be aggregate or keep' }).default('aggregate').openapi({ description: 'H3 files: aggregate (default) sums cells finer than resolution 9 into res 9; keep stores them at their own resolution' }),
  dry_run: dryRunField,
  on_invalid: onInvalidField,
})

const Tally = z.object({ weight: z.number(), units: z.number().int().openapi({ description: 'pixels (rasters) or rows' }) })

export const DemandImportReport = z
  .object({
    dry_run: z.boolean(),
    applied: z.boolean(),
    layer: z.string(),
    format: z.enum(['geotiff', 'csv', 'xlsx', 'geojson']),
    kind: z.enum(['h3', 'point']),
    resolution: z.number().int(),
    cells: z.number().int().openapi({ description: 'Items the layer holds: (H3 cell, county) pairs, or points' }),
    total: z.number().openapi({ description: "Demand kept, in the layer's unit" }),
    by_region: z.array(z.object({ code: z.string(), name: z.string(), cells: z.number().int(), total: z.number() })),
    rejected: z.number().int(),
    rejected_rows: z.array(z.object({ row: z.number().int(), column: z.string().optional(), message: z.string() })).openapi({ description: 'The first 200 rejected rows and why' }),
    outside: Tally.openapi({ description: 'Demand outside every county of the atlas (clipped off)' }),
    not_yours: Tally.extend({ regions: z.array(z.string()) }).openapi({ description: 'Demand in counties your grants do not cover (clipped off)' }),
    raster: z.object({ width: z.number().int(), height: z.number().int(), pixels: z.number().int(), nodata_pixels: z.number().int(), nodata: z.number().nullable(), bbox: z.array(z.number()) }).optional(),
    preview: z.array(z.tuple([z.string(), z.number()])).openapi({ description: '[h3, weight] of up to 20,000 items, heaviest first, for shading the map' }),
  })
  .openapi('DemandImportReport')

export const DefaultLayerBody = z.object({
  region: z.string().regex(/^[0-9]{6}$/, 'must be a 6-digit GB/T 2260 code').openapi({ description: 'A county, or a city (then each of its counties)' }),
  layer: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be a layer id').openapi({ description: 'The layer; population puts the modelled layer back' }),
})
