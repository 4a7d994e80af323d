/**
 * Region sources and layers, shared by the offline basemap (fills, borders, labels) and by a
 * remote basemap (borders only, drawn on top). Only county and city lines from the Chinese source
 * data are drawn: never a national border (DESIGN §5).
 */
import type { FeatureCollection, Point } from 'geojson'
import type { ExpressionSpecification, GeoJSONSourceSpecification, LayerSpecification, Map as MapLibreMap, VectorSourceSpecification, VectorTileSource } from 'maplibre-gl'
import type { Lang } from '../i18n/lang.ts'
import { PROGRAMME_PLACE_CODES, programmePlaces } from '../places.ts'
import type { AnyRegionCollection, RegionProps } from '../types.ts'
import { LABEL_FONT, LABEL_FONT_BOLD } from './fonts.ts'
import { PALETTE } from './palette.ts'

export const REGIONS_SOURCE = 'regions'
export const REGION_LABELS_SOURCE = 'region-labels'
/** Symbol layers whose text follows the UI language. */
export const LABEL_LAYER_IDS = ['county-label', 'city-label', 'place-county-label', 'place-callout-label', 'place-city-callout-label'] as const

const isCounty: ExpressionSpecification = ['==', ['get', 'level'], 'county']
const isCity: ExpressionSpecification = ['==', ['get', 'level'], 'city']
const isFocus: ExpressionSpecification = ['==', ['get', 'focus'], true]
const isPlace: ExpressionSpecification = ['==', ['get', 'place'], true]
const isCallout: ExpressionSpecification = ['==', ['get', 'callout'], true]
/** below this zoom a county place is named beside its outline, above it inside */
const CALLOUT_MAXZOOM = 7
/** 黑河市 is large: once zoomed towards it (≥ 5) its six counties are named instead */
const CITY_CALLOUT_MAXZOOM = 5

const PLACES = new Set<string>(PROGRAMME_PLACE_CODES)

export type LabelPointProps = RegionProps & { place: boolean; callout: boolean }

/**
 * One point per region at its label position (label_lon/label_lat), for the name labels;
 * `place` marks the programme places (黑河市, 金乡县, 南城县). Each place also gets a `callout`
 * point at the east edge of its outline, where its name goes at overview scales, beside the
 * outline rather than over its stations.
 */
export function regionLabelPoints(regions: AnyRegionCollection): FeatureCollection<Point, LabelPointProps> {
  const labels: FeatureCollection<Point, LabelPointProps>['features'] = regions.features.flatMap((f) => {
    const { label_lon, label_lat } = f.properties
    // a region without a label point (none in our data) simply goes unnamed
    if (label_lon === null || label_lat === null) return []
    return [{
      type: 'Feature' as const,
      properties: { ...f.properties, place: PLACES.has(f.properties.code), callout: false },
      geometry: { type: 'Point' as const, coordinates: [label_lon, label_lat] },
    }]
  })
  for (const place of programmePlaces(regions)) {
    const self = regions.features.find((f) => f.properties.code === place.code)
    if (!self) continue
    const [, s, e, n] = place.bbox
    labels.push({
      type: 'Feature',
      properties: { ...self.properties, place: true, callout: true },
      geometry: { type: 'Point', coordinates: [e, (s + n) / 2] },
    })
  }
  return { type: 'FeatureCollection', features: labels }
}

/** Region data for a map: a GeoJSON collection with outlines, or the outline-less summary plus the region tiles' URL. */
export type RegionMapData = AnyRegionCollection & { tiles?: string }

/** Whether the outlines come from region tiles (then every outline layer names its `source-layer`). */
export const regionsTiled = (regions: RegionMapData): boolean => typeof regions.tiles === 'string'

/** Source layer of the region polygons in /api/tiles/regions (api/src/tiles/region-tiles.ts). */
export const REGIONS_SOURCE_LAYER = 'regions'
/** region tiles stop at z 12 (REGION_MAX_ZOOM); MapLibre overzooms them */
const REGION_TILES_MAXZOOM = 12

/**
 * Asks the region tiles again (a page that follows /api/changes turns MapLibre's expiry reloads off,
 * so an import of outlines reaches it this way). A no-op when the outlines are GeoJSON.
 */
export function refreshRegionTiles(map: MapLibreMap): void {
  const source = map.getSource<VectorTileSource>(REGIONS_SOURCE)
  if (source?.type === 'vector' && source.tiles) source.setTiles([...source.tiles])
}

export function regionSources(regions: RegionMapData): Record<string, GeoJSONSourceSpecification | VectorSourceSpecification> {
  const outlines: GeoJSONSourceSpecification | VectorSourceSpecification = regions.tiles
    ? { type: 'vector', tiles: [regions.tiles], maxzoom: REGION_TILES_MAXZOOM, promoteId: { [REGIONS_SOURCE_LAYER]: 'code' } }
    : { type: 'geojson', data: regions as GeoJSON.FeatureCollection, promoteId: 'code' }
  return {
    [REGIONS_SOURCE]: outlines,
    [REGION_LABELS_SOURCE]: { type: 'geojson', data: regionLabelPoints(regions), promoteId: 'code' },
  }
}

/** `text-field` for the language: Chinese names, or English ones (Chinese if missing). */
export function labelTextField(lang: Lang): ExpressionSpecification {
  return lang === 'en' ? ['coalesce', ['get', 'name_en'], ['get', 'name']] : ['get', 'name']
}

export function regionFillLayers(tiled = false): LayerSpecification[] {
  return withSourceLayer(tiled, [
    {
      id: 'county-fill-context',
      type: 'fill',
      source: REGIONS_SOURCE,
      filter: ['all', isCounty, ['!', isFocus]],
      paint: { 'fill-color': PALETTE.contextFill },
    },
    {
      id: 'county-fill-focus',
      type: 'fill',
      source: REGIONS_SOURCE,
      filter: ['all', isCounty, isFocus],
      paint: { 'fill-color': PALETTE.focusFill },
    },
  ])
}

export function regionLineLayers(tiled = false): LayerSpecification[] {
  const width = (lo: number, hi: number): ExpressionSpecification => ['interpolate', ['linear'], ['zoom'], 4, lo, 11, hi]
  return withSourceLayer(tiled, [
    {
      // soft glow around the programme places so they stand out at overview scales
      id: 'place-halo',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: ['in', ['get', 'code'], ['literal', [...PROGRAMME_PLACE_CODES]]],
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': PALETTE.focusHalo,
        'line-width': ['interpolate', ['linear'], ['zoom'], 3, 7, 8, 10],
        'line-blur': ['interpolate', ['linear'], ['zoom'], 3, 5, 8, 8],
        'line-opacity': ['interpolate', ['linear'], ['zoom'], 3, 0.6, 6, 0.3, 8, 0],
      },
    },
    {
      id: 'county-border',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: isCounty,
      layout: { 'line-join': 'round' },
      paint: {
        'line-color': ['case', isFocus, PALETTE.focusBorder, PALETTE.contextBorder],
        'line-width': width(0.5, 1.3),
      },
    },
    {
      // white casing under the city line keeps it readable over fills and station circles
      id: 'city-outline-casing',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: isCity,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.cityCasing, 'line-width': width(2, 5), 'line-opacity': 0.75 },
    },
    {
      id: 'city-outline',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: isCity,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': PALETTE.cityLine, 'line-width': width(1, 1.8), 'line-dasharray': [4, 1.5, 1, 1.5] },
    },
  ])
}

/** Outline layers read the `regions` layer of the region tiles when the outlines are tiled. */
export function withSourceLayer(tiled: boolean, layers: LayerSpecification[]): LayerSpecification[] {
  if (!tiled) return layers
  return layers.map((l) => ('source' in l && l.source === REGIONS_SOURCE ? ({ ...l, 'source-layer': REGIONS_SOURCE_LAYER } as LayerSpecification) : l))
}

/**
 * Labels, lowest priority first (MapLibre places the top layer's labels first): other counties
 * from z5.5, context cities (济宁市, 抚州市) at mid zooms, 金乡县 / 南城县 inside their outline
 * once zoomed in, and every programme place beside its outline at overview scales.
 */
export function regionLabelLayers(lang: Lang): LayerSpecification[] {
  const halo = { 'text-halo-color': PALETTE.labelHalo, 'text-halo-width': 1.5 }
  const notCallout: ExpressionSpecification = ['!', isCallout]
  return [
    {
      id: 'county-label',
      type: 'symbol',
      source: REGION_LABELS_SOURCE,
      filter: ['all', isCounty, ['!', isPlace]],
      minzoom: 5.5,
      layout: {
        'text-field': labelTextField(lang),
        'text-font': [LABEL_FONT],
        'text-size': ['interpolate', ['linear'], ['zoom'], 5.5, 11, 11, 15],
        'text-letter-spacing': 0.06,
        'text-max-width': 8,
        'symbol-sort-key': ['case', isFocus, 0, 1],
      },
      paint: { 'text-color': ['case', isFocus, PALETTE.focusLabel, PALETTE.contextLabel], ...halo },
    },
    {
      id: 'city-label',
      type: 'symbol',
      source: REGION_LABELS_SOURCE,
      filter: ['all', isCity, ['!', isPlace]],
      minzoom: 6.5,
      maxzoom: 9,
      layout: {
        'text-field': labelTextField(lang),
        'text-font': [LABEL_FONT_BOLD],
        'text-size': 13,
        'text-letter-spacing': 0.2,
      },
      paint: { 'text-color': PALETTE.cityLabel, 'text-opacity': 0.75, ...halo },
    },
    {
      id: 'place-county-label',
      type: 'symbol',
      source: REGION_LABELS_SOURCE,
      filter: ['all', isCounty, isPlace, notCallout],
      minzoom: CALLOUT_MAXZOOM,
      layout: {
        'text-field': labelTextField(lang),
        'text-font': [LABEL_FONT_BOLD],
        'text-size': ['interpolate', ['linear'], ['zoom'], 7, 14, 11, 18],
        'text-letter-spacing': 0.12,
      },
      paint: { 'text-color': PALETTE.focusLabel, ...halo, 'text-halo-width': 2 },
    },
    ...(['county', 'city'] as const).map((level): LayerSpecification => ({
      id: level === 'county' ? 'place-callout-label' : 'place-city-callout-label',
      type: 'symbol',
      source: REGION_LABELS_SOURCE,
      filter: ['all', isCallout, ['==', ['get', 'level'], level]],
      maxzoom: level === 'county' ? CALLOUT_MAXZOOM : CITY_CALLOUT_MAXZOOM,
      layout: {
        'text-field': labelTextField(lang),
        'text-font': [LABEL_FONT_BOLD],
        'text-size': ['interpolate', ['linear'], ['zoom'], 3, 13, 7, 16],
        'text-letter-spacing': 0.12,
        'text-anchor': 'left',
        'text-offset': [0.6, 0],
        'text-max-width': 14,
        'text-allow-overlap': true,
      },
      paint: { 'text-color': PALETTE.focusLabel, ...halo, 'text-halo-width': 2 },
    })),
  ]
}
