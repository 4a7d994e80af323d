import { geoJSONToTile } from '@maplibre/geojson-vt'
import { fromGeojsonVt } from '@maplibre/vt-pbf'
import { PLACE_CLASSES, PLACE_MIN_ZOOM } from '../core/osm-places.ts'
import type { Sql } from '../db/connect.ts'
import { tileBounds } from './tile-bounds.ts'
import { TILE_EXTENT } from './station-tiles.ts'

/** OSM's licence: required wherever the road layer is shown. */
export const OSM_ATTRIBUTION = '© OpenStreetMap contributors, ODbL'
export const ROAD_MIN_ZOOM = 10
/** the tile set starts here: below ROAD_MIN_ZOOM its tiles hold only the `places` layer (cities) */
export const ROAD_TILESET_MIN_ZOOM = Math.min(ROAD_MIN_ZOOM, ...Object.values(PLACE_MIN_ZOOM))
/** at most this many places per tile, the highest ranked first */
export const PLACE_TILE_MAX_FEATURES = 500
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

/** The place classes in the tiles at zoom z (PLACE_MIN_ZOOM): cities from 8, towns from 10, villages from 12, neighbourhoods from 14. */
export function placeClassesAt(z: number): string[] {
  return PLACE_CLASSES.filter((c) => z >= PLACE_MIN_ZOOM[c])
}

/**
 * Road tile z/x/y from road_edge and road_place, one indexed bbox query each over the tile plus its
 * 64/4096 buffer:
 * - layer `roads` (class, name, name_en): the edges of each way merged back into lines in SQL, then
 *   clipped and simplified for the zoom by geojson-vt (tolerance 3 of 4096 units: a third of a pixel
 *   at 512 px). `name` is what the importer stored: `name:zh`, else `name`; `name_en` is `name:en`.
 * - layer `places` (class, rank, name, name_en, population): the named settlements of placeClassesAt(z),
 *   rank 0 = city … 6 = neighbourhood, within a rank the most populous first (the page sorts labels by
 *   it, so a full view keeps the towns and drops the hamlets).
 */
export async function roadTile(sql: Sql, z: number, x: number, y: number, maxFeatures = ROAD_TILE_MAX_FEATURES): Promise<Uint8Array | null> {
  const classes = roadClassesAt(z)
  const placeClasses = placeClassesAt(z)
  if (classes && classes.length === 0 && placeClasses.length === 0) return null
  const [w, s, e, n] = tileBounds(z, x, y, BUFFER)
  const envelope = sql`ST_MakeEnvelope(${w}, ${s}, ${e}, ${n}, 4326)`
  const rows = classes && classes.length === 0 ? [] : await sql<{ class: string; name: string | null; name_en: string | null; geometry: GeoJSON.LineString | GeoJSON.MultiLineString }[]>`
    SELECT class, name, name_en, ST_AsGeoJSON(ST_LineMerge(ST_Collect(geom)), 7)::json AS geometry
      FROM road_edge
     WHERE geom && ${envelope}
       ${classes ? sql`AND class = ANY(${classes})` : sql``}
     GROUP BY way_id, class, name, name_en
     ORDER BY array_position(${CLASS_RANK}::text[], class) NULLS LAST, way_id
     LIMIT ${maxFeatures}`
  const places = placeClasses.length === 0 ? [] : await sql<{ class: string; rank: number; name: string; name_en: string | null; population: number | null; lon: number; lat: number }[]>`
    SELECT class, array_position(${[...PLACE_CLASSES]}::text[], class) - 1 AS rank, name, name_en, population::float8 AS population,
           ST_X(geom) AS lon, ST_Y(geom) AS lat
      FROM road_place
     WHERE geom && ${envelope} AND class = ANY(${placeClasses})
     ORDER BY rank, population DESC NULLS LAST, id
     LIMIT ${PLACE_TILE_MAX_FEATURES}`
  const layers: Record<string, ReturnType<typeof geoJSONToTile>> = {}
  const opts = { extent: TILE_EXTENT, buffer: 64, tolerance: 3, clip: true }
  if (rows.length) {
    const features = rows.map((r): GeoJSON.Feature => ({ type: 'Feature', geometry: r.geometry, properties: { class: r.class, ...(r.name === null ? {} : { name: r.name }), ...(r.name_en === null ? {} : { name_en: r.name_en }) } }))
    layers.roads = geoJSONToTile({ type: 'FeatureCollection', features }, z, x, y, opts)
  }
  if (places.length) {
    const features = places.map((p): GeoJSON.Feature => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [p.lon, p.lat] },
      properties: { class: p.class, rank: p.rank, name: p.name, ...(p.name_en === null ? {} : { name_en: p.name_en }), ...(p.population === null ? {} : { population: p.population }) },
    }))
    layers.places = geoJSONToTile({ type: 'FeatureCollection', features }, z, x, y, opts)
  }
  const kept = Object.fromEntries(Object.entries(layers).filter(([, t]) => t && t.features.length > 0))
  if (Object.keys(kept).length === 0) return null
  return fromGeojsonVt(kept as never, { version: 2, extent: TILE_EXTENT })
}
