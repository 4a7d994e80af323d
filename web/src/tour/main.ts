/**
 * Big-screen tour (`/tour`, 数据大屏): a dark full-screen map that flies from an overview of the
 * programme places to each place and each of its divisions, pausing on each with its caption,
 * station counts, coverage ratio, biggest gap and the programme's published figures; loops forever.
 *
 * The page's state (which stop is on screen, its figures, the stations, the player, the help) lives
 * in one store (../page/store.ts); `render(state, prev)` draws what changed: header, panels, deck.gl
 * layers, map overlays, footer, help. `show()` is the one effect: it flies the camera and loads a
 * stop's figures into the store.
 *
 * Stations are drawn from the station vector tiles (layers/station-tile-layers.ts); only a stop's own
 * stations are downloaded (/api/stations?region=, for its hexagons' coverage and its counts), and the
 * overview's counts come from /api/regions/summary: the tour never downloads the whole table.
 *
 * One map, one deck.gl overlay, one set of HTML map overlays for the whole run (overlays.ts): each
 * stop only swaps filters, layer props and HTML, so a kiosk can loop for days with a flat heap
 * (scripts/tour-heap.ts).
 */
import '../styles/index.ts'
import './tour.css'
import { MapboxOverlay } from '@deck.gl/mapbox'
import { Map, prewarm, setWorkerUrl } from 'maplibre-gl'
import 'maplibre-gl/dist/maplibre-gl.css'
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url'
import { fetchConfig, fetchStationLite, fetchRegionSummary, regionTilesUrl, roadTileJsonUrl, stationTilesUrl, type CoverageResponse } from '../api.ts'
import { refreshStationTiles, setCoverageLatitude, setStationKindFilter } from '../layers/station-tile-layers.ts'
import { refreshRegionTiles } from '../map/region-layers.ts'
import { STATION_KINDS } from '@core/station-kinds.ts'
import { byId, esc } from '../dom.ts'
import { getLang, onLangChange, otherLang, setLang, type Lang } from '../i18n/lang.ts'
import { IdleTracker } from '../page/idle.ts'
import { onDataChange } from '../page/changes.ts'
import { startPage } from '../page/page.ts'
import { createStore } from '../page/store.ts'
import { fontFacesFromPage, stylesheetsLoaded } from '../map/fonts.ts'
import { setTiandituLanguage } from '../map/tianditu-style.ts'
import type { AtlasConfig, RegionSummary, StationLite } from '../types.ts'
import type { RegionMapData } from '../map/region-layers.ts'
import { cameraFor, mapPadding, spanMetres } from './camera.ts'
import { cacheSize, cachedGet, coverageRequest, forgetCached, getDemand, getProgrammes, topGapRequest } from './data.ts'
import { footHtml, renderHead, startClock } from './frame.ts'
import { helpHtml } from './help.ts'
import { hexCells, maxWeight } from './hexes.ts'
import { bindKeys } from './keys.ts'
import { tourLayers, type HexCell, type PlaceColumn } from './layers.ts'
import { leftHtml, rightHtml, type Slot, type StopPanels } from './panels.ts'
import { flightMs, parseTourParams } from './params.ts'
import { MapOverlays, labelPoints } from './overlays.ts'
import { Player, type PlayerState } from './player.ts'
import { uiScale } from './scale.ts'
import { buildStops, memberCodes, overviewMembers, type Stop } from './stops.ts'
import { s } from './strings.ts'
import { codeIn, HIGHLIGHT_LAYERS, tourStyle } from './style.ts'
import { tourHooks, type TourHooks } from './test-hooks.ts'
import { biggestGap, combineCoverage, countRegions, countStations, coverageView, findProgramme, gapView, programmeView, sourceLine, type ComparisonRow, type GapView } from './view.ts'

setWorkerUrl(workerUrl)
prewarm() // the tile workers start while the first API answers are awaited, not when the map is made

const reducedMotion = matchMedia('(prefers-reduced-motion: reduce)').matches
/** H3 resolution of the demand hexagons: coarser for a whole city, so a stop draws a few thousand at most */
const RES = { city: 7, county: 8 } as const
/** a stop that never reports idle (lost frame, failed request) still moves on after this */
const ARRIVAL_TIMEOUT_MS = 15_000
/** the cards' entrance animation (tour.css: 700 ms + 240 ms stagger) */
const ENTER_MS = 1000

interface StopData {
  coverage: Slot<ReturnType<typeof coverageView>>
  comparison: ComparisonRow[] | null
  gap: Slot<GapView>
  cells: HexCell[]
  columns: PlaceColumn[]
}

/** Everything the tour shows, in one value (render(state, prev) below). */
interface TourState {
  lang: Lang
  /** the stop's own stations (/api/stations?region=), refreshed from the cache at each stop; none on the overview */
  stations: StationLite[]
  /** the stop on screen (-1 before the first) */
  step: number
  /** its figures; empty while they load (the previous stop's layers stay meanwhile) */
  data: Partial<StopData>
  /** the panels show this stop (its figures arrived, or it has been loading for 400 ms) */
  entered: boolean
  player: PlayerState
  help: boolean
}

const { options: o, problems } = parseTourParams(location.search)
for (const p of problems) console.warn(`tour: ${p}`)

startPage<TourHooks>({
  hooks: (lang) => ({ ...tourHooks(lang, problems), cacheSize }),
  rememberedLang: false, // a big screen speaks Chinese unless the URL says otherwise
  start: ({ hooks, lang }) => runTour(hooks, lang),
  fail(message) {
    const left = document.getElementById('left')
    if (left) left.innerHTML = `<section class="t-card"><p class="t-error">${esc(s('error'))}${esc(message)}</p></section>`
  },
})

async function runTour(hooks: TourHooks, lang: Lang): Promise<void> {

  const head = byId('head')
  const left = byId('left')
  const right = byId('right')
  const foot = byId('foot')
  const help = byId('help')
  const mapEl = byId('map')
  renderHead(head, false)
  left.innerHTML = `<section class="t-card"><p class="t-quiet">${esc(s('loading'))}</p></section>`

  // a stop's own stations: bounded by its region, never the whole table
  const stationsLoad = (stop: Stop) => (stop.code ? cachedGet<StationLite[]>(`stations:${stop.code}`, () => fetchStationLite({ region: stop.code! })) : Promise.resolve([]))
  const [firstSummary, programmes, config] = await Promise.all([
    cachedGet<RegionSummary>('regions', fetchRegionSummary),
    getProgrammes().catch((e: unknown) => e as Error),
    fetchConfig().catch((): AtlasConfig => ({ basemap_style_url: null, basemap_attribution: null })),
  ])
  await stylesheetsLoaded()
  let summary = firstSummary
  const regions: RegionMapData = { ...summary, tiles: regionTilesUrl() }
  const hasDemo = summary.features.some((f) => f.properties.own_demo_count > 0)
  const basemap = { lang: getLang(), tianditu: config.tianditu, streets: config.roads ? { roads: config.roads, tileJsonUrl: roadTileJsonUrl() } : null }
  const basemapCredits = config.tianditu ? [config.tianditu.attribution] : config.roads ? [config.roads.attribution] : []

  const { stops, unknown } = buildStops(regions, o)
  for (const c of unknown) problems.push(`regions: ${c} is not a region the API serves`)
  if (!stops.length) throw new Error('no stops: check the regions parameter')
  const regionByCode = new globalThis.Map(regions.features.map((f) => [f.properties.code, f.properties]))
  const regionName = (code: string | null) => {
    const r = code ? regionByCode.get(code) : undefined
    return r ? (getLang() === 'en' ? r.name_en : r.name) : null
  }
  hooks.steps = stops.length
  hooks.stops = stops.map((st) => ({ code: st.code, level: st.level }))

  const k = uiScale()
  const map = new Map({
    container: mapEl,
    style: tourStyle(regions, fontFacesFromPage(), k, { tiles: stationTilesUrl(), lat: (stops[0]!.bbox[1] + stops[0]!.bbox[3]) / 2 }, basemap),
    bounds: stops[0]!.bbox,
    interactive: false, // nobody at the mouse; keys drive the tour
    attributionControl: false, // sources are named in the footer, at a readable size
    maxPitch: 60,
    renderWorldCopies: false,
    fadeDuration: 0,
    // the tour asks for new tiles itself when /api/changes moves (?v=): MapLibre's own expiry reloads
    // (max-age=2) come back 304, which it takes in without a repaint, so a stop never went idle
    refreshExpiredTiles: false,
  })

  // --- deck.gl overlay; idle = camera landed (ready), data drawn, map idle ---
  let idleWaiter: (() => void) | null = null
  const tracker = new IdleTracker(hooks, () => map.triggerRepaint(), () => idleWaiter?.())
  // interleaved: false — deck.gl 9.4's interleaved mode throws on maplibre-gl 6 (DESIGN §8)
  const overlay = new MapboxOverlay({ interleaved: false, layers: [], onAfterRender: () => tracker.deckDrawn() })
  map.addControl(overlay)
  map.on('idle', () => tracker.mapIdle())
  onDataChange('regions', () => refreshRegionTiles(map))
  for (const busy of ['movestart', 'dataloading', 'styledataloading'] as const) map.on(busy, () => tracker.mapBusy())
  await new Promise<void>((resolve) => (map.loaded() ? resolve() : map.once('load', () => resolve())))
  const shownKinds = new Set(o.kind ? [o.kind] : STATION_KINDS)
  setStationKindFilter(map, stops[0]!.level === 'overview' ? new Set() : shownKinds)
  map.on('moveend', () => setCoverageLatitude(map, map.getCenter().lat))

  // --- the page's state: which stop is on screen, its figures, the player, the help; render(state, prev) draws it ---
  const overlays = new MapOverlays(
    map,
    labelPoints(regions),
    overviewMembers(stops).map((m) => {
      const [, so, e, n] = m.bbox
      return { code: m.code!, position: [e, (so + n) / 2] as [number, number] }
    }),
    k,
  )
  const store = createStore<TourState>({
    lang,
    stations: [],
    step: -1,
    data: {},
    entered: false,
    player: { index: -1, paused: false, loops: 0, dwellMs: 0, dwelling: false },
    help: false,
  })
  store.subscribe(render)
  // an editor changed a station: the map and the counts show it within 5 s; the coverage figures,
  // which depend on every station, are read afresh at the next stop
  onDataChange('stations', ({ stations: v }) => {
    refreshStationTiles(map, stationTilesUrl(v))
    forgetCached((key) => key === 'regions' || key.startsWith('stations:') || key.startsWith('/api/coverage') || key.startsWith('/api/gaps'))
    const stop = stops[store.get().step]
    Promise.all([cachedGet<RegionSummary>('regions', fetchRegionSummary), stop ? stationsLoad(stop) : Promise.resolve([])])
      .then(([next, stations]) => {
        summary = next
        if (stops[store.get().step] === stop) store.set({ stations })
      })
      .catch(() => {})
  })

  let enterUntil = 0
  function render(st: TourState, prev: TourState): void {
    const stop = stops[st.step] ?? null
    const stopChanged = st.step !== prev.step
    const langChanged = st.lang !== prev.lang
    if (langChanged) renderHead(head, hasDemo)
    if (stop && stopChanged) highlight(stop)
    if (stop && st.data.cells && (st.data !== prev.data || stopChanged || st.stations !== prev.stations)) setLayers(st.data.cells, st.data.columns ?? [], onMapFor(stop, st.stations), stop)
    if (stop && st.entered && (!prev.entered || stopChanged || langChanged || st.data !== prev.data || st.stations !== prev.stations)) {
      const fresh = !prev.entered || stopChanged
      for (const el of [left, right]) el.classList.toggle('t-enter', fresh && !reducedMotion)
      const p = panelsFor(stop, st.data, st.stations)
      left.innerHTML = leftHtml(p)
      right.innerHTML = rightHtml(p)
      if (fresh) enterUntil = performance.now() + ENTER_MS
    }
    if (stopChanged || langChanged || st.data !== prev.data) {
      const gap = st.data.gap
      overlays.render({
        lang: st.lang,
        stop,
        // the overview names the gap's place in the panel; at that scale a pin would only cover a column
        gap: stop && stop.level !== 'overview' && gap && !(gap instanceof Error) ? gap : null,
        places: stop?.level === 'overview' ? (st.data.comparison ?? null) : null,
      })
    }
    if (st.player !== prev.player || langChanged) foot.innerHTML = footHtml(stops, stopTitle, st.player, basemapCredits)
    if (st.help !== prev.help || langChanged) {
      help.hidden = !st.help
      help.innerHTML = st.help ? helpHtml() : ''
    }
  }

  /** the stop's stations the tiles show there (the count the test hooks report) */
  function onMapFor(stop: Stop, all: StationLite[]): StationLite[] {
    if (stop.level === 'overview') return []
    const codes = new Set(memberCodes(regions, stop.code!))
    return all.filter((f) => f.properties.region_code && codes.has(f.properties.region_code) && f.properties.status !== 'retired' && (!o.kind || f.properties.kind === o.kind))
  }

  function setLayers(cells: HexCell[], columns: PlaceColumn[], onMap: StationLite[], stop: Stop): void {
    const span = spanMetres(stop)
    const wmax = maxWeight(cells)
    const smax = columns.reduce((m, c) => Math.max(m, c.stations), 1)
    overlay.setProps({
      layers: tourLayers({
        cells,
        elevationScale: wmax > 0 ? (span * 0.16) / wmax : 1,
        columns,
        columnRadius: span * 0.012,
        columnScale: (span * 0.16) / smax,
        stations: onMap,
        route: columns.slice(1).map((c, i) => ({ from: columns[i]!.position, to: c.position })),
        k,
      }),
    })
    // the tiles draw the stations; the overview shows columns instead
    // by filter, not visibility: a hidden source stops loading, and a tile request it drops mid-flight
    // leaves the map never idle (seen at the overview on a cold embedded database)
    setStationKindFilter(map, stop.level === 'overview' ? new Set() : shownKinds)
    hooks.drawn = { cells: cells.length, columns: columns.length, stations: onMap.length }
    tracker.layersChanged()
    map.triggerRepaint()
  }

  function highlight(stop: Stop): void {
    const overview = stop.level === 'overview'
    // the overview outlines each place; a stop fills and outlines its own region
    const codes = overview ? overviewMembers(stops).map((m) => m.code!) : stop.highlight
    map.setFilter('tour-highlight-fill', codeIn(overview ? [] : codes.filter((c) => regionByCode.get(c)?.level === 'county')))
    for (const id of HIGHLIGHT_LAYERS.slice(1)) map.setFilter(id, codeIn(overview || stop.level === 'county' ? codes : [stop.code!]))
  }

  function stopTitle(stop: Stop): string {
    if (stop.level !== 'overview') return getLang() === 'en' ? stop.name_en : stop.name
    const n = overviewMembers(stops).length
    return n === 3 ? s('overview') : s('overviewN', { n })
  }

  function panelsFor(stop: Stop, data: Partial<StopData>, stations: StationLite[]): StopPanels {
    const codes = new Set(stop.level === 'overview' ? stop.highlight : stop.code ? memberCodes(regions, stop.code) : [])
    const lang = getLang()
    const parent = stop.code ? regionByCode.get(stop.code)?.parent_code ?? null : null
    const progs = programmes instanceof Error ? [] : stop.places.flatMap((p) => {
      const prog = findProgramme(programmes, p)
      return prog ? [programmeView(prog, lang, stop.level === 'overview' ? 3 : 6)] : []
    })
    return {
      step: stop.index,
      steps: stops.length,
      level: stop.level,
      code: stop.code,
      title: stopTitle(stop),
      kicker: stop.level === 'overview' ? overviewMembers(stops).map((m) => (lang === 'en' ? m.name_en : m.name)).join(' · ') : [stop.level === 'city' ? s('city') : s('county'), regionName(parent)].filter(Boolean).join(' · '),
      counts: stop.level === 'overview' ? countRegions(summary, codes) : countStations(stations, codes),
      hasDemo,
      coverage: data.coverage,
      comparison: data.comparison ?? null,
      gap: data.gap,
      gapRegionName: data.gap && !(data.gap instanceof Error) && stop.level !== 'county' ? regionName(data.gap.region_code) : null,
      programmes: progs,
      source: programmes instanceof Error ? '' : sourceLine(programmes.source, lang),
    }
  }

  /** Loads a stop's figures; every request may fail on its own (the panel then says "no data"). */
  async function loadStop(stop: Stop, record = false): Promise<StopData> {
    const q = (region: string, resolution?: number) => ({ region, kind: o.kind, layer: o.layer, resolution })
    const settle = <T,>(p: Promise<T>): Promise<T | Error> => p.catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))))
    if (stop.level === 'overview') {
      const members = overviewMembers(stops)
      const covs = members.map((m) => coverageRequest(q(m.code!)))
      // each place's gap on the grid its own stop uses, so the overview and the stop show the same area
      const gapReqs = members.map((m) => topGapRequest(q(m.code!, m.level === 'city' ? RES.city : RES.county)))
      if (record) hooks.queries = { coverage: covs.map((r) => r.path), gaps: gapReqs.map((r) => r.path) }
      const [covRes, gaps] = await Promise.all([Promise.all(covs.map((r) => settle(r.get()))), Promise.all(gapReqs.map((r) => settle(r.get())))])
      const ok = covRes.filter((c): c is CoverageResponse => !(c instanceof Error))
      const comparison = members.map((m, i) => {
        const c = covRes[i]
        return { code: m.code!, name: m.name, name_en: m.name_en, stations: countRegions(summary, new Set(m.highlight)).total, ratio: c instanceof Error || !c ? null : c.ratio, modelled: c instanceof Error || !c ? false : c.layer.modelled }
      })
      const gapViews = gaps.map((g) => (g instanceof Error ? null : gapView(g)))
      const columns: PlaceColumn[] = members.flatMap((m, i) => {
        const r = regionByCode.get(m.code!)
        if (!r || r.label_lon === null || r.label_lat === null) return []
        return [{ code: m.code!, position: [r.label_lon, r.label_lat] as [number, number], stations: comparison[i]!.stations, ratio: comparison[i]!.ratio }]
      })
      return {
        // a sum or a "biggest" over some of the places would be wrong, not partial: all or nothing
        coverage: ok.length === members.length ? combineCoverage(ok) : (covRes.find((c) => c instanceof Error) as Error),
        comparison,
        gap: (gaps.find((g) => g instanceof Error) as Error | undefined) ?? biggestGap(gapViews),
        cells: [],
        columns,
      }
    }
    const res = stop.level === 'city' ? RES.city : RES.county
    const covReq = coverageRequest(q(stop.code!))
    const gapReq = topGapRequest(q(stop.code!, res))
    if (record) hooks.queries = { coverage: [covReq.path], gaps: [gapReq.path] }
    const [cov, gaps, demand] = await Promise.all([settle(covReq.get()), settle(gapReq.get()), settle(getDemand(stop.code!, o.layer, res))])
    const gap = gaps instanceof Error ? gaps : gapView(gaps)
    const cells = demand instanceof Error ? [] : hexCells(demand, store.get().stations, o.kind, gap && !(gap instanceof Error) ? gap.cells : [])
    return { coverage: cov instanceof Error ? cov : coverageView(cov), comparison: null, gap, cells, columns: [] }
  }

  async function show(i: number, isCurrent: () => boolean): Promise<void> {
    const stop = stops[i]!
    tracker.setReady(false)
    hooks.step = i
    hooks.code = stop.code
    hooks.level = stop.level
    const stations = await stationsLoad(stop).catch((): StationLite[] => []) // refreshed after the cache's TTL
    if (!isCurrent()) return
    // the previous stop's layers stay until this one's figures arrive; its panels until they do or 400 ms pass
    store.set({ step: i, stations, data: {}, entered: false })
    const loadingTimer = setTimeout(() => isCurrent() && store.set({ entered: true }), 400)

    const padding = mapPadding(left, right, head, foot, 24 * k)
    // the overview names each place to the east of its outline: keep room for those labels
    if (stop.level === 'overview') padding.right = (padding.right ?? 0) + 16 * 16 * k
    map.setPadding(padding)
    const cam = cameraFor(map, stop, o.pitch)
    const duration = flightMs(o, reducedMotion)
    const landed = new Promise<void>((resolve) => {
      if (!cam) return resolve()
      map.once('moveend', () => resolve())
      map.flyTo({ ...cam, duration, essential: true, curve: 1.3 })
    })

    const data = await loadStop(stop, true)
    clearTimeout(loadingTimer)
    if (!isCurrent()) return
    store.set({ data, entered: true })

    await landed
    // let the panels' entrance finish before calling the stop arrived (screenshots, the dwell)
    const settle = enterUntil - performance.now()
    if (settle > 0) await new Promise((r) => setTimeout(r, settle))
    if (!isCurrent()) return
    tracker.setReady(true)
    await new Promise<void>((resolve) => {
      const timer = setTimeout(done, ARRIVAL_TIMEOUT_MS)
      function done() {
        clearTimeout(timer)
        idleWaiter = null
        resolve()
      }
      idleWaiter = done
      tracker.check()
      map.triggerRepaint()
    })
    // fetch the next stop while this one is on screen
    const next = stops[(i + 1) % stops.length]
    if (next && isCurrent()) void loadStop(next).catch(() => {})
  }

  const player = new Player({
    count: stops.length,
    dwellMs: o.dwellMs,
    show,
    onChange: (state) => {
      hooks.paused = state.paused
      hooks.loops = state.loops
      store.set({ player: { ...state } })
    },
  })

  hooks.pause = () => player.pause()
  hooks.resume = () => player.resume()
  // the language store tells every page; the tour's state follows it (a big screen never remembers it)
  onLangChange((l) => setTiandituLanguage(map, config.tianditu, l))
  onLangChange((l) => store.set({ lang: l, player: { index: player.index, paused: player.paused, loops: player.loops, dwellMs: 0, dwelling: false } }))

  bindKeys(document, {
    toggle: () => player.toggle(),
    next: () => player.next(),
    prev: () => player.prev(),
    jump: (n) => n < stops.length && player.go(n),
    help: (on) => store.set(({ help }) => ({ help: on ?? !help })),
    lang: () => setLang(otherLang(), { remember: false }),
  })
  renderHead(head, hasDemo)
  startClock()
  window.addEventListener('pagehide', () => player.stop())
  player.go(Math.min(o.start, stops.length - 1))
}
