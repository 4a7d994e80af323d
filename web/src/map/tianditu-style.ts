/**
 * The Tianditu (天地图) basemap as a MapLibre style: the base WMTS layer (vec or img) and its
 * annotation layer in the page's language (cva/eva, cia/eia), raster tiles from /api/config with the
 * key in them. CGCS2000 is taken as WGS-84 (they agree to centimetres): no offset is applied.
 * The tour dims and inverts it into a night map (raster paint only, no other tiles).
 */
import type { FontFacesSpecification, LayerSpecification, Map, RasterTileSource, StyleSpecification } from 'maplibre-gl'
import type { Lang } from '../i18n/lang.ts'
import type { TiandituBasemap } from '../types.ts'

export const TIANDITU_SOURCE = 'tianditu'
export const TIANDITU_ANNOTATION_SOURCE = 'tianditu-annotation'

/** Raster paint for the light pages, or the tour's night look (brightness range inverted, desaturated). */
const PAINT = {
  day: {},
  night: { 'raster-brightness-min': 0.92, 'raster-brightness-max': 0.08, 'raster-saturation': -0.75, 'raster-contrast': 0.1 },
} as const

export function tiandituLayers(night: boolean): LayerSpecification[] {
  const paint = night ? PAINT.night : PAINT.day
  return [
    { id: 'tianditu-base', type: 'raster', source: TIANDITU_SOURCE, paint },
    { id: 'tianditu-annotation', type: 'raster', source: TIANDITU_ANNOTATION_SOURCE, paint: night ? { ...PAINT.night, 'raster-opacity': 0.85 } : {} },
  ]
}

export function tiandituSources(t: TiandituBasemap, lang: Lang): StyleSpecification['sources'] {
  const common = { type: 'raster', tileSize: 256, maxzoom: t.max_zoom } as const
  return {
    [TIANDITU_SOURCE]: { ...common, tiles: t.tiles, attribution: t.attribution },
    [TIANDITU_ANNOTATION_SOURCE]: { ...common, tiles: t.annotation_tiles[lang] },
  }
}

/** A style of Tianditu alone; the page adds its region lines on top (create-map.ts). */
export function tiandituStyle(t: TiandituBasemap, lang: Lang, fontFaces: FontFacesSpecification, night = false): StyleSpecification {
  return {
    version: 8,
    name: 'Station Atlas on Tianditu',
    ...(Object.keys(fontFaces).length ? { 'font-faces': fontFaces } : {}),
    sources: tiandituSources(t, lang),
    layers: [{ id: 'background', type: 'background', paint: { 'background-color': night ? '#08111f' : '#f2efe9' } }, ...tiandituLayers(night)],
  }
}

/** The annotation (place and street names) in the new UI language. */
export function setTiandituLanguage(map: Map, t: TiandituBasemap | null | undefined, lang: Lang): void {
  const source = t && (map.getSource(TIANDITU_ANNOTATION_SOURCE) as RasterTileSource | undefined)
  if (source) source.setTiles(t.annotation_tiles[lang])
}
