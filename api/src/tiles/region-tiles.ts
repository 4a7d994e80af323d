import { GeoJSONVT } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { Sql } from '../db/connect.ts'
import { currentDataVersions } from './data-version.ts'
import { regionStationCounts } from './region-counts.ts'
import { TILE_EXTENT } from './station-tiles.ts'

/** Region tiles stop here; a map overzooms them (the TileJSON says maxzoom 12). */
export const REGION_MAX_ZOOM = 12

interface RegionIndex {
  version: number
  polygons: GeoJSONVT
  labels: GeoJSONVT
}

/**
 * Region vector tiles: layer `regions` (polygons simplified per zoom by geojson-vt, properties
 * code, name, name_en, level, focus, parent_code) and layer `region_labels` (the label point of each
 * region with station_count). The geometry index is built once per regions version; counts are
 * read once per stations version (regionStationCounts) and written onto the labels per tile.
 */
export class RegionTiles {
  private index: Promise<RegionIndex> | null = null
  private counts: { version: number; promise: Promise<Map<string, number>> } | null = null

  constructor(private readonly sql: Sql) {}

  /** The tile and the versions it was made from (for the ETag). */
  async tile(z: number, x: number, y: number): Promise<{ regions: number; stations: number; bytes: Uint8Array | null }> {
    const versions = await currentDataVersions(this.sql)
    const index = await this.geometry(versions.regions)
    const counts = await this.stationCounts(versions.stations)
    const polygons = index.polygons.getTile(z, x, y)
    const labels = index.labels.getTile(z, x, y)
    const layers: Record<string, NonNullable<typeof polygons>> = {}
    if (polygons && polygons.features.length) layers.regions = polygons
    if (labels && labels.features.length) {
      layers.region_labels = {
        ...labels,
        features: labels.features.map((f) => ({ ...f, tags: { ...f.tags, station_count: counts.get(String(f.tags?.code)) ?? 0 } })) as unknown as typeof labels.features,
      }
    }
    const bytes = Object.keys(layers).length ? fromGeojsonVt(layers, { version: 2, extent: TILE_EXTENT }) : null
    return { regions: index.version, stations: versions.stations, bytes }
  }

  private async geometry(version: number): Promise<RegionIndex> {
    const current = this.index ? await this.index.catch(() => null) : null
    if (current && current.version >= version) return current
    this.index = this.buildGeometry(version)
    return this.index
  }

  private async buildGeometry(version: number): Promise<RegionIndex> {
    const rows = await this.sql<{ code: string; name: string; name_en: string; level: string; parent_code: string | null; focus: boolean; label: GeoJSON.Point | null; geometry: GeoJSON.MultiPolygon }[]>`
      SELECT code, name, name_en, level, parent_code, focus,
             ST_AsGeoJSON(coalesce(label, ST_PointOnSurface(geom)), 6)::json AS label,
             ST_AsGeoJSON(geom, 6)::json AS geometry
        FROM region ORDER BY code`
    const props = (r: (typeof rows)[number]) => ({ code: r.code, name: r.name, name_en: r.name_en, level: r.level, focus: r.focus, ...(r.parent_code ? { parent_code: r.parent_code } : {}) })
    const options = { maxZoom: REGION_MAX_ZOOM, indexMaxZoom: 5, extent: TILE_EXTENT, buffer: 64, tolerance: 3 }
    return {
      version,
      polygons: new GeoJSONVT({ type: 'FeatureCollection', features: rows.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: props(r) })) }, options),
      labels: new GeoJSONVT({ type: 'FeatureCollection', features: rows.filter((r) => r.label).map((r) => ({ type: 'Feature', geometry: r.label!, properties: props(r) })) }, options),
    }
  }

  private stationCounts(version: number): Promise<Map<string, number>> {
    if (this.counts && this.counts.version >= version) return this.counts.promise
    const promise = regionStationCounts(this.sql)
    promise.catch(() => {
      if (this.counts?.promise === promise) this.counts = null
    })
    this.counts = { version, promise }
    return promise
  }
}

const services = new WeakMap<Sql, RegionTiles>()

export function regionTilesFor(sql: Sql): RegionTiles {
  let s = services.get(sql)
  if (!s) services.set(sql, (s = new RegionTiles(sql)))
  return s
}
