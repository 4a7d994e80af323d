/**
 * Stations drawn by MapLibre from the station vector tiles (/api/tiles/stations, api/src/tiles/):
 * clusters with their counts at low zoom, each station's coverage disc (metres on the ground) and its
 * symbol in its kind's colour (station-style.ts) once unclustered. The page never holds the stations:
 * a view costs its tiles, whatever the table's size.
 *
 * MapLibre layers rather than deck.gl's MVTLayer: MapLibre already fetches, caches (ETag, max-age) and
 * decodes the tiles in its worker, overzooms past the source's maxzoom, places the cluster counts with
 * its collision-aware text (the same self-hosted fonts as the region labels), and draws the stations
 * under the region names instead of on a canvas above them. The kind filter is a layer filter, so
 * ticking a kind costs no request: clusters carry count_<kind> and show the sum of the kinds shown.
 */
import { KIND_INFO, STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { CircleLayerSpecification, ExpressionSpecification, FilterSpecification, LayerSpecification, Map as MapLibreMap, SymbolLayerSpecification, VectorSourceSpecification, VectorTileSource } from 'maplibre-gl'
import { kindColor, RETIRED_COLOR, type RGBA } from './station-style.ts'

export const STATIONS_SOURCE = 'stations'
/** the MVT layer of /api/tiles/stations */
export const STATIONS_SOURCE_LAYER = 'stations'
export const STATION_COVERAGE_LAYER = 'station-tile-coverage'
export const STATION_POINT_LAYER = 'station-tile-points'
export const STATION_CLUSTER_LAYER = 'station-tile-clusters'
export const STATION_CLUSTER_COUNT_LAYER = 'station-tile-cluster-counts'
export const STATION_TILE_LAYERS = [STATION_COVERAGE_LAYER, STATION_POINT_LAYER, STATION_CLUSTER_LAYER, STATION_CLUSTER_COUNT_LAYER] as const

/** clusters end at z 14 on the server (CLUSTER_MAX_ZOOM); from z 15 every tile holds single stations, overzoomed beyond */
const SOURCE_MAXZOOM = 15
/** Earth's circumference at the equator, metres (Web Mercator) */
const EQUATOR_M = 40_075_016.686
/** MapLibre's tile size in CSS px */
const TILE_PX = 512

const rgba = ([r, g, b, a]: RGBA) => `rgba(${r},${g},${b},${(a / 255).toFixed(3)})`
const byKind = (color: (k: StationKind) => string): ExpressionSpecification =>
  ['match', ['get', 'kind'], ...STATION_KINDS.flatMap((k) => [k, color(k)]), rgba(RETIRED_COLOR)] as unknown as ExpressionSpecification
const isCluster: ExpressionSpecification = ['has', 'point_count']
const selected: ExpressionSpecification = ['boolean', ['feature-state', 'selected'], false]

export function stationSource(tiles: string): VectorSourceSpecification {
  return { type: 'vector', tiles: [tiles], minzoom: 0, maxzoom: SOURCE_MAXZOOM, promoteId: { [STATIONS_SOURCE_LAYER]: 'id' } }
}

/** The station's coverage radius in metres: its own radius_m, else its kind's default (as coverage_radius_m). */
const radiusM: ExpressionSpecification = ['coalesce', ['get', 'radius_m'], ['match', ['get', 'kind'], ...STATION_KINDS.flatMap((k) => [k, KIND_INFO[k].radius_m]), 1000]] as unknown as ExpressionSpecification

/**
 * circle-radius of a disc `radius_m` on the ground, in px at every zoom: metres per px halve with
 * each zoom level (exponential base 2), scaled by 1/cos(latitude) at `lat` — the view's centre, set
 * again as the map moves (setCoverageLatitude); inside one county's view that is within 1 %.
 */
export function groundRadius(lat: number): ExpressionSpecification {
  const pxPerMetreAtZ0 = TILE_PX / (EQUATOR_M * Math.cos((lat * Math.PI) / 180))
  return ['interpolate', ['exponential', 2], ['zoom'], 0, ['*', radiusM, pxPerMetreAtZ0], 24, ['*', radiusM, pxPerMetreAtZ0 * 2 ** 24]]
}

export interface StationTileStyle {
  /** px scale (the tour's 4K screens use 2) */
  k?: number
  /** centre latitude for the coverage discs */
  lat: number
  /** cluster disc colour and count text colour */
  clusterFill?: string
  clusterText?: string
  clusterStroke?: string
  /** text font of the cluster counts (the page's self-hosted fonts) */
  font: string
}

export function stationTileLayers(o: StationTileStyle): LayerSpecification[] {
  const k = o.k ?? 1
  const coverage: CircleLayerSpecification = {
    id: STATION_COVERAGE_LAYER,
    type: 'circle',
    source: STATIONS_SOURCE,
    'source-layer': STATIONS_SOURCE_LAYER,
    filter: ['!', isCluster],
    // the widest discs at the bottom, so small ones are not buried under big ones
    layout: { 'circle-sort-key': ['-', 0, radiusM] },
    paint: {
      'circle-radius': groundRadius(o.lat),
      'circle-pitch-alignment': 'map',
      'circle-pitch-scale': 'map',
      // planned stations: an outline only, as the deck.gl layer drew them hollow
      'circle-color': ['case', ['==', ['get', 'status'], 'planned'], 'rgba(0,0,0,0)', byKind((kk) => rgba(kindColor(kk, 30)))],
      'circle-opacity': ['case', selected, 1, 0.9],
      'circle-stroke-color': byKind((kk) => rgba(kindColor(kk, 150))),
      'circle-stroke-width': ['case', selected, 2 * k, 1 * k],
    },
  }
  const points: CircleLayerSpecification = {
    id: STATION_POINT_LAYER,
    type: 'circle',
    source: STATIONS_SOURCE,
    'source-layer': STATIONS_SOURCE_LAYER,
    filter: ['!', isCluster],
    // the few service centres on top of the many others
    layout: { 'circle-sort-key': ['match', ['get', 'kind'], 'service_centre', 3, 'red_sail', 2, 'worksite', 1, 0] },
    paint: {
      'circle-radius': ['+', ['case', ['==', ['get', 'kind'], 'service_centre'], 7 * k, 5 * k], ['case', selected, 2 * k, 0]],
      'circle-color': ['case', ['==', ['get', 'status'], 'planned'], '#ffffff', byKind((kk) => rgba(kindColor(kk)))],
      'circle-stroke-color': ['case', selected, '#141c28', ['==', ['get', 'status'], 'planned'], byKind((kk) => rgba(kindColor(kk))), '#ffffff'],
      'circle-stroke-width': ['case', selected, 2.5 * k, ['==', ['get', 'status'], 'planned'], 2.2 * k, 1.5 * k],
    },
  }
  const clusters: CircleLayerSpecification = {
    id: STATION_CLUSTER_LAYER,
    type: 'circle',
    source: STATIONS_SOURCE,
    'source-layer': STATIONS_SOURCE_LAYER,
    filter: isCluster,
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['get', 'point_count'], 2, 11 * k, 100, 17 * k, 10_000, 26 * k],
      'circle-color': o.clusterFill ?? 'rgba(46,56,70,0.82)',
      'circle-stroke-color': o.clusterStroke ?? '#ffffff',
      'circle-stroke-width': 2 * k,
    },
  }
  const counts: SymbolLayerSpecification = {
    id: STATION_CLUSTER_COUNT_LAYER,
    type: 'symbol',
    source: STATIONS_SOURCE,
    'source-layer': STATIONS_SOURCE_LAYER,
    filter: isCluster,
    layout: { 'text-field': ['get', 'point_count_abbreviated'], 'text-font': [o.font], 'text-size': 12 * k, 'text-allow-overlap': true, 'text-ignore-placement': true },
    paint: { 'text-color': o.clusterText ?? '#ffffff' },
  }
  return [coverage, points, clusters, counts]
}

/** A cluster's stations of the kinds shown: the sum of its count_<kind>. */
function shownCount(kinds: readonly StationKind[]): ExpressionSpecification {
  const terms = kinds.map((kk): ExpressionSpecification => ['to-number', ['get', `count_${kk}`], 0])
  return terms.length === 1 ? terms[0]! : (['+', ...terms] as unknown as ExpressionSpecification)
}

/** k, 1.2k, 12k: cluster counts as short as supercluster's point_count_abbreviated. */
function abbreviated(n: ExpressionSpecification): ExpressionSpecification {
  return ['case',
    ['>=', n, 10_000], ['concat', ['to-string', ['round', ['/', n, 1000]]], 'k'],
    ['>=', n, 1000], ['concat', ['to-string', ['/', ['round', ['/', n, 100]], 10]], 'k'],
    ['to-string', n]]
}

/**
 * Shows the kinds in `visible` (and, with `extra`, only features passing it too, e.g. active only):
 * single stations by kind; clusters by the sum of their visible kinds, which is also the count they show.
 */
export function setStationKindFilter(map: MapLibreMap, visible: ReadonlySet<StationKind>, extra?: FilterSpecification): void {
  const kinds = STATION_KINDS.filter((kk) => visible.has(kk))
  const none: FilterSpecification = ['==', ['get', 'kind'], '']
  const single: FilterSpecification = kinds.length ? ['all', ['!', isCluster], ['in', ['get', 'kind'], ['literal', kinds]], ...(extra ? [extra] : [])] as FilterSpecification : none
  const cluster: FilterSpecification = kinds.length ? ['all', isCluster, ['>', shownCount(kinds), 0]] as FilterSpecification : none
  for (const id of [STATION_COVERAGE_LAYER, STATION_POINT_LAYER]) if (map.getLayer(id)) map.setFilter(id, single)
  for (const id of [STATION_CLUSTER_LAYER, STATION_CLUSTER_COUNT_LAYER]) if (map.getLayer(id)) map.setFilter(id, cluster)
  if (!map.getLayer(STATION_CLUSTER_LAYER)) return
  const all = kinds.length === STATION_KINDS.length
  map.setPaintProperty(STATION_CLUSTER_LAYER, 'circle-radius', ['interpolate', ['linear'], all ? ['get', 'point_count'] : shownCount(kinds), 1, 10, 2, 11, 100, 17, 10_000, 26])
  map.setLayoutProperty(STATION_CLUSTER_COUNT_LAYER, 'text-field', all ? ['get', 'point_count_abbreviated'] : abbreviated(shownCount(kinds)))
}

/** Re-scales the coverage discs for the view's latitude (call on moveend). */
export function setCoverageLatitude(map: MapLibreMap, lat: number): void {
  if (map.getLayer(STATION_COVERAGE_LAYER)) map.setPaintProperty(STATION_COVERAGE_LAYER, 'circle-radius', groundRadius(lat))
}

/** Points the station source at the tiles of a new stations version (after an edit seen at /api/changes). */
export function refreshStationTiles(map: MapLibreMap, tiles: string): void {
  map.getSource<VectorTileSource>(STATIONS_SOURCE)?.setTiles([tiles])
}
