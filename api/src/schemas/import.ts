import { z } from '@hono/zod-openapi'
import { IMPORT_FIELDS } from '../import/column-mapping.ts'
import { lat, lon, text } from './common.ts'

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

export const ImportForm = z.object({
  file: z
    .custom<File>((v) => typeof File !== 'undefined' && v instanceof File, 'required: the station file (.xlsx, .csv or .geojson) as multipart field "file"')
    .openapi({ type: 'string', format: 'binary', description: '.xlsx, .csv (UTF-8 ± BOM, GB18030/GBK) or .geojson; at most 20 MB and 50,000 rows' }),
  crs: crsParam.default('wgs84').openapi({ description: 'The coordinate system of lon/lat in the file: WGS-84 (GPS), GCJ-02 (Amap, Tencent) or BD-09 (Baidu)' }),
  dry_run: z.enum(['true', 'false'], { message: 'must be true or false' }).default('true').transform((v) => v === 'true').openapi({ type: 'string', description: 'true (default): report only; false: apply' }),
  on_invalid: z.enum(['reject', 'skip'], { message: 'must be reject or skip' }).default('reject').openapi({ description: 'reject (default): any bad row refuses the whole import; skip: apply the valid rows' }),
  mapping: jsonField(z.record(z.string(), z.enum(IMPORT_FIELDS).nullable()), 'an object of column header → station field (or null to ignore the column)').optional()
    .openapi({ type: 'string', description: `JSON {"column header": field | null}; fields: ${IMPORT_FIELDS.join(', ')}` }),
  sheet: text(200).optional().openapi({ description: 'xlsx: the sheet to read (default the first); the report lists every sheet' }),
  encoding: z.enum(['auto', 'utf-8', 'gb18030'], { message: 'must be auto, utf-8 or gb18030' }).default('auto').openapi({ description: 'CSV text encoding (auto: UTF-8 ± BOM, else GB18030/GBK)' }),
  placed: jsonField(z.record(z.string().regex(/^[0-9]{1,7}$/, 'keys are row numbers'), z.tuple([lon, lat])), 'an object of row number → [lon, lat] (WGS-84) for rows placed on the map').optional()
    .openapi({ type: 'string', description: 'JSON {"row": [lon, lat]}: WGS-84 positions the editor placed "to place" rows at' }),
})

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

export const ImportRecord = z
  .object({
    id: z.string(), actor: z.string(), filename: z.string(), format: z.string(), crs: z.string(),
    created: z.number().int(), updated: z.number().int(), unchanged: z.number().int(), skipped: z.number().int(),
    regions: z.array(z.string()), at: z.string(), undone_at: z.string().nullable(), undone_by: z.string().nullable(),
  })
  .openapi('ImportRecord')
