import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { coverageSites } from '../db/coverage-sites.ts'
import { defaultLayerOf, getDemandLayer, loadNamedDemand } from '../db/demand.ts'
import { checkGeoJsonBudget } from '../planning/planning-inputs.ts'
import { requireRegion } from '../db/regions.ts'
import { listStations, type StationFeature } from '../db/stations.ts'
import { attachment, cell, exportPoint, STATION_COLUMNS, stationRows, toCsv, type CrsName, type ExportTable } from '../export/station-table.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { runWork } from '../http/run-work.ts'
import { coverageRadius } from '../core/station-kinds.ts'
import { planFeatures } from '../planning/plan-features.ts'
import { ErrorSchema } from '../schemas/common.ts'
import { DemandExportQuery, PlanExportQuery, StationExportQuery } from '../schemas/export.ts'
import { ScenarioBody } from '../schemas/planning.ts'
import { coverageRuleLabel } from '../planning/coverage-rule-label.ts'

/** The most stations one export holds (a province's worth); past it, 413 names the limit. */
export const MAX_EXPORT_ROWS = 200_000

const CRS_LABEL: Record<CrsName, string> = { wgs84: 'WGS-84 (EPSG:4326)', gcj02: 'GCJ-02 (Amap/Tencent)', bd09: 'BD-09 (Baidu)' }

const download = {
  description: 'A file download',
  content: {
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { schema: z.string().openapi({ format: 'binary' }) },
    'text/csv': { schema: z.string() },
    'application/geo+json': { schema: z.any() },
  },
}

const stationsRoute = createRoute({
  method: 'get',
  path: '/export/stations',
  summary: 'Download stations as .xlsx, CSV (UTF-8 with BOM) or GeoJSON, filtered like GET /stations, coordinates in the asked system',
  request: { query: StationExportQuery },
  responses: { 200: download, 400: jsonContent(ErrorSchema, 'A query parameter broke its rule'), 404: jsonContent(ErrorSchema, 'Unknown region'), 413: jsonContent(ErrorSchema, 'More stations than one export holds') },
})

/** DESIGN §4 names the station export `GET /export`: the same download under the contract's path. */
const contractRoute = createRoute({ ...stationsRoute, path: '/export', summary: 'The station export under DESIGN §4’s path: the same as GET /export/stations' })

const demandRoute = createRoute({
  method: 'get',
  path: '/export/demand',
  summary: 'Download a demand layer of a county or city (cells’ centres or points, weight, source) as .xlsx, CSV or GeoJSON',
  request: { query: DemandExportQuery },
  responses: { 200: download, 400: jsonContent(ErrorSchema, 'A query parameter broke its rule'), 404: jsonContent(ErrorSchema, 'Unknown region or layer'), 413: jsonContent(ErrorSchema, 'Too many demand items') },
})

const planRoute = createRoute({
  method: 'post',
  path: '/export/scenario',
  summary: 'Download a what-if plan without saving it: the body of POST /scenarios; stations marked existing, moved, added or removed',
  request: { query: PlanExportQuery, body: { content: { 'application/json': { schema: ScenarioBody } }, required: true } },
  responses: { 200: download, 400: jsonContent(ErrorSchema, 'The body broke a rule'), 404: jsonContent(ErrorSchema, 'Unknown region or demand layer') },
})

/** Sends the table in the asked format; GeoJSON is built by the caller (features keep their geometry). */
async function send(c: Context<AppEnv>, format: 'xlsx' | 'csv', name: string, table: ExportTable, notes: [string, string][]) {
  if (format === 'csv') return c.body(toCsv(table), 200, { 'Content-Type': 'text/csv; charset=utf-8', 'Content-Disposition': attachment(name, 'csv') })
  // building a workbook of 10^5 rows takes seconds of CPU: a worker thread, under the work budget
  const bytes = await runWork(c, { task: 'build-xlsx', sheet: name, table, notes })
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, {
    'Content-Type': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    'Content-Disposition': attachment(name, 'xlsx'),
  })
}

const geojson = (c: Context<AppEnv>, name: string, body: unknown) =>
  c.body(JSON.stringify(body), 200, { 'Content-Type': 'application/geo+json; charset=utf-8', 'Content-Disposition': attachment(name, 'geojson') })

async function exportStations(c: Context<AppEnv>, q: z.infer<typeof StationExportQuery>) {
  const { sql } = c.var.deps
  const regionCodes = q.region ? await requireRegion(sql, q.region) : undefined
  const features: StationFeature[] = []
  for (let afterId: string | undefined; ; ) {
    const page = await listStations(sql, { kinds: q.kind, regionCodes, bbox: q.bbox, statuses: q.status, limit: 10_000, afterId })
    features.push(...page.features)
    if (features.length > MAX_EXPORT_ROWS) throw new ApiError(413, 'too_large', `more than ${MAX_EXPORT_ROWS} stations match; an export holds at most ${MAX_EXPORT_ROWS}: filter by region, kind or bbox`)
    if (!page.more) break
    afterId = page.features.at(-1)!.id
  }
  const name = `stations-${q.region ?? 'all'}-${q.crs}`
  if (q.format === 'geojson') {
    return geojson(c, name, {
      type: 'FeatureCollection',
      crs_note: `coordinates in ${CRS_LABEL[q.crs]}${q.crs === 'wgs84' ? '' : ' — not RFC 7946 WGS-84: for pasting into that map’s tools only'}`,
      features: features.map((f) => ({ ...f, geometry: { type: 'Point', coordinates: exportPoint(f.geometry.coordinates, q.crs) } })),
    })
  }
  return send(c, q.format, name, { columns: [...STATION_COLUMNS], rows: stationRows(features, q.crs) }, [
    ['coordinates', CRS_LABEL[q.crs]],
    ['exported', new Date().toISOString()],
    ['stations', String(features.length)],
    ['source', 'Station Atlas 驿站覆盖图; rows with source "demo" are 示例数据 / demo data'],
  ])
}

export const exportRoutes = router()
  .openapi(stationsRoute, (c) => exportStations(c, c.req.valid('query')))
  .openapi(contractRoute, (c) => exportStations(c, c.req.valid('query')))
  .openapi(demandRoute, async (c) => {
    const q = c.req.valid('query')
    const { sql } = c.var.deps
    const regionCodes = await requireRegion(sql, q.region)
    const layerId = q.layer ?? (await defaultLayerOf(sql, regionCodes))
    // the file is built whole: checked against the planning memory budget before reading
    await checkGeoJsonBudget(c.var.deps, { layerId, regionCodes, what: `exporting layer ${layerId} of region ${q.region}`, signal: c.req.raw.signal })
    const { layer, items, resolution } = await loadNamedDemand(sql, { layer: layerId, regionCodes })
    const label = layer.modelled ? '模型估算 / modelled' : layer.demo ? '示例数据 / demo' : 'measured'
    const name = `demand-${layer.id}-${q.region}-${q.crs}`
    // the layer's source and licence travel with every copy of its figures (CC BY asks for attribution)
    const licence = layer.licence ?? 'not stated by the source / 来源未注明'
    const meta = { id: layer.id, name: layer.name, name_en: layer.name_en, unit: layer.unit, source: layer.source, licence: layer.licence, figures: label, modelled: layer.modelled, demo: layer.demo, resolution }
    if (q.format === 'geojson') {
      return geojson(c, name, {
        type: 'FeatureCollection', layer: meta, crs_note: `coordinates in ${CRS_LABEL[q.crs]}`,
        features: items.map((i) => ({ type: 'Feature', geometry: { type: 'Point', coordinates: exportPoint([i.lon, i.lat], q.crs) }, properties: { h3: i.h3, weight: i.weight, name: i.name ?? null, region_code: i.region_code } })),
      })
    }
    // CSV has no notes sheet: each row carries the figures' label, source and licence in columns of
    // its own, so a copy of the file (or a pasted range of it) still says where the figures come from
    const perRow = q.format === 'csv' ? [cell(label), cell(layer.source), cell(licence)] : []
    const table: ExportTable = {
      columns: ['h3', 'lon', 'lat', 'weight', 'name', 'region_code', ...(q.format === 'csv' ? ['figures', 'source', 'licence'] : [])],
      rows: items.map((i) => {
        const [lon, lat] = exportPoint([i.lon, i.lat], q.crs)
        return [i.h3, lon, lat, i.weight, cell(i.name ?? null), i.region_code, ...perRow]
      }),
    }
    return send(c, q.format, name, table, [
      ['layer', `${layer.name} / ${layer.name_en}`], ['unit', `${layer.unit} / ${layer.unit_en}`], ['figures', label], ['source', layer.source],
      ['licence', licence], ['resolution', `H3 ${resolution}`], ['coordinates', CRS_LABEL[q.crs]],
    ])
  })
  .openapi(planRoute, async (c) => {
    const q = c.req.valid('query')
    const b = c.req.valid('json')
    const { sql } = c.var.deps
    const regionCodes = await requireRegion(sql, b.region)
    // the export computes no figures, but the body is POST /scenarios's: an unknown layer is a 404 there too
    if (b.layer !== undefined) await getDemandLayer(sql, b.layer)
    const { sites } = await coverageSites(sql, { kinds: [b.kind], regionCodes, radiusM: b.radius_m })
    const features = planFeatures(sites as never, b.edits, b.kind, b.radius_m ?? coverageRadius(b.kind))
    // the rule the plan was viewed under, as asked (this export computes no figures)
    const rule = b.metric === 'network' ? { metric: b.metric, mode: b.mode, minutes: b.minutes } : { metric: b.metric, mode: null, minutes: null }
    const name = `plan-${b.name}-${q.crs}`
    if (q.format === 'geojson') {
      return geojson(c, name, { type: 'FeatureCollection', crs_note: `coordinates in ${CRS_LABEL[q.crs]}`, plan: { name: b.name, kind: b.kind, region: b.region, saved: false, ...rule, coverage_rule: coverageRuleLabel(rule) }, features: features.map((f) => ({ ...f, geometry: { type: 'Point', coordinates: exportPoint(f.geometry.coordinates, q.crs) } })) })
    }
    const table: ExportTable = {
      columns: ['id', 'name', 'kind', 'change', 'lon', 'lat', 'radius_m', 'coverage_rule'],
      rows: features.map((f) => {
        const [lon, lat] = exportPoint(f.geometry.coordinates, q.crs)
        return [cell(f.properties.id), cell(f.properties.name), f.properties.kind, f.properties.change, lon, lat, f.properties.radius_m, coverageRuleLabel(rule)]
      }),
    }
    return send(c, q.format, name, table, [['plan', b.name], ['saved', 'no: exported without saving'], ['coverage rule', coverageRuleLabel(rule)], ['coordinates', CRS_LABEL[q.crs]]])
  })
