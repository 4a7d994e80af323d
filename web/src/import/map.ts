/**
 * The import page's map: every row of the file with a point, coloured by what the dry run says
 * (new, update, unchanged, problem; placed rows as new). While a row is being placed, a click on
 * the map puts it there; otherwise a click on a point selects its row.
 */
import type { FontFacesSpecification, GeoJSONSource, Map } from 'maplibre-gl'
import type { FeatureCollection, Point, Polygon } from 'geojson'
import { cellToBoundary } from 'h3-js'
import type { ImportReport } from '../api.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import { createAtlasMap } from '../map/create-map.ts'
import type { Lang } from '../i18n/lang.ts'
import type { AtlasConfig, RegionCollection } from '../types.ts'
import { effectiveRow, type ImportState } from './state.ts'
import { ACTION_COLORS } from './view.ts'

const SOURCE = 'import-rows'
export const ROW_LAYER = 'import-rows'

export interface ImportMap {
  map: Map
  show(report: ImportReport | null, placed: ImportState['placed'], selected: number | null, frame: boolean): void
  setPlacing(on: boolean): void
  /** the demand tab's cells ([h3, weight]), shaded by weight; null clears them */
  showCells(cells: Array<[string, number]> | null): void
}

const CELL_SOURCE = 'import-demand-cells'

/** Cells as polygons with their weight's rank (0–1) among the cells, so any unit shades alike. */
export function cellPolygons(cells: Array<[string, number]>): FeatureCollection<Polygon, { weight: number; rank: number }> {
  const sorted = cells.map(([, w]) => w).sort((a, b) => a - b)
  const rank = (w: number) => {
    let lo = 0, hi = sorted.length
    while (lo < hi) {
      const m = (lo + hi) >> 1
      if (sorted[m]! < w) lo = m + 1
      else hi = m
    }
    return sorted.length > 1 ? lo / (sorted.length - 1) : 1
  }
  return {
    type: 'FeatureCollection',
    features: cells.map(([h3, weight]) => {
      const ring = cellToBoundary(h3, true)
      return { type: 'Feature' as const, geometry: { type: 'Polygon' as const, coordinates: [[...ring, ring[0]!]] }, properties: { weight, rank: rank(weight) } }
    }),
  }
}

export function rowPoints(report: ImportReport | null, placed: ImportState['placed'], selected: number | null): FeatureCollection<Point, { row: number; action: string; selected: boolean }> {
  const features = (report?.rows ?? []).flatMap((raw) => {
    const r = effectiveRow(raw, placed)
    return r.lon === undefined || r.lat === undefined ? [] : [{ type: 'Feature' as const, geometry: { type: 'Point' as const, coordinates: [r.lon, r.lat] }, properties: { row: r.row, action: r.action, selected: r.row === selected } }]
  })
  return { type: 'FeatureCollection', features }
}

export async function createImportMap(
  container: HTMLElement,
  o: { regions: RegionCollection; config: AtlasConfig; lang: Lang; fontFaces: FontFacesSpecification },
  ev: { onPick(lonlat: [number, number]): boolean; onSelect(row: number): void; onIdle(idle: boolean): void },
): Promise<ImportMap> {
  const start: BBox | null = featuresBBox(o.regions.features.filter((f) => f.properties.focus && f.properties.level === 'county'))
  const map = createAtlasMap({ container, regions: o.regions, config: o.config, lang: o.lang, fontFaces: o.fontFaces, bounds: start, padding: { top: 24, right: 24, bottom: 24, left: 24 } })
  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => ev.onIdle(false))
  map.on('idle', () => ev.onIdle(true))
  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())))
  map.addSource(CELL_SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } })
  map.addLayer({
    id: CELL_SOURCE,
    type: 'fill',
    source: CELL_SOURCE,
    paint: { 'fill-color': ['interpolate', ['linear'], ['get', 'rank'], 0, '#fde9c8', 0.5, '#f08a3c', 1, '#8f1d0b'], 'fill-opacity': 0.72, 'fill-outline-color': 'rgba(143, 29, 11, 0.25)' },
  })
  map.addSource(SOURCE, { type: 'geojson', data: rowPoints(null, {}, null) })
  const C = ACTION_COLORS
  map.addLayer({
    id: ROW_LAYER,
    type: 'circle',
    source: SOURCE,
    layout: { 'circle-sort-key': ['case', ['get', 'selected'], 1, 0] },
    paint: {
      'circle-radius': ['interpolate', ['linear'], ['zoom'], 8, ['case', ['get', 'selected'], 7, 4], 14, ['case', ['get', 'selected'], 10, 7]],
      'circle-color': ['match', ['get', 'action'], 'create', C.create, 'update', C.update, 'unchanged', C.unchanged, 'reject', C.reject, C.to_place],
      'circle-stroke-color': ['case', ['get', 'selected'], '#111111', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'selected'], 3, 1.2],
    },
  })
  let placing = false
  map.on('click', (e) => {
    if (placing && ev.onPick([Math.round(e.lngLat.lng * 1e7) / 1e7, Math.round(e.lngLat.lat * 1e7) / 1e7])) return
    const f = map.queryRenderedFeatures(e.point, { layers: [ROW_LAYER] })[0]
    const row = f?.properties?.row
    if (typeof row === 'number') ev.onSelect(row)
  })
  map.on('mouseenter', ROW_LAYER, () => !placing && (map.getCanvas().style.cursor = 'pointer'))
  map.on('mouseleave', ROW_LAYER, () => !placing && (map.getCanvas().style.cursor = ''))
  return {
    map,
    show(report, placed, selected, frame) {
      const data = rowPoints(report, placed, selected)
      map.getSource<GeoJSONSource>(SOURCE)?.setData(data)
      if (!frame || !data.features.length) return
      const [w, s, e, n] = featuresBBox(data.features)!
      map.fitBounds([[w - 0.01, s - 0.01], [e + 0.01, n + 0.01]], { padding: 40, maxZoom: 14, duration: 0 })
    },
    showCells(cells) {
      const data = cellPolygons(cells ?? [])
      map.getSource<GeoJSONSource>(CELL_SOURCE)?.setData(data)
      if (!data.features.length) return
      const bbox = featuresBBox(data.features)
      if (bbox) map.fitBounds([[bbox[0] - 0.01, bbox[1] - 0.01], [bbox[2] + 0.01, bbox[3] + 0.01]], { padding: 40, maxZoom: 13, duration: 0 })
    },
    setPlacing(on) {
      placing = on
      map.getCanvas().style.cursor = on ? 'crosshair' : ''
    },
  }
}
