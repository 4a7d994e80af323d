/**
 * The rider's map (loaded after the list, in its own chunk): the offline county basemap, the rider
 * as a blue dot and the listed stops as numbered circles, the chosen one larger with a dark ring.
 * MapLibre circle/symbol layers only — no deck.gl on this page (bundle size).
 */
import type { FeatureCollection, Point } from 'geojson'
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl'
import { fetchConfig, fetchRegions } from '../api.ts'
import { getLang } from '../i18n/lang.ts'
import { featuresBBox } from '../map/bounds.ts'
import { createAtlasMap } from '../map/create-map.ts'
import { LABEL_FONT_BOLD } from '../map/fonts.ts'
import type { AtlasConfig, RegionCollection } from '../types.ts'
import type { RiderStop } from './data.ts'
import { swInControl } from './offline.ts'

export interface RiderMapView {
  map: MlMap
  show(origin: [number, number] | null, stops: RiderStop[], selectedId: string | null, fit: boolean): void
  setPicking(on: boolean): void
  /** [x, y] of a stop on screen (page CSS px), for tests */
  screenPoint(lonlat: [number, number]): { x: number; y: number }
}

export interface RiderMapEvents {
  onIdle(idle: boolean): void
  onPick(lonlat: [number, number]): void
  onSelect(id: string): void
}

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] }
/** distance rings round the rider, metres: the offline basemap has no streets, the rings give scale */
const RINGS_M = [500, 1000, 2000]

/** Rings (64-gons on the sphere) and a label point due north of each. */
function rings(origin: [number, number] | null, lang: 'zh' | 'en'): FeatureCollection {
  if (!origin) return EMPTY
  const [lon0, lat0] = origin
  const R = 6371008.8
  const toRad = Math.PI / 180
  const features: FeatureCollection['features'] = []
  for (const m of RINGS_M) {
    const d = m / R
    const ring: [number, number][] = []
    for (let i = 0; i <= 64; i++) {
      const b = (i / 64) * 2 * Math.PI
      const lat = Math.asin(Math.sin(lat0 * toRad) * Math.cos(d) + Math.cos(lat0 * toRad) * Math.sin(d) * Math.cos(b))
      const lon = lon0 * toRad + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(lat0 * toRad), Math.cos(d) - Math.sin(lat0 * toRad) * Math.sin(lat))
      ring.push([lon / toRad, lat / toRad])
    }
    const label = m < 1000 ? `${m} ${lang === 'zh' ? '米' : 'm'}` : `${m / 1000} ${lang === 'zh' ? '公里' : 'km'}`
    features.push({ type: 'Feature', properties: { label }, geometry: { type: 'LineString', coordinates: ring } })
    features.push({ type: 'Feature', properties: { label }, geometry: { type: 'Point', coordinates: ring[0]! } })
  }
  return { type: 'FeatureCollection', features }
}
const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }

/** Before a position is known: the programme counties (the places this page has stations for). */
function startBounds(regions: RegionCollection) {
  return featuresBBox(regions.features.filter((f) => f.properties.focus && f.properties.level === 'county'))
}

export async function createRiderMap(container: HTMLElement, ev: RiderMapEvents): Promise<RiderMapView> {
  // through the service worker (which claims the page on its first install), so the basemap is
  // saved for offline starts without a second download
  await swInControl(8000)
  // offline with nothing cached: a plain background still shows the dot and the stops
  const [regions, config] = await Promise.all([
    fetchRegions().catch((): RegionCollection => ({ type: 'FeatureCollection', features: [] })),
    fetchConfig().catch(() => NO_CONFIG),
  ])
  // no font-faces: labels and the stop numbers are drawn with the phone's own CJK font, so the
  // page downloads no font files at all
  const map = createAtlasMap({ container, regions, config, lang: getLang(), fontFaces: {}, bounds: startBounds(regions), padding: { top: 56, right: 16, bottom: 16, left: 16 } })
  map.setMaxZoom(18)
  let picking = false

  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => ev.onIdle(false))
  map.on('idle', () => ev.onIdle(true))
  map.on('click', (e) => {
    if (picking) return ev.onPick([e.lngLat.lng, e.lngLat.lat])
    const hit = map.queryRenderedFeatures(e.point, { layers: ['stops-circle'] })[0]
    const id = hit?.properties?.id as string | undefined
    if (id) ev.onSelect(id)
  })
  map.on('mousemove', 'stops-circle', () => (map.getCanvas().style.cursor = 'pointer'))
  map.on('mouseleave', 'stops-circle', () => (map.getCanvas().style.cursor = picking ? 'crosshair' : ''))

  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())))
  map.addSource('rider-rings', { type: 'geojson', data: EMPTY })
  map.addLayer({ id: 'rings-line', type: 'line', source: 'rider-rings', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#1a62d6', 'line-opacity': 0.45, 'line-width': 1.5, 'line-dasharray': [3, 2] } })
  map.addLayer({
    id: 'rings-label',
    type: 'symbol',
    source: 'rider-rings',
    filter: ['==', ['geometry-type'], 'Point'],
    layout: { 'text-field': ['get', 'label'], 'text-font': [LABEL_FONT_BOLD], 'text-size': 12, 'text-allow-overlap': false },
    paint: { 'text-color': '#1a4fa8', 'text-halo-color': '#ffffff', 'text-halo-width': 2 },
  })
  map.addSource('rider-me', { type: 'geojson', data: EMPTY })
  map.addSource('rider-stops', { type: 'geojson', data: EMPTY })
  map.addLayer({ id: 'me-halo', type: 'circle', source: 'rider-me', paint: { 'circle-radius': 16, 'circle-color': '#1a62d6', 'circle-opacity': 0.2 } })
  map.addLayer({ id: 'me-dot', type: 'circle', source: 'rider-me', paint: { 'circle-radius': 8, 'circle-color': '#1a62d6', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } })
  map.addLayer({
    id: 'stops-circle',
    type: 'circle',
    source: 'rider-stops',
    paint: {
      'circle-radius': ['case', ['get', 'selected'], 17, 13],
      'circle-color': ['case', ['==', ['get', 'open'], false], '#6b7280', '#b3202f'],
      'circle-stroke-color': ['case', ['get', 'selected'], '#111827', '#ffffff'],
      'circle-stroke-width': ['case', ['get', 'selected'], 4, 2.5],
    },
  })
  map.addLayer({
    id: 'stops-rank',
    type: 'symbol',
    source: 'rider-stops',
    layout: {
      'text-field': ['to-string', ['get', 'rank']],
      'text-font': [LABEL_FONT_BOLD],
      'text-size': ['case', ['get', 'selected'], 17, 14],
      'text-allow-overlap': true,
      'text-ignore-placement': true,
      'symbol-sort-key': ['case', ['get', 'selected'], 0, 1],
    },
    paint: { 'text-color': '#ffffff' },
  })

  return {
    map,
    show(origin, stops, selectedId, fit) {
      const me: FeatureCollection<Point> = origin ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: origin } }] } : EMPTY as FeatureCollection<Point>
      ;(map.getSource('rider-me') as GeoJSONSource).setData(me)
      ;(map.getSource('rider-rings') as GeoJSONSource).setData(rings(origin, getLang()))
      // the chosen stop last, so it is drawn on top
      const features = stops
        .map((s, i) => ({ type: 'Feature' as const, properties: { id: s.properties.id, rank: i + 1, selected: s.properties.id === selectedId, open: s.properties.open ?? null }, geometry: s.geometry }))
        .sort((a, b) => Number(a.properties.selected) - Number(b.properties.selected))
      ;(map.getSource('rider-stops') as GeoJSONSource).setData({ type: 'FeatureCollection', features })
      if (!fit) return
      const pts = [...(origin ? [origin] : []), ...stops.map((s) => s.geometry.coordinates as [number, number])]
      if (!pts.length) return
      const w = Math.min(...pts.map((p) => p[0])), e = Math.max(...pts.map((p) => p[0]))
      const s = Math.min(...pts.map((p) => p[1])), n = Math.max(...pts.map((p) => p[1]))
      const pad = Math.min(48, Math.round(container.clientHeight / 6))
      map.fitBounds([w, s, e, n], { padding: pad, maxZoom: 16, duration: 0 })
    },
    setPicking(on) {
      picking = on
      map.getCanvas().style.cursor = on ? 'crosshair' : ''
    },
    screenPoint(lonlat) {
      const p = map.project(lonlat)
      const rect = container.getBoundingClientRect()
      return { x: rect.left + p.x, y: rect.top + p.y }
    },
  }
}
