/**
 * The tour's dark offline basemap: the same region sources as every page (web/src/map), its own
 * night palette and sizes scaled for the big screen. Only county and city lines from the Chinese
 * source data are drawn (DESIGN §5). District names are not map labels: they are HTML above the
 * deck.gl columns (overlays.ts), so no column hides them.
 */
import type { ExpressionSpecification, FontFacesSpecification, LayerSpecification, StyleSpecification } from 'maplibre-gl'
import type { Lang } from '../i18n/lang.ts'
import { REGIONS_SOURCE, regionSources, regionsTiled, withSourceLayer, type RegionMapData } from '../map/region-layers.ts'
import { LABEL_FONT_BOLD } from '../map/fonts.ts'
import { NIGHT_ROADS, placeLabelLayers, roadLineLayers, roadSource } from '../map/road-layers.ts'
import { tiandituLayers, tiandituSources } from '../map/tianditu-style.ts'
import { stationSource, stationTileLayers, STATIONS_SOURCE } from '../layers/station-tile-layers.ts'
import type { LoadedRoads, TiandituBasemap } from '../types.ts'

/** What lies under the counties: Tianditu dimmed to night (TIANDITU_KEY), else the loaded streets, subtly; else nothing. */
export interface TourBasemap {
  lang: Lang
  tianditu?: TiandituBasemap | null
  streets?: { roads: LoadedRoads; tileJsonUrl: string } | null
}

export const NIGHT = {
  background: '#08111f',
  contextFill: '#0e1a2d',
  focusFill: '#12233c',
  highlightFill: '#1d3a63',
  contextLine: '#1f3150',
  focusLine: '#3f6392',
  cityLine: '#8fb3e0',
  highlight: '#ffd36b',
  label: '#dbe7f7',
  labelDim: '#7f93b0',
} as const

export const HIGHLIGHT_LAYERS = ['tour-highlight-fill', 'tour-highlight-glow', 'tour-highlight-line'] as const

const isCounty: ExpressionSpecification = ['==', ['get', 'level'], 'county']
const isCity: ExpressionSpecification = ['==', ['get', 'level'], 'city']
const isFocus: ExpressionSpecification = ['==', ['get', 'focus'], true]
const NOTHING: ExpressionSpecification = ['==', ['get', 'code'], '']

/** Filter for "region code is one of `codes`" (highlight layers). */
export function codeIn(codes: readonly string[]): ExpressionSpecification {
  return codes.length ? ['in', ['get', 'code'], ['literal', [...codes]]] : NOTHING
}

/**
 * `stations`: the station tiles' URL; they are drawn under the highlight lines in the kinds' colours,
 * clustered where dense (the page sets their kind filter and hides them on the overview).
 */
export function tourStyle(regions: RegionMapData, fontFaces: FontFacesSpecification, k: number, stations: { tiles: string; lat: number }, basemap: TourBasemap | null = null): StyleSpecification {
  const tianditu = basemap?.tianditu ?? null
  const streets = tianditu ? null : (basemap?.streets ?? null)
  const layers: LayerSpecification[] = [
    { id: 'background', type: 'background', paint: { 'background-color': NIGHT.background } },
    ...(tianditu ? tiandituLayers(true) : []),
    // over Tianditu the fills only tint it, so its streets and names show through
    { id: 'county-fill', type: 'fill', source: REGIONS_SOURCE, filter: isCounty, paint: { 'fill-color': ['case', isFocus, NIGHT.focusFill, NIGHT.contextFill], 'fill-opacity': tianditu ? 0.45 : 1 } },
    ...(streets ? roadLineLayers(NIGHT_ROADS) : []),
    { id: 'tour-highlight-fill', type: 'fill', source: REGIONS_SOURCE, filter: NOTHING, paint: { 'fill-color': NIGHT.highlightFill, 'fill-opacity': 0.55 } },
    {
      id: 'county-line',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: isCounty,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': ['case', isFocus, NIGHT.focusLine, NIGHT.contextLine], 'line-width': ['case', isFocus, 1.2 * k, 0.8 * k] },
    },
    {
      id: 'city-line',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: isCity,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': NIGHT.cityLine, 'line-opacity': 0.7, 'line-width': 1.5 * k, 'line-dasharray': [4, 1.5, 1, 1.5] },
    },
    // with the streets, only the towns' names, dim: the districts' own names are the tour's labels
    ...(streets && basemap ? placeLabelLayers({ ...NIGHT_ROADS, opacity: 0.7 }, basemap.lang, { maxRank: 1, scale: k }) : []),
    {
      id: 'tour-highlight-glow',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: NOTHING,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': NIGHT.highlight, 'line-opacity': 0.35, 'line-width': 10 * k, 'line-blur': 6 * k },
    },
    {
      id: 'tour-highlight-line',
      type: 'line',
      source: REGIONS_SOURCE,
      filter: NOTHING,
      layout: { 'line-join': 'round' },
      paint: { 'line-color': NIGHT.highlight, 'line-width': 2.5 * k },
    },
    ...stationTileLayers({ k, lat: stations.lat, font: LABEL_FONT_BOLD, clusterFill: 'rgba(143,179,224,0.85)', clusterText: NIGHT.background, clusterStroke: NIGHT.background }),
  ]
  return {
    version: 8,
    name: 'Station Atlas tour (night)',
    // no `glyphs`: labels are drawn in the browser from the self-hosted `font-faces`
    ...(Object.keys(fontFaces).length ? { 'font-faces': fontFaces } : {}),
    sources: {
      ...regionSources(regions),
      [STATIONS_SOURCE]: stationSource(stations.tiles),
      ...(tianditu && basemap ? tiandituSources(tianditu, basemap.lang) : {}),
      ...(streets ? roadSource(streets.roads, streets.tileJsonUrl) : {}),
    },
    layers: withSourceLayer(regionsTiled(regions), layers),
  }
}
