/** GeoJSON shapes of the API contract (DESIGN §4), as the page reads them. */
import type { Feature, FeatureCollection, Geometry, MultiPolygon, Point, Polygon } from 'geojson'
import type { z } from '@hono/zod-openapi'
import type { RegionFeature as RegionSchema, RegionSummaryFeature as RegionSummarySchema } from '../../api/src/schemas/region.ts'
import type { StationProperties } from '../../api/src/schemas/station.ts'
import type { Config } from '../../api/src/schemas/config.ts'

/** Region properties exactly as the API schema declares them (api/src/schemas/region.ts). */
export type RegionProps = z.infer<typeof RegionSchema>['properties']
export type RegionFeature = Feature<MultiPolygon | Polygon, RegionProps>
export type RegionCollection = FeatureCollection<MultiPolygon | Polygon, RegionProps>
/** GET /api/regions/summary: every region without its outline (null geometry, RFC 7946 bbox), with station counts. */
export type RegionSummaryProps = z.infer<typeof RegionSummarySchema>['properties']
export type RegionSummaryFeature = Feature<null, RegionSummaryProps> & { bbox: [number, number, number, number] }
export type RegionSummary = FeatureCollection<null, RegionSummaryProps> & { features: RegionSummaryFeature[] }
/** Either: what code needs only a region's names, codes, label point and bounds takes (featuresBBox reads bbox or geometry). */
export type AnyRegionCollection = FeatureCollection<Geometry | null, RegionProps>

/** Station properties exactly as the API schema declares them (api/src/schemas/station.ts): one source of truth. */
export type StationProps = z.infer<typeof StationProperties>
export type StationFeature = Feature<Point, StationProps>
/**
 * A station as the plan tab and the tour compute with it (GET /api/stations/columns): position, kind,
 * status, name, region, radii and hours, without contact details. A full StationFeature is one too.
 */
export type StationLiteProps = Pick<StationProps, 'id' | 'kind' | 'status' | 'name' | 'region_code' | 'radius_m' | 'opening_hours' | 'coverage_radius_m'>
export type StationLite = Feature<Point, StationLiteProps>
/** What the rider's cards and offline ranking use: the compact columns plus `extra=amenities,address,phone,source`. */
export type RiderStationProps = StationLiteProps & Pick<StationProps, 'amenities' | 'address' | 'phone' | 'source'>
export type RiderStation = Feature<Point, RiderStationProps>
export type StationCollection = FeatureCollection<Point, StationProps> & { next_cursor?: string | null }

type ConfigSchema = z.infer<typeof Config>

/** GET /api/config; `tianditu` and `roads` may be left out (a page's no-config fallback): offline, no streets. */
export interface AtlasConfig {
  basemap_style_url: string | null
  basemap_attribution: string | null
  tianditu?: ConfigSchema['tianditu']
  roads?: ConfigSchema['roads']
}
export type TiandituBasemap = NonNullable<ConfigSchema['tianditu']>
export type LoadedRoads = NonNullable<ConfigSchema['roads']>
