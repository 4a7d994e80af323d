import { createHash } from 'node:crypto'
import { createRoute, z } from '@hono/zod-openapi'
import { bodyAs, writeRoute } from '../auth/authorize.ts'
import { actorLabel, mayWriteIn } from '../auth/principal.ts'
import { defaultLayers, FALLBACK_LAYER, getDemandLayer, replaceDemandLayer, setDefaultLayer } from '../db/demand.ts'
import { NotFoundError } from '../db/errors.ts'
import { requireRegion } from '../db/regions.ts'
import type { Sql } from '../db/connect.ts'
import type { CountyShape } from '../import/county-locator.ts'
import type { ParsedDemand } from '../import/parse-demand.ts'
import { IMPORT_LIMITS } from '../import/read-table.ts'
import { formatBytes } from '../http/body-limits.ts'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { runWork } from '../http/run-work.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { DefaultLayerBody, DemandImportForm, DemandImportReport } from '../schemas/import.ts'

/**
 * Demand import (issue 12 item 2): POST /api/import/demand reads a GeoTIFF population raster, weighted
 * points or H3 cells in the worker pool, clips it to the counties the editor may write and reports
 * (dry run) or replaces the layer in one transaction (history: change_log). POST /api/demand/default
 * makes a layer the default of a county, which /api/coverage, /gaps, /siting and the planner follow.
 */

const CRS = { wgs84: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' } as const
const PREVIEW_ITEMS = 20_000

const demandImportRoute = writeRoute(
  createRoute({
    method: 'post',
    path: '/import/demand',
    summary: 'Import a demand layer: a GeoTIFF population raster (EPSG:4326; pixels summed into H3 res-9 cells), weighted points or H3 cells, clipped to the counties of your grants; a dry run, or replace the layer in one transaction (editor)',
    request: { body: { content: { 'multipart/form-data': { schema: DemandImportForm } }, required: true } },
    responses: {
      200: jsonContent(DemandImportReport, 'The report; the layer replaced when dry_run=false'),
      400: jsonContent(DemandImportReport.extend({ error: ErrorSchema.shape.error }).partial().or(ErrorSchema), 'A field broke its rule, the file cannot be read (a raster not in EPSG:4326 names the CRS it has), or no demand lies in the counties'),
      422: jsonContent(DemandImportReport.extend({ error: ErrorSchema.shape.error }), 'Rows were rejected with on_invalid=reject: nothing written; the report lists them'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'No demand of the file lies in a county of your grants, or the layer holds demand in counties your grants do not cover'),
      409: jsonContent(ErrorSchema, 'The layer id is a bundled layer (population …): choose another id'),
      413: jsonContent(ErrorSchema, 'More than 20 MB, or a raster of more pixels than are read'),
      503: jsonContent(ErrorSchema, 'Reading the file ran past the work budget'),
    },
  }),
  // Which counties the layer covers is known only once the file is read: the route clips the demand
  // to the counties of the caller's grants, and refuses (403) when none of it lies in them.
  { kind: 'region', regions: async () => null },
)

const defaultRoute = writeRoute(
  createRoute({
    method: 'post',
    path: '/demand/default',
    summary: "Make a demand layer the default of a county (or each county of a city): coverage, gaps and siting without `layer` use it, and the planner opens with it (editor of the region; population puts the modelled layer back)",
    request: { body: { content: { 'application/json': { schema: DefaultLayerBody } }, required: true } },
    responses: {
      200: jsonContent(z.object({ defaults: z.record(z.string(), z.string()) }), "Every county's default layer, after the change"),
      400: jsonContent(ErrorSchema, 'A field broke its rule'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover the region'),
      404: jsonContent(ErrorSchema, 'Unknown region or layer'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const b = await bodyAs(c, DefaultLayerBody)
      return b ? [b.region] : null
    },
  },
)

/** Every county's boundary, for clipping in the worker (a few dozen polygons). */
async function countyShapes(sql: Sql): Promise<(CountyShape & { name: string })[]> {
  return sql<(CountyShape & { name: string })[]>`
    SELECT code, name, ST_AsGeoJSON(geom, 7)::json AS geometry FROM region WHERE level = 'county' ORDER BY code`
}

function report(parsed: ParsedDemand, names: Map<string, string>, q: { layer: string; dryRun: boolean; applied: boolean }) {
  const byRegion = new Map<string, { cells: number; total: number }>()
  let total = 0
  for (const i of parsed.items) {
    const r = byRegion.get(i.region_code) ?? { cells: 0, total: 0 }
    r.cells++
    r.total += i.weight
    total += i.weight
    byRegion.set(i.region_code, r)
  }
  const preview = parsed.items.length <= PREVIEW_ITEMS ? parsed.items : [...parsed.items].sort((a, b) => b.weight - a.weight).slice(0, PREVIEW_ITEMS)
  return {
    dry_run: q.dryRun, applied: q.applied, layer: q.layer, format: parsed.format, kind: parsed.kind, resolution: parsed.resolution,
    cells: parsed.items.length, total,
    by_region: [...byRegion].sort(([a], [b]) => a.localeCompare(b)).map(([code, r]) => ({ code, name: names.get(code) ?? code, ...r })),
    rejected: parsed.rejected.length, rejected_rows: parsed.rejected.slice(0, 200),
    outside: parsed.outside, not_yours: parsed.not_yours,
    ...(parsed.raster ? { raster: parsed.raster } : {}),
    preview: preview.map((i) => [i.h3, i.weight] as [string, number]),
  }
}

export const demandImportRoutes = router()
  .openapi(demandImportRoute, async (c) => {
    const form = c.req.valid('form')
    const file = form.file
    if (file.size > IMPORT_LIMITS.fileBytes) throw new ApiError(413, 'too_large', `file: ${file.size} bytes is more than the import limit of ${formatBytes(IMPORT_LIMITS.fileBytes)} per file`)
    const { sql } = c.var.deps
    const p = c.var.principal!
    // A layer already stored is replaced only by someone who may write everywhere it has demand.
    const [existing] = await sql<{ origin: string; regions: (string | null)[] }[]>`
      SELECT l.origin, coalesce((SELECT array_agg(DISTINCT i.region_code) FROM demand_item i WHERE i.layer_id = l.id), '{}') AS regions
        FROM demand_layer l WHERE l.id = ${form.layer}`
    if (existing?.origin === 'bundled') throw new ApiError(409, 'conflict', `layer: ${form.layer} is a bundled layer loaded with the atlas; import under another id (e.g. ${form.layer}-real)`)
    if (existing && !mayWriteIn(p, existing.regions)) {
      const where = existing.regions.filter((r) => !mayWriteIn(p, [r])).map((r) => r ?? 'outside every county').join(', ')
      throw new ApiError(403, 'forbidden', `layer: ${form.layer} holds demand in region ${where}, which your account may not write; import under another id`)
    }
    const counties = await countyShapes(sql)
    const writable = p.role === 'admin' ? ('all' as const) : counties.map((k) => k.code).filter((code) => mayWriteIn(p, [code]))
    const bytes = new Uint8Array(await file.arrayBuffer())
    const fileSha256 = createHash('sha256').update(bytes).digest('hex')
    const parsed = await runWork(c, {
      task: 'parse-demand', bytes, filename: file.name || 'upload', crs: CRS[form.crs], h3: form.h3,
      counties: counties.map(({ code, geometry }) => ({ code, geometry })), writable,
    })
    if (!parsed.ok) {
      if (parsed.status === 413) throw new ApiError(413, 'too_large', parsed.message)
      const path = ['file', ...(parsed.row !== undefined ? [parsed.row] : []), ...(parsed.column ? [parsed.column] : [])]
      throw new ApiError(400, 'invalid_body', parsed.message, [{ path, message: parsed.message }])
    }
    if (parsed.items.length === 0) {
      if (parsed.not_yours.units > 0) throw new ApiError(403, 'forbidden', `your account may not write in region ${parsed.not_yours.regions.join(', ')}: none of the file's demand lies in a county of your grants`)
      const why = parsed.rejected.length ? `; ${parsed.rejected.length} row(s) rejected, e.g. row ${parsed.rejected[0]!.row}: ${parsed.rejected[0]!.message}` : ''
      throw new ApiError(400, 'invalid_body', `file: no demand lies in a county of the atlas (${parsed.outside.units} outside every county${why})`, [{ path: ['file'], message: 'no demand inside the counties' }])
    }
    const names = new Map(counties.map((k) => [k.code, k.name]))
    if (!form.dry_run) {
      const missing = (['name', 'source'] as const).filter((f) => !form[f])
      if (missing.length) throw new ApiError(400, 'invalid_body', `${missing.join(', ')}: required to apply (the title and the source are shown with every figure on the layer)`, missing.map((f) => ({ path: [f], message: 'required to apply' })))
    }
    if (form.dry_run) return c.json(report(parsed, names, { layer: form.layer, dryRun: true, applied: false }), 200)
    if (parsed.rejected.length > 0 && form.on_invalid === 'reject') {
      const first = parsed.rejected.slice(0, 3).map((r) => `row ${r.row}${r.column ? `, column ${r.column}` : ''}: ${r.message}`)
      return c.json({
        error: {
          code: 'rows_rejected' as const,
          message: `${parsed.rejected.length} row(s) rejected, nothing imported (on_invalid=reject): ${first.join('; ')}`,
          issues: parsed.rejected.slice(0, 50).map((r) => ({ path: ['rows', r.row, r.column ?? 'row'], message: r.message })),
        },
        ...report(parsed, names, { layer: form.layer, dryRun: false, applied: false }),
      }, 422)
    }
    await replaceDemandLayer(sql, {
      id: form.layer, name: form.name!, name_en: form.name_en ?? form.name!, unit: form.unit, unit_en: form.unit_en ?? (form.unit === '人' ? 'people' : form.unit),
      source: form.source!, licence: form.licence ?? null, modelled: false, demo: false, kind: parsed.kind, resolution: parsed.resolution,
    }, parsed.items, { origin: 'user', fileSha256, actor: { id: p.userId, label: actorLabel(p) } })
    return c.json(report(parsed, names, { layer: form.layer, dryRun: false, applied: true }), 200)
  })
  .openapi(defaultRoute, async (c) => {
    const b = c.req.valid('json')
    const { sql } = c.var.deps
    const codes = await requireRegion(sql, b.region)
    const counties = (await sql<{ code: string }[]>`SELECT code FROM region WHERE code = ANY(${codes}) AND level = 'county'`).map((r) => r.code)
    try {
      if (b.layer !== FALLBACK_LAYER) await getDemandLayer(sql, b.layer)
    } catch (err) {
      if (err instanceof NotFoundError) throw new ApiError(404, 'not_found', `layer: no demand layer "${b.layer}"; GET /api/demand/layers lists them`)
      throw err
    }
    const p = c.var.principal!
    await setDefaultLayer(sql, counties, b.layer, { id: p.userId, label: actorLabel(p) })
    return c.json({ defaults: await defaultLayers(sql) }, 200)
  })
