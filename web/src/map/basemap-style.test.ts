/** The basemap styles: streets only when roads are loaded, Tianditu's sources and credit with a key, the tour's night variants. */
import { describe, expect, test } from 'vitest'
import { tourStyle } from '../tour/style.ts'
import type { LoadedRoads, RegionCollection, TiandituBasemap } from '../types.ts'
import { offlineStyle } from './offline-style.ts'
import { PLACE_LABEL_LAYER, ROAD_LAYER_IDS, ROADS_SOURCE } from './road-layers.ts'
import { tiandituStyle, TIANDITU_ANNOTATION_SOURCE, TIANDITU_SOURCE } from './tianditu-style.ts'

const regions: RegionCollection = { type: 'FeatureCollection', features: [] }
const roads: LoadedRoads = { extract: 'town.osm', bounds: [116.3, 35.05, 116.33, 35.066], min_zoom: 10, attribution: '© OpenStreetMap contributors, ODbL' }
const streets = { roads, tileJsonUrl: 'http://127.0.0.1/api/tiles/roads.json' }
const tianditu: TiandituBasemap = {
  layer: 'vec',
  tiles: ['https://t0.tianditu.gov.cn/vec_w/wmts?…&tk=k'],
  annotation_tiles: { zh: ['https://t0.tianditu.gov.cn/cva_w/wmts?…'], en: ['https://t0.tianditu.gov.cn/eva_w/wmts?…'] },
  max_zoom: 18,
  attribution: '© 天地图 · 审图号 GS(2024)0568号',
}
const STATIONS = { tiles: 'http://127.0.0.1/api/tiles/stations/{z}/{x}/{y}.mvt', lat: 35 }
const ids = (s: { layers: { id: string }[] }) => s.layers.map((l) => l.id)

describe('offlineStyle', () => {
  test('has no street source or layer (and so no request, no OSM credit) when no roads are loaded', () => {
    const s = offlineStyle(regions, 'zh', {})
    expect(s.sources[ROADS_SOURCE]).toBeUndefined()
    expect(ids(s).filter((id) => id.startsWith('road-'))).toEqual([])
  })

  test('draws the loaded streets from the TileJSON within their bounds, over the fills and under the borders and labels, crediting OSM', () => {
    const s = offlineStyle(regions, 'en', {}, streets)
    expect(s.sources[ROADS_SOURCE]).toEqual({ type: 'vector', url: streets.tileJsonUrl, bounds: roads.bounds, minzoom: 10, attribution: roads.attribution })
    const order = ids(s)
    for (const id of ROAD_LAYER_IDS) expect(order).toContain(id)
    expect(order.indexOf('road-major')).toBeGreaterThan(order.indexOf('county-fill-focus'))
    expect(order.indexOf('road-major')).toBeLessThan(order.indexOf('county-border'))
    expect(order.indexOf('road-label')).toBeLessThan(order.indexOf('county-label'))
  })

  test('names streets and places in the page language, English falling back to the Chinese name, towns above villages', () => {
    const field = (lang: 'zh' | 'en', id: string) => offlineStyle(regions, lang, {}, streets).layers.find((l) => l.id === id)!.layout!['text-field' as never]
    for (const id of ['road-label', PLACE_LABEL_LAYER]) {
      expect(field('zh', id)).toEqual(['get', 'name'])
      expect(field('en', id)).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name']])
    }
    const place = offlineStyle(regions, 'zh', {}, streets).layers.find((l) => l.id === PLACE_LABEL_LAYER)!
    expect(place).toMatchObject({ source: ROADS_SOURCE, 'source-layer': 'places' })
    // collisions: sorted by rank so a town wins over a neighbourhood, never overlapping
    expect(JSON.stringify(place.layout!['symbol-sort-key' as never])).toContain('rank')
    expect(place.layout!['text-allow-overlap' as never]).toBeUndefined()
  })
})

describe('tiandituStyle', () => {
  test('is Tianditu’s base and annotation tiles in the page’s language, with its 审图号 on the base source', () => {
    const s = tiandituStyle(tianditu, 'en', {})
    expect(s.sources[TIANDITU_SOURCE]).toMatchObject({ type: 'raster', tiles: tianditu.tiles, tileSize: 256, maxzoom: 18, attribution: tianditu.attribution })
    expect(s.sources[TIANDITU_ANNOTATION_SOURCE]).toMatchObject({ tiles: tianditu.annotation_tiles.en })
    expect(ids(s)).toEqual(['background', 'tianditu-base', 'tianditu-annotation'])
  })
})

describe('tourStyle', () => {
  test('dims and inverts Tianditu into the night map under translucent counties, and draws no OSM streets then', () => {
    const s = tourStyle(regions, {}, 1, STATIONS, { lang: 'zh', tianditu, streets })
    const base = s.layers.find((l) => l.id === 'tianditu-base')!
    expect(base.paint).toMatchObject({ 'raster-brightness-min': 0.92, 'raster-brightness-max': 0.08 })
    expect(s.sources[ROADS_SOURCE]).toBeUndefined()
    expect(s.layers.find((l) => l.id === 'county-fill')!.paint).toMatchObject({ 'fill-opacity': 0.45 })
  })

  test('draws the streets subtly (night colours, no street names, only towns named) without Tianditu, and nothing extra with no basemap', () => {
    const s = tourStyle(regions, {}, 1, STATIONS, { lang: 'zh', streets })
    expect(ids(s)).toContain('road-major')
    expect(ids(s)).not.toContain('road-label')
    // only towns and cities, dimmed
    expect(s.layers.find((l) => l.id === PLACE_LABEL_LAYER)).toMatchObject({ filter: ['<=', ['to-number', ['get', 'rank'], 6], 1] })
    expect((s.layers.find((l) => l.id === 'road-major')!.paint as Record<string, unknown>)['line-opacity']).toBeLessThan(1)
    expect(ids(tourStyle(regions, {}, 1, STATIONS)).some((id) => id.startsWith('road-') || id.startsWith('tianditu'))).toBe(false)
  })
})
