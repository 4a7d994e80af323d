import { geoJSONToTile } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import type { Sql } from '../db/connect.ts'
import { tileBounds } from './tile-bounds.ts'
import { TILE_EXTENT } from './station-tiles.ts'

/** OSM's licence: required wherever the road layer is shown. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL'
export const ROAD_MIN_ZOOM = 10
/** at most this many ways per tile, the most important classes first */
export const ROAD_TILE_MAX_FEATURES = 4000
const BUFFER = 64 / TILE_EXTENT

// Most important first: the order in which a full tile keeps ways.
const CLASS_RANK = [
  'trunk', 'primary', 'secondary', 'tertiary', 'trunk_link', 'primary_link', 'secondary_link', 'tertiary_link',
  'unclassified', 'residential', 'road', 'living_street', 'service', 'cycleway', 'track', 'pedestrian', 'footway', 'path', 'bridleway', 'steps',
]

/**
 * The OSM `highway=*` classes drawn at zoom z, or null for all: main roads at 10–11; tertiary, links
 * and the streets riders ride (unclassified, residential, road, living_street) from 12 — a 512 px
 * tile at 12 is a 256 px one at 13, where OSM's own map starts streets, and the rider's map of a
 * county seat opens at 12–13 — every class (service, footways, steps) from 14. None below ROAD_MIN_ZOOM.
 */
export function roadClassesAt(z: number): string[] | null {
  if (z < ROAD_MIN_ZOOM) return []
  if (z <= 11) return ['trunk', 'primary', 'secondary']
  if (z <= 13) return CLASS_RANK.slice(0, 12)
  return null
}

/**
 * Road tile z/x/y (layer `roads`: class, name) from road_edge: one indexed bbox query (&& on
 * road_edge_geom_gix) over the tile plus its 64/4096 buffer, the edges of each way merged back into
 * lines in SQL, then clipped and simplified for the zoom by geojson-vt (tolerance 3 of 4096 units:
 * a third of a pixel at 512 px). `name` is what the importer stored: `name:zh`, else `name`.
 */
export async function roadTile(sql: Sql, z: number, x: number, y: number, maxFeatures = ROAD_TILE_MAX_FEATURES): Promise<Uint8Array | null> {
  const classes = roadClassesAt(z)
  if (classes && classes.length === 0) return null
  const [w, s, e, n] = tileBounds(z, x, y, BUFFER)
  const rows = await sql<{ class: string; name: string | null; geometry: GeoJSON.LineString | GeoJSON.MultiLineString }[]>`
    SELECT class, name, ST_AsGeoJSON(ST_LineMerge(ST_Collect(geom)), 7)::json AS geometry
      FROM road_edge
     WHERE geom && ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)
       ${classes ? sql`AND class = ANY(${classes})` : sql``}
     GROUP BY way_id, class, name
     ORDER BY array_position(${CLASS_RANK}::text[], class) NULLS LAST, way_id
     LIMIT ${maxFeatures}`
  if (rows.length === 0) return null
  const tile = geoJSONToTile(
    {
      type: 'FeatureCollection',
      features: rows.map((r) => ({ type: 'Feature', geometry: r.geometry, properties: r.name === null ? { class: r.class } : { class: r.class, name: r.name } })),
    },
    z, x, y,
    { extent: TILE_EXTENT, buffer: 64, tolerance: 3, clip: true },
  )
  if (!tile || tile.features.length === 0) return null
  return fromGeojsonVt({ roads: tile }, { version: 2, extent: TILE_EXTENT })
}
