/**
 * The offline basemap: a style built only from the regions the API serves. No tiles, glyphs or
 * sprites: labels come from the self-hosted font files listed in `font-faces` (see fonts.ts).
 */
import type { FontFacesSpecification, StyleSpecification } from 'maplibre-gl'
import type { Lang } from '../i18n/lang.ts'
import { PALETTE } from './palette.ts'
import { regionFillLayers, regionLabelLayers, regionLineLayers, regionSources, regionsTiled, type RegionMapData } from './region-layers.ts'

export function offlineStyle(regions: RegionMapData, lang: Lang, fontFaces: FontFacesSpecification): StyleSpecification {
  return {
    version: 8,
    name: 'Station Atlas offline',
    // no `glyphs`: every label is drawn in the browser from `font-faces`
    ...(Object.keys(fontFaces).length ? { 'font-faces': fontFaces } : {}),
    sources: regionSources(regions),
    layers: [
      { id: 'background', type: 'background', paint: { 'background-color': PALETTE.background } },
      ...regionFillLayers(regionsTiled(regions)),
      ...regionLineLayers(regionsTiled(regions)),
      ...regionLabelLayers(lang),
    ],
  }
}
