/**
 * Rider page (`/rider`): where am I → the five nearest stops, best first → navigate, call or report.
 * Phone first, Chinese by default, works offline once loaded. The map arrives in a later chunk so
 * the list shows first on a slow connection.
 */
import '../styles/base.css'
import './rider.css'
import { TRAVEL_ASSUMPTIONS } from '@core/travel-time.ts'
import { byId, esc } from '../dom.ts'
import { langQuery, otherLang, setLang } from '../i18n/lang.ts'
import { fillOpenFlags, nearest, NoOfflineData, prefetchCounties, countyStations, savedCounties, type Filters, type NearestResult } from './data.ts'
import { applyFilterClick, filtersHtml } from './filters.ts'
import { ICONS } from './icons.ts'
import { lastOrigin, locate, rememberOrigin, type LocateFailure, type Origin } from './locate.ts'
import type { RiderMapView } from './map.ts'
import { cacheLoadedFiles, clockText, registerOffline, staleText } from './offline.ts'
import { openReportForm } from './report-form.ts'
import { PLACES, searchPlaces, type SearchHit } from './search.ts'
import { stopCardHtml } from './card.ts'
import { r } from './strings.ts'
import { riderHooks, type RiderHooks } from './test-hooks.ts'
import { startPage } from '../page/page.ts'
import { searchBoxHtml, searchResultsHtml, whereStatusHtml } from './where.ts'
import type { StationFeature } from '../types.ts'

/** the programme places whose stations the search offers before the rider is located */
const SEARCH_REGIONS = ['370828', '361021', '231100']

startPage<RiderHooks>({
  hooks: riderHooks,
  fail(message) {
    const status = document.getElementById('list-status')
    if (status) status.innerHTML = `<p class="list-note is-error">${esc(r('loadFailed') + message)}</p>`
  },
  async start({ hooks }) {
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
    }

    const state = {
      origin: null as Origin | null,
      locating: false,
      failure: null as LocateFailure | null,
      picking: false,
      filters: { openNow: true, amenities: [] } as Filters,
      result: null as NearestResult | null,
      loading: false,
      error: null as string | null,
      /** offline, and no county's stations saved on this phone yet */
      noOfflineData: false,
      selectedId: null as string | null,
      seq: 0,
      renderedSeq: -1,
      fit: true,
      searchStations: [] as StationFeature[],
      hits: [] as SearchHit[],
    }

    let view: RiderMapView | null = null
    let mapState: 'loading' | 'ready' | 'failed' = 'loading'
    let mapIdle = false

    function updateIdle(): void {
      const listSettled = !state.locating && !state.loading && (state.origin === null || state.renderedSeq === state.seq)
      const flagsSettled = !state.result || state.result.stops.every((s) => s.properties.open !== undefined)
      hooks.idle = listSettled && flagsSettled && (mapState === 'failed' || (mapState === 'ready' && mapIdle))
    }

    // ---------- rendering ----------

    function renderTop(): void {
      const demo = state.result?.stops.some((s) => s.properties.source === 'demo') ?? true
      el.top.innerHTML = `<a class="brand" href="/rider${langQuery()}">
          <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="14" fill="#b3202f"/><path d="M16 7.5c-4 0-7 3-7 6.8 0 4.8 7 10.2 7 10.2s7-5.4 7-10.2c0-3.8-3-6.8-7-6.8z" fill="#fff"/><circle cx="16" cy="14.2" r="2.6" fill="#b3202f"/></svg>
          <span class="brand-text"><b>${esc(r('title'))}</b><small>${esc(r('subtitle'))}</small></span>
        </a>
        <div class="top-actions">
          ${demo ? `<span class="badge-demo" data-testid="demo-badge">${esc(r('demo'))}</span>` : ''}
          <a class="top-link planner-link" href="/${langQuery()}">${esc(r('planner'))}</a>
          <button type="button" class="top-link" data-action="lang" title="${esc(r('switchLangTitle'))}">${esc(r('switchLang'))}</button>
        </div>`
    }

    function renderWhere(): void {
      el.where.innerHTML = whereStatusHtml(state)
      el.pickHint.hidden = !state.picking
      el.pickHint.textContent = r('pickHint')
      el.mapWrap.classList.toggle('is-picking', state.picking)
    }

    function renderBanner(): void {
      const res = state.result
      if (res?.source === 'cache') {
        el.banner.hidden = false
        el.banner.className = 'r-banner is-offline'
        el.banner.innerHTML = `${ICONS.offline}<span data-testid="stale-banner">${esc(staleText(res.fetchedAt))}</span>`
      } else if (state.noOfflineData) {
        el.banner.hidden = false
        el.banner.className = 'r-banner is-offline'
        el.banner.innerHTML = `${ICONS.offline}<span>${esc(r('offlineNoData'))}</span>`
      } else {
        el.banner.hidden = true
        el.banner.innerHTML = ''
      }
    }

    function renderList(): void {
      el.listTitle.textContent = r('nearest')
      const res = state.result
      let status = ''
      if (state.locating && !state.origin) status = r('locating')
      else if (!state.origin) status = r('needPosition')
      else if (state.loading && !res) status = r('loading')
      else if (state.error) status = r('loadFailed') + state.error
      el.listStatus.innerHTML = status ? `<p class="list-note">${esc(status)}</p>` : ''
      if (!res) {
        el.list.innerHTML = ''
      } else if (!res.stops.length) {
        const extra = state.filters.openNow ? `<button type="button" class="btn-act" data-action="show-all">${esc(r('showAll'))}</button>` : ''
        const clear = state.filters.amenities.length ? `<button type="button" class="btn-act" data-action="clear-amenities">${esc(r('clearFilters'))}</button>` : ''
        el.list.innerHTML = `<li class="list-empty" data-testid="list-empty"><p>${esc(state.filters.openNow && !state.filters.amenities.length ? r('noneOpen') : r('noneFound'))}</p>${extra}${clear}</li>`
      } else {
        el.list.innerHTML = res.stops.map((s, i) => stopCardHtml(s, i + 1, s.properties.id === state.selectedId)).join('')
      }
      el.list.setAttribute('aria-busy', String(state.loading))
      const fresh = res && res.source === 'network' ? `<span class="fresh">${esc(r('online', { time: clockText(res.fetchedAt) }))}</span>` : ''
      el.foot.innerHTML = `<p>${esc(r('estimateNote', { detour: TRAVEL_ASSUMPTIONS.detour, walk: TRAVEL_ASSUMPTIONS.walk_kmh, ride: TRAVEL_ASSUMPTIONS.ride_kmh }))}。${esc(r('distanceNote'))}。</p>
        <p>${esc(r('attrStations'))}${fresh ? ' · ' + fresh : ''}</p>
        <p><a href="/${langQuery()}">${esc(r('planner'))} →</a></p>`
      hooks.stops = (res?.stops ?? []).map((s) => ({ id: s.properties.id, name: s.properties.name, distance_m: s.properties.distance_m, open: s.properties.open }))
      hooks.selectedId = state.selectedId
      hooks.dataSource = res?.source ?? null
      hooks.origin = state.origin ? { lon: state.origin.lon, lat: state.origin.lat, source: state.origin.source } : null
      hooks.fallback = state.failure
    }

    function renderAll(): void {
      renderTop()
      renderWhere()
      renderBanner()
      el.filters.innerHTML = filtersHtml(state.filters)
      renderList()
      updateMap()
      updateIdle()
    }

    function updateMap(): void {
      if (!view) return
      const origin = state.origin ? ([state.origin.lon, state.origin.lat] as [number, number]) : null
      view.show(origin, state.result?.stops ?? [], state.selectedId, state.fit)
      state.fit = false
    }

    // ---------- actions ----------

    async function refresh(): Promise<void> {
      if (!state.origin) return
      const seq = ++state.seq
      const origin: [number, number] = [state.origin.lon, state.origin.lat]
      state.loading = true
      state.error = null
      state.noOfflineData = false
      renderList()
      updateIdle()
      try {
        const res = await nearest(origin, state.filters)
        if (seq !== state.seq) return
        state.result = res
        if (!res.stops.some((s) => s.properties.id === state.selectedId)) state.selectedId = res.stops[0]?.properties.id ?? null
        state.fit = true
      } catch (err) {
        if (seq !== state.seq) return
        state.result = null
        state.noOfflineData = err instanceof NoOfflineData
        state.error = state.noOfflineData ? null : err instanceof Error ? err.message : String(err)
      }
      state.loading = false
      state.renderedSeq = seq
      renderAll()
      const res = state.result
      if (!res) return
      // open/closed for stops the API did not evaluate (filter off), in a lazily loaded chunk
      await fillOpenFlags(res.stops).catch(() => res.stops.forEach((s) => (s.properties.open ??= null)))
      if (seq !== state.seq) return
      renderList()
      updateMap()
      updateIdle()
      if (res.source === 'network') void prefetchCounties(res.stops.map((s) => s.properties.region_code))
    }

    function setOrigin(o: Origin): void {
      state.origin = o
      state.picking = false
      view?.setPicking(false)
      rememberOrigin(o)
      renderWhere()
      void refresh()
    }

    async function locateMe(): Promise<void> {
      state.locating = true
      state.failure = null
      renderWhere()
      renderList()
      updateIdle()
      try {
        const o = await locate()
        state.locating = false
        state.failure = null
        setOrigin(o)
      } catch (reason) {
        state.locating = false
        state.failure = reason as LocateFailure
        // no position: offer the map for tapping straight away
        if (!state.origin) {
          state.picking = true
          view?.setPicking(true)
        }
        renderAll()
      }
    }

    async function loadSearchStations(): Promise<void> {
      if (state.searchStations.length) return
      const codes = [...new Set([...SEARCH_REGIONS, ...Object.keys(savedCounties())])]
      const got = await Promise.all(codes.map((c) => countyStations(c).then((x) => x.features).catch(() => [])))
      state.searchStations = got.flat()
    }

    function runSearch(query: string): void {
      const box = byId('search-results')
      state.hits = searchPlaces(query, PLACES, [...state.searchStations, ...(state.result?.stops ?? [])])
      box.innerHTML = searchResultsHtml(query, state.hits)
      box.hidden = !query.trim()
    }

    async function startMap(): Promise<void> {
      try {
        const { createRiderMap } = await import('./map.ts')
        view = await createRiderMap(el.map, {
          onIdle: (idle) => {
            mapIdle = idle
            updateIdle()
          },
          onPick: (lonlat) => setOrigin({ lon: lonlat[0], lat: lonlat[1], source: 'tap' }),
          onSelect: (id) => select(id, false),
        })
        el.map.setAttribute('aria-label', r('mapLabel'))
        hooks.stopScreenPoint = (id) => {
          const s = state.result?.stops.find((x) => x.properties.id === id)
          return s && view ? view.screenPoint(s.geometry.coordinates as [number, number]) : null
        }
        mapState = 'ready'
        hooks.mapReady = true
        view.setPicking(state.picking)
        state.fit = true
        updateMap()
        // the map chunk and its worker came after the first hand-over: keep them too
        view.map.once('idle', () => void cacheLoadedFiles())
      } catch (err) {
        // no WebGL or no cached map code: the list still works
        console.warn('map unavailable:', err)
        mapState = 'failed'
        el.mapWrap.classList.add('is-failed')
      }
      updateIdle()
    }

    function select(id: string, fromList: boolean): void {
      state.selectedId = id
      renderList()
      updateMap()
      if (!fromList) document.querySelector(`.stop[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
    }

    // ---------- wiring ----------

    el.top.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('[data-action="lang"]')) {
        setLang(otherLang())
        el.searchBox.innerHTML = searchBoxHtml()
        renderAll()
      }
    })
    el.where.addEventListener('click', (e) => {
      const action = (e.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset.action
      if (action === 'locate') void locateMe()
      if (action === 'pick') {
        state.picking = !state.picking
        view?.setPicking(state.picking)
        renderWhere()
        if (state.picking) el.mapWrap.scrollIntoView({ block: 'nearest', behavior: 'smooth' })
      }
    })
    el.filters.addEventListener('click', (e) => {
      if (!applyFilterClick(state.filters, e.target as HTMLElement)) return
      el.filters.innerHTML = filtersHtml(state.filters)
      void refresh()
    })
    el.list.addEventListener('click', (e) => {
      const t = e.target as HTMLElement
      const sel = t.closest<HTMLElement>('[data-select]')?.dataset.select
      if (sel) return select(sel, true)
      const rep = t.closest<HTMLElement>('[data-report]')?.dataset.report
      if (rep) {
        const stop = state.result?.stops.find((s) => s.properties.id === rep)
        if (stop) openReportForm({ id: stop.properties.id, name: stop.properties.name }, state.origin && state.origin.source === 'gps' ? [state.origin.lon, state.origin.lat] : null)
        return
      }
      const action = t.closest<HTMLElement>('[data-action]')?.dataset.action
      if (action === 'show-all') state.filters.openNow = false
      if (action === 'clear-amenities') state.filters.amenities = []
      if (action) {
        el.filters.innerHTML = filtersHtml(state.filters)
        void refresh()
      }
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
      if ((e.target as HTMLElement).id === 'search' && e.key === 'Enter' && state.hits[0]) chooseHit(state.hits[0])
    })
    el.searchBox.addEventListener('click', (e) => {
      const i = (e.target as HTMLElement).closest<HTMLElement>('#search-results [data-hit]')?.dataset.hit
      const hit = i === undefined ? undefined : state.hits[Number(i)]
      if (hit) chooseHit(hit)
    })

    function chooseHit(hit: SearchHit): void {
      const input = byId<HTMLInputElement>('search')
      input.value = ''
      input.blur()
      byId('search-results').hidden = true
      setOrigin({ lon: hit.lon, lat: hit.lat, source: 'search', name: hit.name, approx: hit.approx, seat: hit.seat })
    }

    window.addEventListener('online', () => void refresh())
    window.addEventListener('offline', () => renderBanner())

    // ---------- start ----------
    el.searchBox.innerHTML = searchBoxHtml()
    renderAll()
    const offline = registerOffline()
    void startMap()
    const last = lastOrigin()
    await locateMe()
    // refused or unavailable, but a tapped/searched position from last time exists: start there
    if (!state.origin && last && last.source !== 'gps') setOrigin(last)
    await offline
    // after the first list: keep every file this visit loaded, for the next (offline) start
    const keep = () => void cacheLoadedFiles()
    if (document.readyState === 'complete') setTimeout(keep, 1500)
    else addEventListener('load', () => setTimeout(keep, 1500), { once: true })
  },
})
