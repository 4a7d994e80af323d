/**
 * Editors' list of rider reports (`/reports`): newest first; filter by county, station kind,
 * problem and status; a small map of where they were made (click a row ↔ its point); CSV export of
 * the filtered list; resolve / reopen, for a signed-in editor of the report's region (others see a
 * sign-in prompt; only such editors see where the reporter stood).
 *
 * State in one store (../page/store.ts), drawn by `render(state, prev)`; events bound once on the
 * page's root elements; the reports come through ./source.ts (the one module that knows the API's paging).
 */
import '../styles/index.ts'
import 'maplibre-gl/dist/maplibre-gl.css'
import './reports.css'
import { fetchConfig, fetchRegions } from '../api.ts'
import { byId } from '../dom.ts'
import { getLang, onLangChange, otherLang, setLang } from '../i18n/lang.ts'
import { fontFacesFromPage, stylesheetsLoaded } from '../map/fonts.ts'
import { mountAccountMenu, onAccountChange, useRegions } from '../page/account.ts'
import { startPage } from '../page/page.ts'
import type { PageHooks } from '../page/hooks.ts'
import { createStore } from '../page/store.ts'
import { placeLookup, PROGRAMME_PLACE_CODES } from '../places.ts'
import type { AtlasConfig, RegionCollection } from '../types.ts'
import { csvFileName, reportsCsv } from './csv.ts'
import { createReportsMap, POINT_LAYER, type ReportsMap } from './map.ts'
import { loadReports, setReportStatus, type ReportRow } from './source.ts'
import { DEFAULT_FILTERS, filterRows, initialState, needsReload, pageOf, pageWith, parseFilters, type ReportFilters, type ReportsState } from './state.ts'
import { t } from './strings.ts'
import { emptyRowHtml, headHtml, legendHtml, mapNote, pagerHtml, renderFilters, rowHtml, statusLine, topHtml, type PlaceTree } from './view.ts'

/** `window.__atlas` on /reports (for the browser test). */
export interface ReportsHooks extends PageHooks {
  /** ids of the rows the filters keep, in list order */
  filtered: string[]
  selected: string | null
  /** the report points MapLibre has drawn: id, problem, colour and where they are on screen */
  mapPoints(): Array<{ id: string; problem: string; color: string; selected: boolean; x: number; y: number }>
}

const el = {
  top: byId('top'),
  warn: byId('warn'),
  filters: byId<HTMLFormElement>('filters'),
  status: byId('status'),
  exportBtn: byId<HTMLButtonElement>('export'),
  head: byId('head'),
  rows: byId('rows'),
  pager: byId('pager'),
  mapTitle: byId('map-title'),
  map: byId('map'),
  legend: byId('legend'),
  mapNote: byId('map-note'),
}

const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }
const EMPTY_REGIONS: RegionCollection = { type: 'FeatureCollection', features: [] }

startPage<ReportsHooks>({
  hooks: (lang) => ({ idle: false, error: null, lang, filtered: [], selected: null, mapPoints: () => [] }),
  fail: (message) => (el.status.textContent = t('loadFailed', { message })),
  async start({ hooks, lang }) {
    const [regions, config] = await Promise.all([fetchRegions().catch(() => EMPTY_REGIONS), fetchConfig().catch(() => NO_CONFIG)])
    await stylesheetsLoaded()
    const byCode = new Map(regions.features.map((f) => [f.properties.code, f.properties]))
    const regionName = (code: string | null) => {
      const r = code ? byCode.get(code) : undefined
      return r ? (getLang() === 'en' ? r.name_en || r.name : r.name) : (code ?? '—')
    }
    const placeOf = placeLookup(regions)
    const places = (): PlaceTree[] =>
      PROGRAMME_PLACE_CODES.filter((c) => byCode.has(c)).map((code) => ({
        code,
        name: regionName(code),
        counties: regions.features.filter((f) => f.properties.parent_code === code).map((f) => ({ code: f.properties.code, name: regionName(f.properties.code) })),
      }))

    const store = createStore<ReportsState>(initialState(lang))
    let mapIdle = false
    let view: ReportsMap | null = null
    const filteredOf = (s: ReportsState): ReportRow[] => (s.rows ? filterRows(s.rows, s.filters) : [])
    const settle = () => (hooks.idle = !store.get().loading && mapIdle)

    function render(s: ReportsState, prev: ReportsState | null): void {
      const langChanged = !prev || s.lang !== prev.lang
      const filtered = filteredOf(s)
      const { rows, page } = pageOf(filtered, s.page)
      if (langChanged) {
        document.title = t('pageTitle')
        el.top.innerHTML = topHtml()
        mountAccountMenu(el.top.querySelector<HTMLElement>('[data-slot="account"]')!)
        el.warn.textContent = t('warn')
        el.head.innerHTML = headHtml()
        el.exportBtn.textContent = t('export')
        el.mapTitle.textContent = t('mapTitle')
        el.map.setAttribute('aria-label', t('mapTitle'))
        el.legend.innerHTML = legendHtml()
      }
      if (langChanged || s.filters !== prev?.filters) renderFilters(el.filters, s, places())
      el.status.textContent = statusLine(s, filtered.length)
      el.exportBtn.disabled = s.loading || !filtered.length
      el.exportBtn.title = t('exportTitle', { n: filtered.length })
      el.rows.innerHTML = rows.length ? rows.map((r) => rowHtml(r, r.id === s.selected, regionName)).join('') : s.loading ? '' : emptyRowHtml()
      el.pager.innerHTML = pagerHtml(page, filtered.length)
      el.mapNote.textContent = mapNote(filtered)
      const listChanged = !prev || s.rows !== prev.rows || s.filters !== prev.filters
      if (view && (listChanged || s.selected !== prev?.selected)) view.show(filtered, s.selected, listChanged)
      hooks.filtered = filtered.map((r) => r.id)
      hooks.selected = s.selected
      settle()
    }
    store.subscribe(render)
    onLangChange((l) => store.set({ lang: l }))
    useRegions(regions)
    // signing in or out changes what the list shows (locations) and which rows may be resolved
    let accountKnown = false
    onAccountChange(() => {
      if (accountKnown) void load()
      else {
        accountKnown = true
        render(store.get(), store.get())
      }
    })

    let loadToken = 0
    async function load(): Promise<void> {
      const token = ++loadToken
      const { region, status } = store.get().filters
      store.set({ loading: true, message: null })
      try {
        const { rows, truncated } = await loadReports({ ...(region ? { region } : {}), ...(status ? { status } : {}) }, placeOf)
        if (token === loadToken) store.set({ rows, truncated, loading: false })
      } catch (err) {
        if (token === loadToken) store.set({ loading: false, message: t('loadFailed', { message: err instanceof Error ? err.message : String(err) }) })
      }
    }

    function setFilters(next: ReportFilters): void {
      const reload = needsReload(store.get().filters, next)
      store.set({ filters: next, page: 0 })
      if (reload) void load()
    }

    function select(id: string | null, from: 'row' | 'map'): void {
      const s = store.get()
      const filtered = filteredOf(s)
      const page = id ? pageWith(filtered, id) : null
      store.set({ selected: id, ...(page !== null ? { page } : {}) })
      const row = id ? filtered.find((r) => r.id === id) : undefined
      if (row && from === 'row') view?.focus(row)
      if (from === 'map' && id) el.rows.querySelector(`tr[data-id="${CSS.escape(id)}"]`)?.scrollIntoView({ block: 'nearest' })
    }

    // --- events, bound once ---
    el.top.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('[data-action="lang"]')) setLang(otherLang())
    })
    const readFilters = (): ReportFilters => {
      const data = new FormData(el.filters)
      return parseFilters((k) => String(data.get(k) ?? ''))
    }
    el.filters.addEventListener('change', () => setFilters(readFilters()))
    el.filters.addEventListener('submit', (e) => {
      e.preventDefault()
      void load()
    })
    el.filters.addEventListener('reset', (e) => {
      e.preventDefault()
      setFilters(DEFAULT_FILTERS)
    })
    el.rows.addEventListener('click', async (e) => {
      const target = e.target as HTMLElement
      const tr = target.closest<HTMLElement>('tr[data-id]')
      const id = tr?.dataset.id
      if (!id) return
      const btn = target.closest<HTMLButtonElement>('[data-set]')
      if (!btn) {
        if (!target.closest('a')) select(store.get().selected === id ? null : id, 'row')
        return
      }
      btn.disabled = true
      await setReportStatus(id, btn.dataset.set === 'resolved' ? 'resolved' : 'open').catch((err: unknown) => {
        store.set({ message: t('updateFailed', { message: err instanceof Error ? err.message : String(err) }) })
      })
      await load()
    })
    el.pager.addEventListener('click', (e) => {
      const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-page]')
      if (btn && !btn.disabled) store.set({ page: Number(btn.dataset.page) })
    })
    el.exportBtn.addEventListener('click', () => {
      const csv = reportsCsv(filteredOf(store.get()), { region: regionName }, getLang())
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }))
      const a = document.createElement('a')
      a.href = url
      a.download = csvFileName(new Date())
      document.body.append(a)
      a.click()
      a.remove()
      setTimeout(() => URL.revokeObjectURL(url), 10_000)
    })

    render(store.get(), null)
    const loaded = load()
    view = await createReportsMap(el.map, { regions, config, lang, fontFaces: fontFacesFromPage() }, {
      onSelect: (id) => select(id, 'map'),
      onIdle: (idle) => {
        mapIdle = idle
        settle()
      },
    })
    hooks.mapPoints = () => {
      const map = view!.map
      return map.queryRenderedFeatures({ layers: [POINT_LAYER] }).map((f) => {
        const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number]
        const p = map.project([lon, lat])
        return { id: String(f.properties.id), problem: String(f.properties.problem), color: String(f.layer.paint?.['circle-color' as keyof typeof f.layer.paint] ?? ''), selected: f.properties.selected === true, x: p.x, y: p.y }
      })
    }
    await loaded
    const s = store.get()
    view.show(filteredOf(s), s.selected, true)
  },
})
