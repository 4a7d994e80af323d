/**
 * Streets and towns on the basemap: the API's road vector tiles (GET /api/tiles/roads.json: layer
 * `roads` with `class` = OSM highway=*, `name` = name:zh or name, `name_en` = name:en; layer `places`
 * with the named settlements, `class` and `rank` 0 = city … 6 = neighbourhood), drawn only when roads
 * are loaded (/api/config `roads`): streets by class with their names along the lines, places by
 * rank, in the page's language (English falls back to the Chinese name). Only highway=* ways and
 * settlement points are in those tiles, so no border from OSM is ever drawn (DESIGN §5). The source
 * carries the ODbL credit, which MapLibre's attribution control shows while the streets are on the map.
 */
import type { ExpressionSpecification, LayerSpecification, SourceSpecification } from 'maplibre-gl'
import type { Lang } from '../i18n/lang.ts'
import type { LoadedRoads } from '../types.ts'
import { LABEL_FONT, LABEL_FONT_BOLD } from './fonts.ts'
import { labelTextField } from './region-layers.ts'

export const ROADS_SOURCE = 'osm-roads'
export const ROAD_LAYER_IDS = ['road-minor-casing', 'road-path', 'road-minor', 'road-major-casing', 'road-major', 'road-label'] as const
export const PLACE_LABEL_LAYER = 'osm-place-label'
/** the symbol layers whose text follows the page language (create-map.ts setLabelLanguage) */
export const ROAD_TEXT_LAYER_IDS = ['road-label', PLACE_LABEL_LAYER] as const

const MAJOR = ['primary', 'primary_link', 'secondary', 'secondary_link', 'trunk', 'trunk_link', 'tertiary', 'tertiary_link']
const PATHS = ['footway', 'path', 'pedestrian', 'steps', 'cycleway', 'bridleway', 'track']
const isMajor: ExpressionSpecification = ['in', ['get', 'class'], ['literal', MAJOR]]
const isPath: ExpressionSpecification = ['in', ['get', 'class'], ['literal', PATHS]]
const isMinor: ExpressionSpecification = ['all', ['!', isMajor], ['!', isPath]]
const isPrimary: ExpressionSpecification = ['in', ['get', 'class'], ['literal', ['primary', 'primary_link', 'secondary', 'secondary_link', 'trunk', 'trunk_link']]]

/** Colours per theme: the light planner/rider basemap, or the tour's night map (quieter). */
export interface RoadTheme {
  major: string
  primary: string
  majorCasing: string
  minor: string
  minorCasing: string
  path: string
  label: string
  labelHalo: string
  opacity: number
  place: string
  placeMinor: string
  placeHalo: string
}

export const LIGHT_ROADS: RoadTheme = {
  major: '#fff3cf',
  primary: '#fbd98a',
  majorCasing: '#c0974d',
  minor: '#ffffff',
  minorCasing: '#a9b1ba',
  path: '#7f8a96',
  label: '#4a5260',
  labelHalo: 'rgba(255, 255, 255, 0.95)',
  opacity: 1,
  place: '#2b3240',
  placeMinor: '#5c6574',
  placeHalo: 'rgba(255, 255, 255, 0.92)',
}

export const NIGHT_ROADS: RoadTheme = {
  major: '#2a4266',
  primary: '#35507a',
  majorCasing: '#0b1526',
  minor: '#1d3050',
  minorCasing: '#0b1526',
  path: '#27405f',
  label: '#8ea3c2',
  labelHalo: 'rgba(8, 17, 31, 0.9)',
  opacity: 0.8,
  place: '#9fb2cf',
  placeMinor: '#6f829f',
  placeHalo: 'rgba(8, 17, 31, 0.9)',
}

/** The vector source over the API's TileJSON, limited to the loaded roads' bounds (no requests elsewhere). */
export function roadSource(roads: LoadedRoads, tileJsonUrl: string): Record<string, SourceSpecification> {
  return { [ROADS_SOURCE]: { type: 'vector', url: tileJsonUrl, bounds: roads.bounds, minzoom: roads.min_zoom, attribution: roads.attribution } }
}

const width = (base: number): ExpressionSpecification => ['interpolate', ['exponential', 1.6], ['zoom'], 10, base * 0.6, 13, base * 1.6, 15, base * 3.2, 17, base * 7]

/** Road lines (under the region borders) and, separately, their name labels (under the region labels). */
export function roadLineLayers(theme: RoadTheme = LIGHT_ROADS): LayerSpecification[] {
  const src = { source: ROADS_SOURCE, 'source-layer': 'roads' } as const
  const round = { 'line-join': 'round', 'line-cap': 'round' } as const
  return [
    { id: 'road-minor-casing', type: 'line', ...src, filter: isMinor, minzoom: 12, layout: round, paint: { 'line-color': theme.minorCasing, 'line-width': width(1.6), 'line-opacity': theme.opacity } },
    { id: 'road-path', type: 'line', ...src, filter: isPath, minzoom: 14, paint: { 'line-color': theme.path, 'line-width': width(0.5), 'line-dasharray': [2, 1.5], 'line-opacity': theme.opacity } },
    { id: 'road-minor', type: 'line', ...src, filter: isMinor, minzoom: 12, layout: round, paint: { 'line-color': theme.minor, 'line-width': width(1), 'line-opacity': theme.opacity } },
    { id: 'road-major-casing', type: 'line', ...src, filter: isMajor, layout: round, paint: { 'line-color': theme.majorCasing, 'line-width': width(2.4), 'line-opacity': theme.opacity } },
    { id: 'road-major', type: 'line', ...src, filter: isMajor, layout: round, paint: { 'line-color': ['case', isPrimary, theme.primary, theme.major], 'line-width': width(1.6), 'line-opacity': theme.opacity } },
  ]
}

/** Street names along the lines, in the page language (name_en on English pages, else name). */
export function roadLabelLayers(theme: RoadTheme = LIGHT_ROADS, lang: Lang = 'zh'): LayerSpecification[] {
  return [
    {
      id: 'road-label',
      type: 'symbol',
      source: ROADS_SOURCE,
      'source-layer': 'roads',
      filter: ['all', ['has', 'name'], ['!=', ['get', 'name'], '']],
      minzoom: 12.5,
      layout: {
        'symbol-placement': 'line',
        'text-field': labelTextField(lang),
        'text-font': [LABEL_FONT],
        'text-size': ['interpolate', ['linear'], ['zoom'], 13, 10, 17, 14],
        'text-max-angle': 30,
        'symbol-spacing': 280,
      },
      paint: { 'text-color': theme.label, 'text-halo-color': theme.labelHalo, 'text-halo-width': 1.4 },
    },
  ]
}

const rank: ExpressionSpecification = ['to-number', ['get', 'rank'], 6]

/**
 * Town, village and neighbourhood names (layer `places`), over the streets: the tiles bring each
 * class from its zoom (cities 8, towns 10, villages 12, neighbourhoods 14); larger places are bigger
 * and bolder and win collisions (symbol-sort-key = rank, then MapLibre drops what overlaps, with
 * padding so names never touch). `maxRank` keeps only the larger classes (the tour shows towns only).
 */
export function placeLabelLayers(theme: RoadTheme = LIGHT_ROADS, lang: Lang = 'zh', options: { maxRank?: number; scale?: number } = {}): LayerSpecification[] {
  const k = options.scale ?? 1
  const major: ExpressionSpecification = ['<=', rank, 1]
  return [
    {
      id: PLACE_LABEL_LAYER,
      type: 'symbol',
      source: ROADS_SOURCE,
      'source-layer': 'places',
      ...(options.maxRank === undefined ? {} : { filter: ['<=', rank, options.maxRank] }),
      layout: {
        'text-field': labelTextField(lang),
        'text-font': ['case', major, ['literal', [LABEL_FONT_BOLD]], ['literal', [LABEL_FONT]]],
        // city 18 · town 15 · suburb/village 13 · quarter/hamlet 12 · neighbourhood 11, a little larger zoomed in
        // (zoom must be the top-level interpolate's input, so the tour's scale goes into each stop)
        'text-size': ['interpolate', ['linear'], ['zoom'], 10, ['match', rank, 0, 17 * k, 1, 14 * k, 2, 12 * k, 3, 12 * k, 11 * k], 16, ['match', rank, 0, 20 * k, 1, 18 * k, 2, 15 * k, 3, 15 * k, 4, 13 * k, 5, 13 * k, 12 * k]],
        'text-letter-spacing': ['case', major, 0.08, 0.03],
        'text-max-width': 7,
        'text-padding': 6,
        'symbol-sort-key': ['+', ['*', rank, 1e9], ['-', 1e9 - 1, ['min', ['coalesce', ['get', 'population'], 0], 1e9 - 1]]],
        'text-variable-anchor': ['center', 'top', 'bottom'],
        'text-radial-offset': 0.4,
      },
      paint: { 'text-color': ['case', major, theme.place, theme.placeMinor], 'text-halo-color': theme.placeHalo, 'text-halo-width': 1.6 * k, 'text-opacity': theme.opacity },
    },
  ]
}
