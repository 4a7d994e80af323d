/**
 * The rider's map (loaded after the list, in its own chunk): the offline county basemap, the rider
 * as a blue dot drawn above everything, and the listed stops as numbered circles, the chosen one
 * larger with a dark ring. Numbered circles are kept apart on screen (spread-discs.ts): one that had
 * to move is joined to its true spot by a thin line ending in a small dot. MapLibre circle/symbol
 * layers only — no deck.gl on this page (bundle size). The other stations around are drawn small from the
 * station vector tiles, as on the planner (layers/station-tile-layers.ts): a view costs its tiles,
 * whatever the number of stations, and the page never downloads the station table.
 */
import type { Feature, FeatureCollection, Point } from 'geojson'
import type { GeoJSONSource, Map as MlMap } from 'maplibre-gl'
import { fetchConfig, fetchRegions, stationTilesUrl } from '../api.ts'
import { getLang, onLangChange } from '../i18n/lang.ts'
import { featuresBBox } from '../map/bounds.ts'
import { createAtlasMap, setLabelLanguage } from '../map/create-map.ts'
import { LABEL_FONT_BOLD } from '../map/fonts.ts'
import { programmePlaces, placeName } from '../places.ts'
import type { AtlasConfig, RegionCollection } from '../types.ts'
import type { BBox } from '../map/bounds.ts'
import { spreadDiscs } from './spread-discs.ts'
import type { JumpPlace } from './where.ts'
import type { RiderStop } from './data.ts'
import { swInControl } from './offline.ts'
import { onceTiles } from './tile-protocol.ts'
import { onDataChange } from '../page/changes.ts'
import { refreshStationTiles, setStationKindFilter, stationSource, stationTileLayers, STATION_COVERAGE_LAYER, STATION_POINT_LAYER, STATIONS_SOURCE } from '../layers/station-tile-layers.ts'
import { STATION_KINDS } from '@core/station-kinds.ts'

export interface RiderMapView {
  map: MlMap
  show(origin: [number, number] | null, stops: RiderStop[], selectedId: string | null, fit: boolean): void
  setPicking(on: boolean): void
  /** [x, y] of a stop on screen (page CSS px), for tests */
  screenPoint(lonlat: [number, number]): { x: number; y: number }
  /** where the numbered circles and the rider's dot are drawn (page CSS px, radius with stroke), for tests */
  markers(): { me: { x: number; y: number; r: number } | null; stops: { id: string; x: number; y: number; r: number }[] }
  /** the programme places, in the UI language */
  places(): JumpPlace[]
  /** fits the view to a county or programme place (and remembers it as the last one used) */
  jumpTo(code: string): void
  /** [west, south, east, north] of the view */
  bounds(): BBox
}

export interface RiderMapEvents {
  onIdle(idle: boolean): void
  onPick(lonlat: [number, number]): void
  onSelect(id: string): void
  /** a county or place the rider looked at: remembered for the next start without a position */
  onCounty(code: string): void
  /** picking: whether a tap now sets the position (zoomed in far enough) or first zooms to a county */
  onPickPrecise(precise: boolean): void
}

/** Below this zoom a tap is too coarse to be a position: in picking mode it zooms to the county tapped. */
export const PICK_MIN_ZOOM = 9
const R_STOP = 13 + 2.5
const R_SELECTED = 17 + 4
const R_ME = 8 + 3

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
/** Room round a fitted county for the zoom buttons and the pick hint. */
const FIT_PADDING = { top: 56, right: 16, bottom: 24, left: 16 }
const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }

const focusCounties = (regions: RegionCollection) => regions.features.filter((f) => f.properties.focus && f.properties.level === 'county')

/** A county, or a programme place with its counties. */
function regionBBox(regions: RegionCollection, code: string): BBox | null {
  return featuresBBox(regions.features.filter((f) => f.properties.code === code || f.properties.parent_code === code))
}

/**
 * Before a position is known: the county used last time (if this phone remembers one), else the
 * counties the atlas covers (the places this page has stations for).
 */
function startBounds(regions: RegionCollection, lastCounty: string | null): BBox | null {
  return (lastCounty ? regionBBox(regions, lastCounty) : null) ?? featuresBBox(focusCounties(regions))
}

export async function createRiderMap(container: HTMLElement, ev: RiderMapEvents, lastCounty: string | null = null): Promise<RiderMapView> {
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
  const map = createAtlasMap({ container, regions, config, lang: getLang(), fontFaces: {}, bounds: startBounds(regions, lastCounty), padding: FIT_PADDING })
  map.setMaxZoom(18)
  // the language switch relabels counties, streets and towns in place, as on the planner
  onLangChange((l) => setLabelLanguage(map, l, config))
  let picking = false
  let precise = map.getZoom() >= PICK_MIN_ZOOM
  const places = programmePlaces(regions)
  const counties = focusCounties(regions).map((f) => ({ code: f.properties.code, bbox: featuresBBox([f])! })).filter((c) => c.bbox)

  function fitBox(b: BBox): void {
    map.fitBounds(b, { padding: FIT_PADDING, duration: 0 })
  }
  function jumpTo(code: string): void {
    const b = regionBBox(regions, code)
    if (!b) return
    fitBox(b)
    ev.onCounty(code)
  }
  /** A tap while zoomed out: the covered county under it (or the place nearest it), else just closer. */
  function zoomTowards(lngLat: { lng: number; lat: number }, point: { x: number; y: number }): void {
    const inside = counties.filter((c) => lngLat.lng >= c.bbox[0] && lngLat.lng <= c.bbox[2] && lngLat.lat >= c.bbox[1] && lngLat.lat <= c.bbox[3])
    const centre = (b: BBox) => map.project([(b[0] + b[2]) / 2, (b[1] + b[3]) / 2])
    const dist = (b: BBox) => Math.hypot(centre(b).x - point.x, centre(b).y - point.y)
    if (inside.length) return jumpTo(inside.sort((a, b) => dist(a.bbox) - dist(b.bbox))[0]!.code)
    const near = places.map((p) => ({ p, d: dist(p.bbox) })).sort((a, b) => a.d - b.d)[0]
    if (near && near.d < 80) return jumpTo(near.p.code)
    map.easeTo({ center: lngLat, zoom: Math.min(map.getZoom() + 3, PICK_MIN_ZOOM), duration: 0 })
  }
  map.on('zoomend', () => {
    const now = map.getZoom() >= PICK_MIN_ZOOM
    if (now !== precise) ev.onPickPrecise((precise = now))
  })

  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => ev.onIdle(false))
  map.on('idle', () => ev.onIdle(true))
  map.on('click', (e) => {
    if (picking) return map.getZoom() >= PICK_MIN_ZOOM ? ev.onPick([e.lngLat.lng, e.lngLat.lat]) : zoomTowards(e.lngLat, e.point)
    const hit = map.queryRenderedFeatures(e.point, { layers: ['stops-circle'] })[0]
    const id = hit?.properties?.id as string | undefined
    if (id) ev.onSelect(id)
  })
  map.on('mousemove', 'stops-circle', () => (map.getCanvas().style.cursor = 'pointer'))
  map.on('mouseleave', 'stops-circle', () => (map.getCanvas().style.cursor = picking ? 'crosshair' : ''))

  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())))
  // every other active station, under the rider's own layers: context, not a choice (the list is the choice);
  // no coverage discs, they are the planner's concern
  map.addSource(STATIONS_SOURCE, stationSource(onceTiles(stationTilesUrl())))
  for (const layer of stationTileLayers({ lat: map.getCenter().lat, font: LABEL_FONT_BOLD, k: 0.8, clusterFill: 'rgba(100,116,139,0.8)' })) if (layer.id !== STATION_COVERAGE_LAYER) map.addLayer(layer)
  setStationKindFilter(map, new Set(STATION_KINDS), ['==', ['get', 'status'], 'active'])
  // one muted grey, small: the kind colours (rider stops are red) would read as the red numbered stops
  map.setPaintProperty(STATION_POINT_LAYER, 'circle-color', '#8b95a5')
  map.setPaintProperty(STATION_POINT_LAYER, 'circle-radius', 4)
  map.setPaintProperty(STATION_POINT_LAYER, 'circle-stroke-width', 1)
  onDataChange('stations', ({ stations: v }) => refreshStationTiles(map, onceTiles(stationTilesUrl(v))))
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
  map.addSource('rider-leaders', { type: 'geojson', data: EMPTY })
  map.addLayer({ id: 'me-halo', type: 'circle', source: 'rider-me', paint: { 'circle-radius': 16, 'circle-color': '#1a62d6', 'circle-opacity': 0.2 } })
  // a moved circle's true spot, and the line to it
  map.addLayer({ id: 'stops-leader', type: 'line', source: 'rider-leaders', filter: ['==', ['geometry-type'], 'LineString'], paint: { 'line-color': '#111827', 'line-width': 1.5 } })
  map.addLayer({ id: 'stops-anchor', type: 'circle', source: 'rider-leaders', filter: ['==', ['geometry-type'], 'Point'], paint: { 'circle-radius': 3, 'circle-color': '#111827', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 1 } })
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
  // the rider above every stop: marker 1 must never hide where they are
  map.addLayer({ id: 'me-dot', type: 'circle', source: 'rider-me', paint: { 'circle-radius': 8, 'circle-color': '#1a62d6', 'circle-stroke-color': '#ffffff', 'circle-stroke-width': 3 } })

  let shown: { origin: [number, number] | null; stops: RiderStop[]; selectedId: string | null } = { origin: null, stops: [], selectedId: null }
  let drawn: { me: { x: number; y: number; r: number } | null; stops: { id: string; x: number; y: number; r: number }[] } = { me: null, stops: [] }

  /** Places the numbered circles apart at the current zoom (screen space) and hands MapLibre their spots. */
  function placeStops(): void {
    const { origin, stops, selectedId } = shown
    const discs = [
      ...(origin ? [{ ...map.project(origin), r: R_ME, fixed: true }] : []),
      ...stops.map((s) => ({ ...map.project(s.geometry.coordinates as [number, number]), r: s.properties.id === selectedId ? R_SELECTED : R_STOP })),
    ]
    const at = spreadDiscs(discs, 3)
    const off = origin ? 1 : 0
    const rect = container.getBoundingClientRect()
    drawn = {
      me: origin ? { x: rect.left + at[0]!.x, y: rect.top + at[0]!.y, r: R_ME } : null,
      stops: stops.map((s, i) => ({ id: s.properties.id, x: rect.left + at[i + off]!.x, y: rect.top + at[i + off]!.y, r: discs[i + off]!.r })),
    }
    const leaders: Feature[] = []
    const features = stops.map((s, i) => {
      const p = at[i + off]!
      const d = discs[i + off]!
      const moved = Math.hypot(p.x - d.x, p.y - d.y) > 2
      const spot = moved ? map.unproject([p.x, p.y]).toArray() as [number, number] : (s.geometry.coordinates as [number, number])
      if (moved) {
        leaders.push({ type: 'Feature', properties: {}, geometry: { type: 'LineString', coordinates: [s.geometry.coordinates as [number, number], spot] } })
        leaders.push({ type: 'Feature', properties: {}, geometry: s.geometry })
      }
      return { type: 'Feature' as const, properties: { id: s.properties.id, rank: i + 1, selected: s.properties.id === selectedId, open: s.properties.open ?? null }, geometry: { type: 'Point' as const, coordinates: spot } }
    })
    // the chosen stop last, so it is drawn on top
    features.sort((a, b) => Number(a.properties.selected) - Number(b.properties.selected))
    ;(map.getSource('rider-stops') as GeoJSONSource).setData({ type: 'FeatureCollection', features })
    ;(map.getSource('rider-leaders') as GeoJSONSource).setData({ type: 'FeatureCollection', features: leaders })
  }
  map.on('zoom', () => shown.stops.length && placeStops())
  ev.onPickPrecise((precise = map.getZoom() >= PICK_MIN_ZOOM))

  return {
    map,
    show(origin, stops, selectedId, fit) {
      const me: FeatureCollection<Point> = origin ? { type: 'FeatureCollection', features: [{ type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: origin } }] } : EMPTY as FeatureCollection<Point>
      ;(map.getSource('rider-me') as GeoJSONSource).setData(me)
      ;(map.getSource('rider-rings') as GeoJSONSource).setData(rings(origin, getLang()))
      shown = { origin, stops, selectedId }
      if (fit) {
        const pts = [...(origin ? [origin] : []), ...stops.map((s) => s.geometry.coordinates as [number, number])]
        if (pts.length) {
          const w = Math.min(...pts.map((p) => p[0])), e = Math.max(...pts.map((p) => p[0]))
          const s = Math.min(...pts.map((p) => p[1])), n = Math.max(...pts.map((p) => p[1]))
          // room for a circle's radius, the zoom buttons (top right) and the scale bar (bottom left)
          const pad = Math.min(40, Math.round(container.clientHeight / 7))
          map.fitBounds([w, s, e, n], { padding: { top: pad, bottom: pad + 12, left: pad, right: pad + 30 }, maxZoom: 16, duration: 0 })
        }
      }
      placeStops()
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
    markers: () => drawn,
    places: () => places.map((p) => ({ code: p.code, name: placeName(p, getLang()) })),
    jumpTo,
    bounds: () => map.getBounds().toArray().flat() as BBox,
  }
}
