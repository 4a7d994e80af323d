/**
 * Rider page (`/rider`): where am I → the five nearest stops, best first → navigate, call or report.
 * Phone first, Chinese by default, works offline once loaded. The map arrives in a later chunk so
 * the list shows first on a slow connection.
 *
 * The page's state lives in one store (../page/store.ts); `render(state, prev)` redraws each part
 * whose inputs changed; events are bound once on the page's root elements.
 */
import '../styles/base.css'
import './rider.css'
import { TRAVEL_ASSUMPTIONS } from '@core/travel-time.ts'
import { byId, esc } from '../dom.ts'
import { langQuery, onLangChange, otherLang, setLang, type Lang } from '../i18n/lang.ts'
import { onDataChange } from '../page/changes.ts'
import { startPage } from '../page/page.ts'
import { createStore } from '../page/store.ts'
import type { RiderStation } from '../types.ts'
import { stopCardHtml } from './card.ts'
import { forgetLoaded, nearest, NoOfflineData, prefetchCounties, savedStations, withOpenFlags, type Filters, type NearestResult } from './data.ts'
import { applyFilterClick, filtersHtml } from './filters.ts'
import { ICONS } from './icons.ts'
import { lastCounty, lastOrigin, locate, rememberLastCounty, rememberOrigin, type LocateFailure, type Origin } from './locate.ts'
import type { RiderMapView } from './map.ts'
import { cacheLoadedFiles, clockText, registerOffline, staleText } from './offline.ts'
import { openReportForm } from './report-form.ts'
import { PLACES, searchPlaces, type SearchHit } from '../place-search.ts'
import { r } from './strings.ts'
import { riderHooks, type RiderHooks } from './test-hooks.ts'
import { isApprox, searchBoxHtml, searchResultsHtml, whereStatusHtml, type JumpPlace } from './where.ts'

/** how long the "report sent" confirmation stays */
const TOAST_MS = 8000

interface RiderState {
  lang: Lang
  origin: Origin | null
  locating: boolean
  failure: LocateFailure | null
  picking: boolean
  /** picking: the map is zoomed in far enough for a tap to be a position */
  pickPrecise: boolean
  filters: Filters
  result: NearestResult | null
  loading: boolean
  error: string | null
  /** offline, and no county's stations saved on this phone yet */
  noOfflineData: boolean
  selectedId: string | null
  /** the latest list request, and the one whose answer is shown */
  seq: number
  renderedSeq: number
  /** bumped when the map should fit the rider and the stops */
  fitSeq: number
  /** station names the search offers: the counties saved on this phone (bounded, saved-counties.ts) */
  searchStations: RiderStation[]
  query: string
  hits: SearchHit[]
  map: 'loading' | 'ready' | 'failed'
  mapIdle: boolean
  places: JumpPlace[]
  toast: { text: string; seq: number } | null
}

startPage<RiderHooks>({
  hooks: riderHooks,
  fail(message) {
    const status = document.getElementById('list-status')
    if (status) status.innerHTML = `<p class="list-note is-error">${esc(r('loadFailed') + message)}</p>`
  },
  async start({ hooks, lang }) {
    const el = {
      top: byId('top'),
      banner: byId('banner'),
      mapWrap: byId('map-wrap'),
      map: byId('map'),
      pickHint: byId('pick-hint'),
      where: byId('where-status'),
      searchBox: byId('search-box'),
      filters: byId('filters'),
      listTitle: byId('list-title'),
      listStatus: byId('list-status'),
      list: byId('list'),
      foot: byId('foot'),
      toast: byId('toast'),
    }

    const store = createStore<RiderState>({
      lang, origin: null, locating: false, failure: null, picking: false, pickPrecise: true,
      filters: { openNow: true, amenities: [] }, result: null, loading: false, error: null, noOfflineData: false,
      selectedId: null, seq: 0, renderedSeq: -1, fitSeq: 0, searchStations: [], query: '', hits: [],
      map: 'loading', mapIdle: false, places: [], toast: null,
    })
    /** the map, once its chunk has loaded (a handle, not state) */
    let view: RiderMapView | null = null
    let fittedSeq = -1

    // ---------- rendering ----------

    const changed = (s: RiderState, prev: RiderState | null, keys: (keyof RiderState)[]) => !prev || keys.some((k) => s[k] !== prev[k])

    function renderTop(s: RiderState): void {
      const demo = s.result?.stops.some((x) => x.properties.source === 'demo') ?? true
      document.title = `${r('title')} · ${s.lang === 'zh' ? '驿站覆盖图' : 'Station Atlas'}`
      el.top.innerHTML = `<a class="brand" href="/rider${langQuery()}">
          <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="14" fill="#b3202f"/><path d="M16 7.5c-4 0-7 3-7 6.8 0 4.8 7 10.2 7 10.2s7-5.4 7-10.2c0-3.8-3-6.8-7-6.8z" fill="#fff"/><circle cx="16" cy="14.2" r="2.6" fill="#b3202f"/></svg>
          <span class="brand-text"><b class="brand-title">${esc(r('title'))}</b><span class="brand-sub">${demo ? `<span class="badge-demo" data-testid="demo-badge">${esc(r('demo'))}</span>` : ''}<small>${esc(r('subtitle'))}</small></span></span>
        </a>
        <div class="top-actions">
          <a class="top-link planner-link" href="/${langQuery()}">${esc(r('planner'))}</a>
          <button type="button" class="top-link" data-action="lang" title="${esc(r('switchLangTitle'))}">${esc(r('switchLang'))}</button>
        </div>`
      // the install manifest in the page's language (the app's id is the same in both)
      byId<HTMLLinkElement>('manifest').href = s.lang === 'en' ? '/rider-en.webmanifest' : '/rider.webmanifest'
    }

    function renderWhere(s: RiderState): void {
      el.where.innerHTML = whereStatusHtml(s)
      el.pickHint.hidden = !s.picking
      el.pickHint.textContent = s.pickPrecise ? r('pickHint') : r('pickZoomHint')
      el.mapWrap.classList.toggle('is-picking', s.picking)
    }

    function renderBanner(s: RiderState): void {
      const res = s.result
      if (res?.source === 'cache') {
        el.banner.hidden = false
        el.banner.className = 'r-banner is-offline'
        el.banner.innerHTML = `${ICONS.offline}<span data-testid="stale-banner">${esc(staleText(res.fetchedAt))}</span>`
      } else if (s.noOfflineData) {
        el.banner.hidden = false
        el.banner.className = 'r-banner is-offline'
        el.banner.innerHTML = `${ICONS.offline}<span>${esc(r('offlineNoData'))}</span>`
      } else {
        el.banner.hidden = true
        el.banner.innerHTML = ''
      }
    }

    function renderList(s: RiderState): void {
      const res = s.result
      el.listTitle.innerHTML = `${esc(r('nearest'))}${res?.stops.length ? rankTagHtml(res) : ''}`
      const approx = isApprox(s.origin)
      let status = ''
      if (s.locating && !s.origin) status = r('locating')
      else if (!s.origin) status = r('needPosition')
      else if (s.loading && !res) status = r('loading')
      else if (s.error) status = r('loadFailed') + s.error
      el.listStatus.innerHTML = status
        ? `<p class="list-note">${esc(status)}</p>`
        : approx && res?.stops.length ? `<p class="list-note is-approx" data-testid="approx-list">${esc(r('approxList'))}</p>` : ''
      if (!res) {
        el.list.innerHTML = ''
      } else if (!res.stops.length) {
        const extra = s.filters.openNow ? `<button type="button" class="btn-act" data-action="show-all">${esc(r('showAll'))}</button>` : ''
        const clear = s.filters.amenities.length ? `<button type="button" class="btn-act" data-action="clear-amenities">${esc(r('clearFilters'))}</button>` : ''
        el.list.innerHTML = `<li class="list-empty" data-testid="list-empty"><p>${esc(s.filters.openNow && !s.filters.amenities.length ? r('noneOpen') : r('noneFound'))}</p>${extra}${clear}</li>`
      } else {
        el.list.innerHTML = res.stops.map((x, i) => stopCardHtml(x, i + 1, x.properties.id === s.selectedId, approx)).join('')
      }
      el.list.setAttribute('aria-busy', String(s.loading))
      const fresh = res && res.source === 'network' ? `<span class="fresh">${esc(r('online', { time: clockText(res.fetchedAt) }))}</span>` : ''
      el.foot.innerHTML = `<p>${esc(r('estimateNote', { detour: TRAVEL_ASSUMPTIONS.detour, walk: TRAVEL_ASSUMPTIONS.walk_kmh, ride: TRAVEL_ASSUMPTIONS.ride_kmh }))}${s.lang === 'zh' ? '' : ' '}${esc(r('distanceNoteEnd'))}</p>
        ${res?.byRoad ? `<p data-testid="road-credit">${esc(r('roadCredit', { extract: res.byRoad.extract }))}</p>` : res?.stops.length ? `<p>${esc(r('straightTagTitle'))}</p>` : ''}
        <p>${esc(r('attrStations'))}${fresh ? ' · ' + fresh : ''}</p>
        <p><a href="/${langQuery()}">${esc(r('planner'))} →</a></p>`
    }

    /** How the list is ranked, beside its title: by riding time on the roads, or (no roads here) by straight line — said, not implied. */
    function rankTagHtml(res: NearestResult): string {
      return res.byRoad
        ? ` <span class="rank-tag is-road" data-testid="road-list">${esc(r('byRoadTag'))}</span>`
        : ` <span class="rank-tag is-straight" data-testid="straight-list" title="${esc(r('straightTagTitle'))}">${esc(r('straightTag'))}</span>`
    }

    function renderSearch(s: RiderState, prev: RiderState | null): void {
      if (!prev || s.lang !== prev.lang) el.searchBox.innerHTML = searchBoxHtml()
      const box = byId('search-results')
      box.innerHTML = searchResultsHtml(s.query, s.hits)
      box.hidden = !s.query.trim()
    }

    function renderToast(s: RiderState): void {
      el.toast.hidden = !s.toast
      el.toast.innerHTML = s.toast ? `<span class="toast-ic" aria-hidden="true">✓</span><span data-testid="toast-text">${esc(s.toast.text)}</span><button type="button" class="toast-close" data-action="toast-close" aria-label="${esc(r('close'))}">${ICONS.close}</button>` : ''
    }

    function renderMap(s: RiderState): void {
      if (!view) return
      const origin = s.origin ? ([s.origin.lon, s.origin.lat] as [number, number]) : null
      const fit = s.fitSeq !== fittedSeq
      fittedSeq = s.fitSeq
      view.show(origin, s.result?.stops ?? [], s.selectedId, fit)
      view.setPicking(s.picking)
    }

    function publish(s: RiderState): void {
      const res = s.result
      hooks.stops = (res?.stops ?? []).map((x) => ({ id: x.properties.id, name: x.properties.name, distance_m: x.properties.distance_m, open: x.properties.open, ride_s: x.properties.road?.ride_s ?? null }))
      hooks.byRoad = res?.byRoad ?? null
      hooks.selectedId = s.selectedId
      hooks.dataSource = res?.source ?? null
      hooks.origin = s.origin ? { lon: s.origin.lon, lat: s.origin.lat, source: s.origin.source } : null
      hooks.fallback = s.failure
      hooks.approx = isApprox(s.origin)
      hooks.mapReady = s.map === 'ready'
      const listSettled = !s.locating && !s.loading && (s.origin === null || s.renderedSeq === s.seq)
      const flagsSettled = !res || res.stops.every((x) => x.properties.open !== undefined)
      hooks.idle = listSettled && flagsSettled && (s.map === 'failed' || (s.map === 'ready' && s.mapIdle))
    }

    function render(s: RiderState, prev: RiderState | null): void {
      const lang = changed(s, prev, ['lang'])
      if (lang || changed(s, prev, ['result'])) renderTop(s)
      if (lang || changed(s, prev, ['origin', 'locating', 'failure', 'picking', 'pickPrecise', 'places'])) renderWhere(s)
      if (lang || changed(s, prev, ['result', 'noOfflineData'])) renderBanner(s)
      if (lang || changed(s, prev, ['filters'])) el.filters.innerHTML = filtersHtml(s.filters)
      if (lang || changed(s, prev, ['result', 'origin', 'locating', 'loading', 'error', 'selectedId', 'filters'])) renderList(s)
      if (lang || changed(s, prev, ['query', 'hits'])) renderSearch(s, prev)
      if (lang || changed(s, prev, ['toast'])) renderToast(s)
      if (changed(s, prev, ['map', 'origin', 'result', 'selectedId', 'fitSeq', 'picking', 'lang'])) renderMap(s)
      publish(s)
    }

    store.subscribe(render)
    onLangChange((l) => store.set({ lang: l, places: view?.places() ?? [] }))

    // ---------- actions ----------

    /** `fit: false`: the list changes under the rider (someone edited a stop), the map stays where it is. */
    async function refresh({ fit = true } = {}): Promise<void> {
      const { origin: o, filters } = store.get()
      if (!o) return
      const seq = store.get().seq + 1
      store.set({ seq, loading: true, error: null, noOfflineData: false })
      let res: NearestResult | null = null
      try {
        res = await nearest([o.lon, o.lat], filters)
        if (seq !== store.get().seq) return
        const stops = res.stops
        store.set((s) => ({
          result: res,
          selectedId: stops.some((x) => x.properties.id === s.selectedId) ? s.selectedId : stops[0]?.properties.id ?? null,
          fitSeq: fit ? s.fitSeq + 1 : s.fitSeq, loading: false, renderedSeq: seq,
        }))
        rememberLastCounty(stops[0]?.properties.region_code ?? null)
      } catch (err) {
        if (seq !== store.get().seq) return
        const noOffline = err instanceof NoOfflineData
        store.set({ result: null, noOfflineData: noOffline, error: noOffline ? null : err instanceof Error ? err.message : String(err), loading: false, renderedSeq: seq })
        return
      }
      // open/closed for stops the API did not evaluate (filter off), in a lazily loaded chunk
      const got = res
      const stops = await withOpenFlags(got.stops).catch(() => got.stops.map((x) => ({ ...x, properties: { ...x.properties, open: x.properties.open ?? null } })))
      if (seq !== store.get().seq) return
      if (stops !== got.stops) store.set({ result: { ...got, stops } })
      if (got.source === 'network') void prefetchCounties(got.stops.map((x) => x.properties.region_code), [o.lon, o.lat])
    }

    function setOrigin(o: Origin): void {
      store.set({ origin: o, picking: false })
      rememberOrigin(o)
      void refresh()
    }

    async function locateMe(): Promise<void> {
      store.set({ locating: true, failure: null })
      try {
        const o = await locate()
        store.set({ locating: false, failure: null })
        setOrigin(o)
      } catch (reason) {
        // no position: offer the map for tapping straight away
        store.set((s) => ({ locating: false, failure: reason as LocateFailure, picking: s.origin ? s.picking : true }))
      }
    }

    async function loadSearchStations(): Promise<void> {
      if (store.get().searchStations.length) return
      store.set({ searchStations: await savedStations() })
    }

    function runSearch(query: string): void {
      const s = store.get()
      store.set({ query, hits: searchPlaces(query, PLACES, [...s.searchStations, ...(s.result?.stops ?? [])]) })
    }

    async function startMap(): Promise<void> {
      try {
        const { createRiderMap } = await import('./map.ts')
        view = await createRiderMap(el.map, {
          onIdle: (idle) => store.set({ mapIdle: idle }),
          onPick: (lonlat) => setOrigin({ lon: lonlat[0], lat: lonlat[1], source: 'tap' }),
          onSelect: (id) => select(id, false),
          onCounty: (code) => rememberLastCounty(code),
          onPickPrecise: (precise) => store.set({ pickPrecise: precise }),
        }, lastCounty())
        el.map.setAttribute('aria-label', r('mapLabel'))
        const v = view
        hooks.stopScreenPoint = (id) => {
          const s = store.get().result?.stops.find((x) => x.properties.id === id)
          return s ? v.screenPoint(s.geometry.coordinates as [number, number]) : null
        }
        hooks.markers = () => v.markers()
        hooks.mapBounds = () => v.bounds()
        hooks.screenPoint = (lonlat) => v.screenPoint(lonlat)
        hooks.mapLayers = () => (v.map.getStyle().layers ?? []).map((l) => l.id)
        store.set((s) => ({ map: 'ready', places: v.places(), fitSeq: s.fitSeq + 1 }))
        // the map chunk and its worker came after the first hand-over: keep them too
        view.map.once('idle', () => void cacheLoadedFiles())
      } catch (err) {
        // no WebGL or no cached map code: the list still works
        console.warn('map unavailable:', err)
        el.mapWrap.classList.add('is-failed')
        store.set({ map: 'failed' })
      }
    }

    function select(id: string, fromList: boolean): void {
      store.set({ selectedId: id })
      if (!fromList) document.querySelector(`.stop[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
    }

    let toastTimer: ReturnType<typeof setTimeout> | undefined
    function toast(text: string): void {
      const seq = (store.get().toast?.seq ?? 0) + 1
      store.set({ toast: { text, seq } })
      clearTimeout(toastTimer)
      toastTimer = setTimeout(() => store.get().toast?.seq === seq && store.set({ toast: null }), TOAST_MS)
    }

    // ---------- wiring (bound once) ----------

    el.top.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('[data-action="lang"]')) setLang(otherLang())
    })
    el.where.addEventListener('click', (e) => {
      const t = e.target as HTMLElement
      const jump = t.closest<HTMLElement>('[data-jump]')?.dataset.jump
      if (jump) {
        view?.jumpTo(jump)
        store.set({ picking: true })
        el.mapWrap.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
        return
      }
      const action = t.closest<HTMLElement>('[data-action]')?.dataset.action
      if (action === 'locate') void locateMe()
      if (action === 'search') byId<HTMLInputElement>('search').focus()
      if (action === 'pick') {
        const picking = !store.get().picking
        store.set({ picking })
        if (picking) el.mapWrap.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
      }
    })
    el.filters.addEventListener('click', (e) => {
      const filters = applyFilterClick(store.get().filters, e.target as HTMLElement)
      if (!filters) return
      store.set({ filters })
      void refresh()
    })
    el.list.addEventListener('click', (e) => {
      const t = e.target as HTMLElement
      const sel = t.closest<HTMLElement>('[data-select]')?.dataset.select
      if (sel) return select(sel, true)
      const rep = t.closest<HTMLElement>('[data-report]')?.dataset.report
      const s = store.get()
      if (rep) {
        const stop = s.result?.stops.find((x) => x.properties.id === rep)
        const here = s.origin && s.origin.source === 'gps' ? ([s.origin.lon, s.origin.lat] as [number, number]) : null
        if (stop) openReportForm({ id: stop.properties.id, name: stop.properties.name }, here, (sent) => toast(r('reportSentTo', { name: sent.name })))
        return
      }
      const action = t.closest<HTMLElement>('[data-action]')?.dataset.action
      if (action === 'show-all') store.set({ filters: { ...s.filters, openNow: false } })
      else if (action === 'clear-amenities') store.set({ filters: { ...s.filters, amenities: [] } })
      else return
      void refresh()
    })
    el.toast.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('[data-action="toast-close"]')) store.set({ toast: null })
    })

    // the search box is re-rendered on a language switch: its events are delegated to its wrapper, bound once
    el.searchBox.addEventListener('focusin', (e) => {
      const input = e.target as HTMLInputElement
      if (input.id === 'search') void loadSearchStations().then(() => input.value && runSearch(input.value))
    })
    el.searchBox.addEventListener('input', (e) => {
      const input = e.target as HTMLInputElement
      if (input.id === 'search') runSearch(input.value)
    })
    el.searchBox.addEventListener('keydown', (e) => {
      const hit = store.get().hits[0]
      if ((e.target as HTMLElement).id === 'search' && e.key === 'Enter' && hit) chooseHit(hit)
    })
    el.searchBox.addEventListener('click', (e) => {
      const i = (e.target as HTMLElement).closest<HTMLElement>('#search-results [data-hit]')?.dataset.hit
      const hit = i === undefined ? undefined : store.get().hits[Number(i)]
      if (hit) chooseHit(hit)
    })

    function chooseHit(hit: SearchHit): void {
      const input = byId<HTMLInputElement>('search')
      input.value = ''
      input.blur()
      store.set({ query: '', hits: [] })
      setOrigin({ lon: hit.lon, lat: hit.lat, source: 'search', name: hit.name, approx: hit.approx, seat: hit.seat })
    }

    window.addEventListener('online', () => void refresh())
    // an editor changed a station somewhere: the list and the search read again (within 5 s)
    onDataChange('stations', () => {
      forgetLoaded()
      store.set({ searchStations: [] })
      if (store.get().origin && navigator.onLine) void refresh({ fit: false })
    })
    window.addEventListener('offline', () => renderBanner(store.get()))

    // ---------- start ----------
    render(store.get(), null)
    const offline = registerOffline()
    void startMap()
    const last = lastOrigin()
    await locateMe()
    // refused or unavailable, but a tapped/searched position from last time exists: start there
    if (!store.get().origin && last && last.source !== 'gps') setOrigin(last)
    await offline
    // after the first list: keep every file this visit loaded, for the next (offline) start
    const keep = () => void cacheLoadedFiles()
    if (document.readyState === 'complete') setTimeout(keep, 1500)
    else addEventListener('load', () => setTimeout(keep, 1500), { once: true })
  },
})
