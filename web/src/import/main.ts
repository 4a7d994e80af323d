/**
 * The import page (`/import`, signed-in editors): pick a ledger file, its sheet, coordinate system and
 * encoding; the dry run comes back row by row as a table and on the map; rows with only an address are
 * placed by clicking the map; apply (all or none) shows its progress and can be undone; the map's
 * stations export as .xlsx, CSV or GeoJSON. Others see a sign-in prompt.
 *
 * State in one store (./state.ts, pure rules), drawn by `render`; events delegated on the page's
 * root elements; every request through the typed client (../api.ts postImport / undoImport).
 */
import '../styles/base.css'
import '../page/account.css'
import 'maplibre-gl/dist/maplibre-gl.css'
import './import.css'
import { fetchConfig, fetchDemandLayerList, fetchRegions, postImport, searchLoadedPlaces, stationExportUrl, undoImport, type ImportForm, type ImportProgress, type ImportReport } from '../api.ts'
import { PLACES, searchPlaces, townshipQuery } from '../place-search.ts'
import { byId } from '../dom.ts'
import { getLang } from '../i18n/lang.ts'
import { fontFacesFromPage, stylesheetsLoaded } from '../map/fonts.ts'
import { currentUser, onAccountChange, useRegions } from '../page/account.ts'
import type { PageHooks } from '../page/hooks.ts'
import { startPage } from '../page/page.ts'
import { bindSiteHeader, renderSiteHeader } from '../page/site-header.ts'
import { createStore } from '../page/store.ts'
import type { AtlasConfig, RegionCollection } from '../types.ts'
import { createImportMap, ROW_LAYER, type ImportMap } from './map.ts'
import { countsOf, initialState, placedForApply, type Crs, type Encoding, type ImportState, type RowAction } from './state.ts'
import { t } from './strings.ts'
import { exportHtml, finderHitsHtml, finderHtml, gateHtml, headHtml, progressInner, sideHtml, tableHtml, type FinderHit } from './view.ts'
import { DemandTab } from './demand-tab.ts'

/** `window.__atlas` on /import (for the browser test). */
export interface ImportHooks extends PageHooks {
  counts: Record<RowAction, number> | null
  /** the applied import's id */
  applied: string | null
  /** the rows drawn on the map: row, action and where they are on screen */
  mapPoints(): Array<{ row: number; action: string; x: number; y: number }>
  /** every progress step the page showed since it opened, in order */
  progressSeen: ImportProgress[]
  /** the map's centre and zoom, and the [lon, lat] under a point of the map (CSS pixels from its corner) */
  view(): { center: [number, number]; zoom: number }
  lngLatAt(x: number, y: number): [number, number]
}

const el = { top: byId('top'), sideHead: byId('side-head'), side: byId('side'), table: byId('table'), map: byId('map'), finder: byId('finder') }
const NO_CONFIG: AtlasConfig = { basemap_style_url: null, basemap_attribution: null }
const EMPTY_REGIONS: RegionCollection = { type: 'FeatureCollection', features: [] }

startPage<ImportHooks>({
  hooks: (lang) => ({ idle: false, error: null, lang, counts: null, applied: null, mapPoints: () => [], progressSeen: [], view: () => ({ center: [0, 0], zoom: 0 }), lngLatAt: () => [0, 0] }),
  fail: (message) => (el.side.textContent = t('failed', { message })),
  async start({ hooks, lang }) {
    const [regions, config] = await Promise.all([fetchRegions().catch(() => EMPTY_REGIONS), fetchConfig().catch(() => NO_CONFIG)])
    useRegions(regions)
    await stylesheetsLoaded()
    const counties = regions.features.filter((f) => f.properties.level === 'county').map((f) => f.properties)
    const regionName = (code: string) => {
      const r = counties.find((c) => c.code === code)
      return r ? (getLang() === 'en' ? r.name_en || r.name : r.name) : code
    }
    const store = createStore<ImportState>(initialState(lang))
    const exportChoice = { region: '', crs: 'wgs84' as Crs }
    let view: ImportMap | null = null
    let mapIdle = false
    let accountKnown = false

    const allowed = () => {
      const u = currentUser()
      return !!u && (u.role === 'admin' || u.regions.length > 0)
    }
    const exportPart = () => {
      const u = currentUser()
      const mine = u && u.role !== 'admin' ? counties.filter((c) => u.regions.some((g) => g === c.code || g === c.parent_code)) : counties
      const url = (format: string) => stationExportUrl({ format: format as 'xlsx', crs: exportChoice.crs, ...(exportChoice.region ? { region: exportChoice.region } : {}) })
      return exportHtml(mine.map((c) => ({ code: c.code, name: regionName(c.code) })), exportChoice.region, exportChoice.crs, url)
    }

    // the "Demand / 需求" tab (?tab=demand): its own state and form (demand-tab.ts), the same map
    let tab: 'stations' | 'demand' = new URLSearchParams(location.search).get('tab') === 'demand' ? 'demand' : 'stations'
    let demandBusy = false
    const demand = new DemandTab({
      side: el.side, table: el.table, regionName,
      showCells: (cells) => view?.showCells(cells),
      onBusy: (busy) => {
        demandBusy = busy
        hooks.idle = !busy && mapIdle
      },
    })

    let drawnLang: string | null = null
    let drawnAllowed: boolean | null = null
    let drawnTab: string | null = null
    function render(s: ImportState, prev: ImportState | null): void {
      const ok = allowed()
      if (drawnLang !== s.lang || drawnAllowed !== ok || drawnTab !== tab) {
        const switched = drawnTab !== null && drawnTab !== tab
        drawnLang = s.lang
        drawnAllowed = ok
        drawnTab = tab
        document.title = t('pageTitle')
        renderSiteHeader(el.top, t('page'))
        el.sideHead.innerHTML = ok ? headHtml(tab) : ''
        el.map.setAttribute('aria-label', t('legendNote'))
        if (ok && accountKnown && tab === 'demand') {
          if (switched) view?.show(null, {}, null, false)
          demand.show({})
          void fetchDemandLayerList().then((l) => demand.setDefaults(l.defaults), () => {})
        } else if (switched) {
          demand.hide()
          if (view) view.show(s.report, s.placed, s.selected, false)
        }
      }
      if (tab === 'demand' && ok && accountKnown) return
      el.side.innerHTML = !accountKnown ? '' : ok ? sideHtml(s, exportPart()) : gateHtml(currentUser() !== null)
      el.table.innerHTML = ok ? tableHtml(s, regionName) : ''
      if (s.placing !== finder.row || s.lang !== finder.lang) openFinder(s)
      view?.setPlacing(s.placing !== null)
      const frame = !prev || s.report !== prev.report
      if (view && (frame || s.placed !== prev?.placed || s.selected !== prev?.selected)) view.show(s.report, s.placed, s.selected, frame && s.placing === null)
      hooks.counts = s.report ? countsOf(s.report, s.placed) : null
      hooks.applied = s.applied?.id ?? null
      hooks.idle = s.busy === null && mapIdle
    }
    store.subscribe(render)
    bindSiteHeader(el.top, () => store.set({ lang: getLang() }))
    onAccountChange(() => {
      accountKnown = true
      drawnAllowed = null // draw the head (and the demand tab) again for this account
      render(store.get(), store.get())
    })
    el.sideHead.addEventListener('click', (e) => {
      const next = (e.target as HTMLElement).closest<HTMLElement>('[data-im-tab]')?.dataset.imTab as 'stations' | 'demand' | undefined
      if (!next || next === tab) return
      tab = next
      const url = new URL(location.href)
      if (tab === 'demand') url.searchParams.set('tab', 'demand')
      else url.searchParams.delete('tab')
      history.replaceState(null, '', url)
      render(store.get(), store.get())
    })

    // Progress lines come many a second: they redraw only the bar (a full render redraws the table)
    function showProgress(p: ImportProgress): void {
      const busy = store.get().busy
      if (!busy) return
      busy.progress = p
      hooks.progressSeen.push(p)
      const bar = el.side.querySelector<HTMLElement>('[data-testid="import-progress"]')
      if (bar) bar.innerHTML = progressInner(p)
    }

    // The place finder over the map while a row is placed: pre-filled with the township its address
    // names, offline places (places.json, approximate ones marked) and the OSM places loaded with the
    // roads; a hit flies the map there, then a click on the map places the row.
    const finder = { row: null as number | null, lang: null as string | null, hits: [] as FinderHit[], selected: null as number | null, query: '', seq: 0 }
    let osmAbort: AbortController | null = null
    function openFinder(s: ImportState): void {
      finder.row = s.placing
      finder.lang = s.lang
      el.finder.hidden = s.placing === null
      if (s.placing === null) {
        osmAbort?.abort()
        el.finder.innerHTML = ''
        return
      }
      const row = s.report?.rows.find((r) => r.row === s.placing)
      const address = row?.address ?? ''
      const query = townshipQuery(address || row?.name || '', PLACES)
      el.finder.innerHTML = finderHtml(s.placing, row?.name ?? '', address, query)
      void findPlaces(query, true)
    }
    async function findPlaces(query: string, fly: boolean): Promise<void> {
      const seq = ++finder.seq
      finder.query = query
      finder.selected = null
      const offline: FinderHit[] = searchPlaces(query, PLACES, [], 6).map((h) => ({
        name: h.name, detail: h.seat ? `${h.detail} · ${t('seat')}` : h.detail, lon: h.lon, lat: h.lat, approx: h.approx, source: 'places' as const,
      }))
      drawHits(offline)
      osmAbort?.abort()
      osmAbort = new AbortController()
      const osm = query.trim() ? await searchLoadedPlaces(query.trim(), 6, osmAbort.signal).catch(() => null) : null
      if (seq !== finder.seq) return
      const loaded: FinderHit[] = (osm?.places ?? []).map((p) => ({ name: p.name, detail: `${t(`osm.${p.class}`)} · OSM`, lon: p.lon, lat: p.lat, approx: false, source: 'osm' as const }))
      // an exact OSM position first: it is where the township is, places.json often only the county centre
      const hits = [...loaded.filter((h) => offline.some((o) => o.name === h.name)), ...offline, ...loaded.filter((h) => !offline.some((o) => o.name === h.name))]
      drawHits(hits)
      if (fly && hits.length) flyTo(0)
    }
    function drawHits(hits: FinderHit[]): void {
      finder.hits = hits
      const list = el.finder.querySelector('[data-testid="place-hits"]')
      if (list) list.innerHTML = finderHitsHtml(hits, finder.query, finder.selected)
    }
    function flyTo(i: number): void {
      const h = finder.hits[i]
      if (!h || !view) return
      finder.selected = i
      drawHits(finder.hits)
      view.map.flyTo({ center: [h.lon, h.lat], zoom: h.approx ? 11 : 14, duration: 600 })
    }
    let typing: ReturnType<typeof setTimeout> | undefined
    el.finder.addEventListener('input', (e) => {
      const q = (e.target as HTMLInputElement).value
      clearTimeout(typing)
      typing = setTimeout(() => void findPlaces(q, false), 150)
    })
    el.finder.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && (e.target as HTMLElement).matches('input')) {
        e.preventDefault()
        if (finder.hits.length) flyTo(0)
      }
    })
    el.finder.addEventListener('click', (e) => {
      const target = e.target as HTMLElement
      const hit = target.closest<HTMLElement>('[data-fly]')
      if (hit) return flyTo(Number(hit.dataset.fly))
      if (target.closest('[data-find="cancel"]')) store.set({ placing: null })
    })

    // the elapsed time of a long apply
    setInterval(() => store.get().busy && render(store.get(), store.get()), 1000)

    async function run(dryRun: boolean): Promise<void> {
      const s = store.get()
      if (!s.file) return store.set({ message: { key: 'chooseFile', ok: false } })
      store.set({ busy: { what: dryRun ? 'dry' : 'apply', since: Date.now() }, message: null, placing: null })
      const form: ImportForm = {
        file: s.file,
        crs: s.crs,
        encoding: s.encoding,
        on_invalid: s.onInvalid,
        dry_run: dryRun ? 'true' : 'false',
        ...(s.sheet ? { sheet: s.sheet } : {}),
        ...(Object.keys(s.mapping).length && s.report ? { mapping: JSON.stringify({ ...s.report.mapping, ...s.mapping }) } : {}),
        ...(!dryRun && s.report ? { placed: JSON.stringify(placedForApply(s.report, s.placed)) } : {}),
      }
      const r = await postImport(form, showProgress)
      if (!r.ok) {
        return store.set({ busy: null, message: { key: r.report ? 'refused' : 'failed', vars: { message: r.message }, ok: false }, ...(r.report ? { report: r.report } : {}) })
      }
      const report: ImportReport = r.report
      if (dryRun) return store.set({ busy: null, report, sheet: report.sheet ?? null, selected: null })
      const done = report.created + report.updated
      store.set({
        busy: null,
        report,
        placed: {},
        applied: report.import_id ? { id: report.import_id, created: report.created, updated: report.updated } : null,
        message: done ? { key: 'applied', vars: { created: report.created, updated: report.updated, unchanged: report.unchanged }, ok: true } : { key: 'appliedNothing', ok: true },
      })
    }

    el.sideHead.addEventListener('change', (e) => {
      const input = e.target as HTMLInputElement
      if (input.type !== 'file') return
      const file = input.files?.[0] ?? null
      store.set({ file, report: null, mapping: {}, placed: {}, sheet: null, applied: null, message: null, filter: null, selected: null })
      if (file) void run(true)
    })
    el.side.addEventListener('change', (e) => {
      const target = e.target as HTMLSelectElement
      const s = store.get()
      if (target.dataset.export) {
        if (target.dataset.export === 'region') exportChoice.region = target.value
        else exportChoice.crs = target.value as Crs
        return render(s, s)
      }
      if (target.dataset.mapColumn !== undefined) {
        store.set({ mapping: { ...s.mapping, [target.dataset.mapColumn]: target.value || null } })
        return void run(true)
      }
      const name = target.name
      if (name === 'crs') store.set({ crs: target.value as Crs, placed: {} })
      else if (name === 'encoding') store.set({ encoding: target.value as Encoding })
      else if (name === 'sheet') store.set({ sheet: target.value, mapping: {}, placed: {} })
      else if (name === 'on_invalid') return store.set({ onInvalid: target.value as 'reject' | 'skip' })
      else return
      if (s.file) void run(true)
    })
    el.side.addEventListener('submit', (e) => {
      e.preventDefault()
      void run(true)
    })
    el.side.addEventListener('click', async (e) => {
      const target = e.target as HTMLElement
      const filter = target.closest<HTMLElement>('[data-filter]')
      if (filter) return store.set({ filter: (filter.dataset.filter || null) as RowAction | null })
      const action = target.closest<HTMLElement>('[data-action]')?.dataset.action
      if (action === 'apply') return void run(false)
      if (action === 'undo') {
        const a = store.get().applied
        if (!a || !confirm(t('undoConfirm', { created: a.created, updated: a.updated }))) return
        store.set({ busy: { what: 'undo', since: Date.now() }, message: null })
        const r = await undoImport(a.id)
        store.set(r.ok ? { busy: null, applied: null, report: null, message: { key: 'undone', ok: true } } : { busy: null, message: { key: 'failed', vars: { message: r.message }, ok: false } })
      }
    })
    el.table.addEventListener('click', (e) => {
      const target = e.target as HTMLElement
      const place = target.closest<HTMLElement>('[data-place]')
      if (place) return store.set({ placing: Number(place.dataset.place), selected: Number(place.dataset.place) })
      const row = target.closest<HTMLElement>('tr[data-row]')
      if (row) store.set({ selected: Number(row.dataset.row) })
    })
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && store.get().placing !== null) store.set({ placing: null })
    })

    render(store.get(), null)
    view = await createImportMap(el.map, { regions, config, lang, fontFaces: fontFacesFromPage() }, {
      onPick(lonlat) {
        const s = store.get()
        if (s.placing === null) return false
        store.set({ placed: { ...s.placed, [String(s.placing)]: lonlat }, placing: null })
        return true
      },
      onSelect: (row) => {
        store.set({ selected: row })
        el.table.querySelector(`tr[data-row="${row}"]`)?.scrollIntoView({ block: 'nearest' })
      },
      onIdle(idle) {
        mapIdle = idle
        hooks.idle = idle && store.get().busy === null && !demandBusy
      },
    })
    hooks.mapPoints = () =>
      view!.map.queryRenderedFeatures({ layers: [ROW_LAYER] }).map((f) => {
        const [lon, lat] = (f.geometry as GeoJSON.Point).coordinates as [number, number]
        const p = view!.map.project([lon, lat])
        return { row: f.properties!.row as number, action: f.properties!.action as string, x: p.x, y: p.y }
      })
    hooks.view = () => {
      const c = view!.map.getCenter()
      return { center: [c.lng, c.lat], zoom: view!.map.getZoom() }
    }
    hooks.lngLatAt = (x, y) => {
      const l = view!.map.unproject([x, y])
      return [l.lng, l.lat]
    }
    render(store.get(), null)
  },
})
