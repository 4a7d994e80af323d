/**
 * The offline basemap: a style built only from the regions the API serves and, when roads are
 * loaded, the API's own street and place tiles (road-layers.ts). No glyphs or sprites: labels come from the
 * self-hosted font files listed in `font-faces` (see fonts.ts). Nothing from outside the server.
 */
import type { FontFacesSpecification, StyleSpecification } from 'maplibre-gl'
import type { Lang } from '../i18n/lang.ts'
import type { LoadedRoads } from '../types.ts'
import { PALETTE } from './palette.ts'
import { regionFillLayers, regionLabelLayers, regionLineLayers, regionSources, regionsTiled, type RegionMapData } from './region-layers.ts'
import { LIGHT_ROADS, placeLabelLayers, roadLabelLayers, roadLineLayers, roadSource } from './road-layers.ts'

/** `streets`: the loaded roads (/api/config) and the URL of their TileJSON; null draws no streets. */
export function offlineStyle(regions: RegionMapData, lang: Lang, fontFaces: FontFacesSpecification, streets: { roads: LoadedRoads; tileJsonUrl: string } | null = null): StyleSpecification {
  return {
    version: 8,
    name: 'Station Atlas offline',
    // no `glyphs`: every label is drawn in the browser from `font-faces`
    ...(Object.keys(fontFaces).length ? { 'font-faces': fontFaces } : {}),
    sources: { ...regionSources(regions), ...(streets ? roadSource(streets.roads, streets.tileJsonUrl) : {}) },
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': PALETTE.background } },
      ...regionFillLayers(regionsTiled(regions)),
      // streets over the county fills, under the borders and every label
      ...(streets ? roadLineLayers() : []),
      ...regionLineLayers(regionsTiled(regions)),
      ...(streets ? roadLabelLayers(LIGHT_ROADS, lang) : []),
      ...(streets ? placeLabelLayers(LIGHT_ROADS, lang) : []),
      ...regionLabelLayers(lang),
    ],
  }
}
