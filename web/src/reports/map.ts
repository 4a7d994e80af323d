/**
 * The editors' small map: the offline basemap every page uses (../map/create-map.ts), the reports
 * with a position as points coloured by problem, the selected one ringed. A click on a point
 * selects its report (the table follows); selecting a row moves the map to its point.
 */
import type { GeoJSONSource, Map } from 'maplibre-gl'
import type { FeatureCollection, Point } from 'geojson'
import type { ReportProblem } from '@core/report-problems.ts'
import { createAtlasMap } from '../map/create-map.ts'
import { featuresBBox, type BBox } from '../map/bounds.ts'
import type { AtlasConfig, RegionCollection } from '../types.ts'
import type { Lang } from '../i18n/lang.ts'
import type { FontFacesSpecification } from 'maplibre-gl'
import { PROBLEM_COLORS } from './problem-colors.ts'
import type { ReportRow } from './paging.ts'

const C = PROBLEM_COLORS
const SOURCE = 'reports'
export const POINT_LAYER = 'report-points'

export interface ReportsMapEvents {
  onSelect(id: string): void
  onIdle(idle: boolean): void
}

export interface ReportsMap {
  map: Map
  /** draws `rows` (those with a position) and rings `selected`; frames them when `frame` */
  show(rows: readonly ReportRow[], selected: string | null, frame: boolean): void
  /** centres the map on a report's point, if it has one */
  focus(row: ReportRow): void
}

export function pointsOf(rows: readonly ReportRow[], selected: string | null): FeatureCollection<Point, { id: string; problem: ReportProblem; selected: boolean }> {
  return {
    type: 'FeatureCollection',
    features: rows.flatMap((r) => (r.position ? [{ type: 'Feature' as const, id: r.id, geometry: { type: 'Point' as const, coordinates: r.position }, properties: { id: r.id, problem: r.problem, selected: r.id === selected } }] : [])),
  }
}

export async function createReportsMap(
  container: HTMLElement,
  o: { regions: RegionCollection; config: AtlasConfig; lang: Lang; fontFaces: FontFacesSpecification },
  ev: ReportsMapEvents,
): Promise<ReportsMap> {
  const start: BBox | null = featuresBBox(o.regions.features.filter((f) => f.properties.focus && f.properties.level === 'county'))
  const map = createAtlasMap({ container, regions: o.regions, config: o.config, lang: o.lang, fontFaces: o.fontFaces, bounds: start, padding: { top: 24, right: 24, bottom: 24, left: 24 } })
  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => ev.onIdle(false))
  map.on('idle', () => ev.onIdle(true))
  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())))

  map.addSource(SOURCE, { type: 'geojson', data: pointsOf([], null) })
  map.addLayer({
    id: POINT_LAYER,
    type: 'circle',
    source: SOURCE,
    // the selected report is drawn last, on top of the others
    layout: { 'circle-sort-key': ['case', ['get', 'selected'], 1, 0] },
    paint: {
      'circle-radius': ['case', ['get', 'selected'], 9, 6],
      'circle-color': ['match', ['get', 'problem'], 'closed', C.closed, 'no_water', C.no_water, 'no_power', C.no_power, 'moved', C.moved, 'dirty', C.dirty, C.other],
      'circle-stroke-color': ['case', ['get', 'selected'], '#111111', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'selected'], 3, 1.5],
    },
  })
  map.on('click', POINT_LAYER, (e) => {
    const id = e.features?.[0]?.properties?.id
    if (typeof id === 'string') ev.onSelect(id)
  })
  map.on('mouseenter', POINT_LAYER, () => (map.getCanvas().style.cursor = 'pointer'))
  map.on('mouseleave', POINT_LAYER, () => (map.getCanvas().style.cursor = ''))

  return {
    map,
    show(rows, selected, frame) {
      const data = pointsOf(rows, selected)
      map.getSource<GeoJSONSource>(SOURCE)?.setData(data)
      if (!frame || !data.features.length) return
      const bbox = featuresBBox(data.features)
      if (!bbox) return
      const [w, s, e, n] = bbox
      // one point, or points close together: not closer than a town's scale
      const pad = 0.02
      map.fitBounds([[w - pad, s - pad], [e + pad, n + pad]], { padding: { top: 40, right: 56, bottom: 48, left: 40 }, maxZoom: 13, duration: 0 })
    },
    focus(row) {
      if (row.position) map.easeTo({ center: row.position, zoom: Math.max(map.getZoom(), 11), duration: 300 })
    },
  }
}
