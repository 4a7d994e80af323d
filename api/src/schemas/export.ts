import { z } from '@hono/zod-openapi'
import { layerId } from './demand.ts'
import { bboxParam, kindsParam, regionCode, statusesParam } from './common.ts'
import { crsParam } from './import.ts'

export const exportFormat = z.enum(['xlsx', 'csv', 'geojson'], { message: 'must be xlsx, csv or geojson' }).default('xlsx')

const crs = crsParam.default('wgs84').openapi({ description: 'Coordinates in WGS-84 (default), GCJ-02 (to paste into Amap/Tencent tools) or BD-09 (Baidu)' })

/** The same filters as GET /stations (without paging), plus the format and coordinate system. */
export const StationExportQuery = z.object({
  format: exportFormat,
  crs,
  kind: kindsParam.optional(),
  region: regionCode.optional().openapi({ description: 'A county, or a city (includes its counties)' }),
  bbox: bboxParam.optional(),
  status: statusesParam.optional().openapi({ description: 'Default: planned,active' }),
})

export const DemandExportQuery = z.object({
  format: exportFormat,
  crs,
  layer: layerId.optional(),
  region: regionCode,
})

export const PlanExportQuery = z.object({ format: exportFormat, crs })
