/**
 * The edit mode of the station map (issue 11): add a station by clicking or tapping the map, move
 * one by dragging it (mouse or touch), edit every field in the sheet, retire it after a confirmation,
 * see its history with a diff per field and restore a version. Every write carries the version it was
 * based on; a 409 shows what the other editor changed and lets this one redo the change on top —
 * never a silent overwrite.
 *
 * Dragging uses MapLibre's own mouse and touch events (as the planning tab's drags do): calling
 * preventDefault() on `mousedown`/`touchstart` is how MapLibre lets a handler keep the map still,
 * and deck.gl's overlay (interleaved: false) only picks, it does not drag.
 */
import type { MapboxOverlay } from '@deck.gl/mapbox'
import type { Map as MapLibreMap, MapMouseEvent, MapTouchEvent } from 'maplibre-gl'
import { openingHoursProblem } from '@core/opening-hours-problem.ts'
import { createStation, fetchStationHistory, patchStation, restoreStation, retireStation, type StationWriteResult } from '../../api.ts'
import { formatDateTime } from '../../format.ts'
import { onDataChange } from '../../page/changes.ts'
import { currentUser, mayWrite, regionLabel } from '../../page/account.ts'
import { pointInRegion } from '../../map/point-in-region.ts'
import type { RegionCollection, StationFeature } from '../../types.ts'
import { confirmDialog } from './confirm-dialog.ts'
import { EDIT_POINTS_LAYER_ID, editLayers } from './edit-layers.ts'
import { sheetHtml, type SheetView } from './edit-sheet.ts'
import { historyEntries } from './history-diff.ts'
import { changedFields, formValues, newFormValues, serverFieldErrors, stationFields, validateForm, type FormValues, type StationFields } from './station-form.ts'
import { te } from './strings.ts'
import { MIN_EDIT_ZOOM, ViewStations, type BBox } from './view-stations.ts'

/** What browser tests read of the edit mode (window.__atlas.edit). */
export interface EditSnapshot {
  available: boolean
  active: boolean
  zoomOk: boolean
  /** the stations of the view are loaded and nothing is being saved */
  ready: boolean
  stations: { id: string; name: string; editable: boolean; lon: number; lat: number; version: number; status: string; opening_hours: string | null }[]
  sheet: SheetView['kind'] | null
  message: string | null
  saves: number
}

export interface EditDeps {
  map: MapLibreMap
  overlay: MapboxOverlay
  /** the side panel: the sheet takes the stations tab's place while open */
  panel: HTMLElement
  /** the bar on the map that says what the mode does (the toggle's neighbour) */
  bar: HTMLElement
  /** the counties' full outlines (the page draws them from tiles: read on the first add, then kept) */
  outlines(): Promise<RegionCollection['features']>
  snapshot: EditSnapshot
  /** the layers changed: compose the map's layers again */
  onLayers(): void
  /** a write succeeded: the display layer re-reads its stations */
  onWritten(station: StationFeature): void
  /** the bar's content changed (the toggle renders it) */
  onBar(): void
}

type Drag = { id: string; x: number; y: number; touch: boolean; moved: boolean; base: StationFeature; at: [number, number] }

export class EditMode {
  active = false
  private view = new ViewStations()
  private sheet: SheetView | null = null
  private sheetEl: HTMLElement
  private selectedId: string | null = null
  private pending: [number, number] | null = null
  private wanted: { id: string; at: [number, number] } | null = null
  private revision = 0
  private drag: Drag | null = null
  /** a drag just ended: the click the browser fires after it is not a click on the map */
  private dragClick = false
  private saving = 0
  message: { text: string; error: boolean } | null = null
  private messageTimer: ReturnType<typeof setTimeout> | undefined
  private offChanges: (() => void) | null = null
  private moveTimer: ReturnType<typeof setTimeout> | undefined

  constructor(private d: EditDeps) {
    this.sheetEl = document.createElement('div')
    this.sheetEl.className = 'edit-sheet'
    this.sheetEl.id = 'edit-sheet'
    this.sheetEl.dataset.testid = 'edit-sheet'
    this.sheetEl.hidden = true
    d.panel.append(this.sheetEl)
    this.bindSheet()
    this.bindMap()
  }

  // ------------------------------------------------------------ mode

  setActive(on: boolean): void {
    if (on === this.active) return
    this.active = on
    if (on) {
      this.offChanges = onDataChange('stations', () => void this.reload(true, true))
      void this.reload(true)
    } else {
      this.offChanges?.()
      this.offChanges = null
      this.closeSheet()
      this.view.clear()
      this.drag = null
      this.d.map.getCanvas().style.cursor = ''
    }
    this.changed()
  }

  /** In edit mode, zoomed in: the edit layer shows the stations, so the display layer steps aside. */
  hidesDisplay(): boolean {
    return this.active && this.zoomOk()
  }

  layers() {
    if (!this.active || !this.zoomOk()) return []
    const user = currentUser()
    return editLayers({
      stations: this.view.stations,
      editable: (s) => mayWrite(user, s.properties.region_code),
      selectedId: this.selectedId,
      pending: this.pending,
      wanted: this.wanted,
      revision: this.revision,
    })
  }

  zoomOk(): boolean {
    return this.d.map.getZoom() >= MIN_EDIT_ZOOM - 1e-6
  }

  /** The bar's status line (the toggle module renders it). */
  status(): { text: string; zoomIn: boolean } {
    if (!this.zoomOk()) return { text: te('zoomIn', { z: MIN_EDIT_ZOOM }), zoomIn: true }
    if (this.view.loading && !this.view.stations.length) return { text: te('loadingView'), zoomIn: false }
    if (this.view.truncated) return { text: te('viewTruncated', { n: this.view.stations.length }), zoomIn: true }
    const user = currentUser()
    const [w, so, e, n0] = this.viewBox()
    const inView = this.view.stations.filter((s) => {
      const [x, y] = s.geometry.coordinates as [number, number]
      return x >= w && x <= e && y >= so && y <= n0
    })
    const n = inView.length
    const m = inView.filter((s) => mayWrite(user, s.properties.region_code)).length
    return { text: te('viewCount', { n, m }), zoomIn: false }
  }

  zoomIn(): void {
    this.d.map.easeTo({ zoom: MIN_EDIT_ZOOM + 0.5, duration: 400 })
  }

  private editable(s: StationFeature): boolean {
    return mayWrite(currentUser(), s.properties.region_code) && s.properties.status !== 'retired'
  }

  private changed(): void {
    this.revision++
    this.publish()
    this.d.onLayers()
    this.d.onBar()
  }

  private say(text: string, error = false): void {
    this.message = { text, error }
    clearTimeout(this.messageTimer)
    this.messageTimer = setTimeout(() => {
      this.message = null
      this.publish()
      this.d.onBar()
    }, error ? 12_000 : 6_000)
    this.publish()
    this.d.onBar()
  }

  private publish(): void {
    const s = this.d.snapshot
    const user = currentUser()
    s.active = this.active
    s.zoomOk = this.zoomOk()
    s.ready = this.active && s.zoomOk && !this.view.loading && this.view.loaded !== null && this.saving === 0
    s.stations = this.view.stations.map((f) => ({
      id: f.properties.id, name: f.properties.name, editable: mayWrite(user, f.properties.region_code), lon: f.geometry.coordinates[0]!, lat: f.geometry.coordinates[1]!,
      version: f.properties.version, status: f.properties.status, opening_hours: f.properties.opening_hours,
    }))
    s.sheet = this.sheet?.kind ?? null
    s.message = this.message?.text ?? null
  }

  private viewBox(): BBox {
    const b = this.d.map.getBounds()
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()]
  }

  /** Reads the view's stations (when zoomed in); `others`: a poll saw someone's write. */
  private async reload(force = false, others = false): Promise<void> {
    if (!this.active || !this.zoomOk()) return this.changed()
    const before = this.sheet && this.sheet.kind !== 'form' ? null : this.sheet?.station
    this.publish()
    const changed = await this.view.load(this.viewBox(), force)
    if (!changed) return this.publish()
    if (others && before) {
      const now = this.view.get(before.properties.id)
      if (now && now.properties.version !== before.properties.version && this.sheet?.kind === 'form') {
        this.sheet.message = te('otherChanged', { name: now.properties.name })
        this.renderSheet()
      }
    }
    if (this.view.error) this.say(te('failed', { message: this.view.error }), true)
    this.changed()
  }

  // ------------------------------------------------------------ the map

  private pick(x: number, y: number, touch: boolean): StationFeature | null {
    const info = this.d.overlay.pickObject({ x, y, radius: touch ? 14 : 5, layerIds: [EDIT_POINTS_LAYER_ID] })
    return (info?.object as StationFeature | undefined) ?? null
  }

  private bindMap(): void {
    const { map } = this.d
    const down = (e: MapMouseEvent | MapTouchEvent, touch: boolean) => {
      this.dragClick = false
      if (!this.active || !this.zoomOk() || this.saving) return
      if (!touch && (e as MapMouseEvent).originalEvent.button !== 0) return
      if (touch && (e as MapTouchEvent).originalEvent.touches.length !== 1) return
      const s = this.pick(e.point.x, e.point.y, touch)
      if (!s || !this.editable(s)) return
      e.preventDefault() // keeps the map from panning under the finger
      this.drag = { id: s.properties.id, x: e.point.x, y: e.point.y, touch, moved: false, base: s, at: s.geometry.coordinates as [number, number] }
    }
    const move = (e: MapMouseEvent | MapTouchEvent) => {
      const dr = this.drag
      if (!dr) return
      if (!dr.moved && Math.hypot(e.point.x - dr.x, e.point.y - dr.y) < (dr.touch ? 8 : 3)) return
      dr.moved = true
      dr.at = [e.lngLat.lng, e.lngLat.lat]
      this.selectedId = dr.id
      this.view.put({ ...dr.base, geometry: { type: 'Point', coordinates: dr.at } })
      map.getCanvas().style.cursor = 'grabbing'
      this.changed()
    }
    const up = () => {
      const dr = this.drag
      this.drag = null
      if (!dr) return
      map.getCanvas().style.cursor = ''
      if (!dr.moved) return
      this.dragClick = true
      void this.saveMove(dr.base, dr.at)
    }
    map.on('mousedown', (e) => down(e, false))
    map.on('touchstart', (e) => down(e, true))
    map.on('mousemove', (e) => {
      if (this.drag) return move(e)
      if (!this.active || !this.zoomOk()) return
      const s = this.pick(e.point.x, e.point.y, false)
      map.getCanvas().style.cursor = s ? (this.editable(s) ? 'grab' : 'pointer') : 'crosshair'
    })
    map.on('touchmove', move)
    map.on('mouseup', up)
    map.on('touchend', up)
    map.on('touchcancel', up)
    window.addEventListener('mouseup', up)
    map.on('click', (e) => {
      if (this.dragClick) return void (this.dragClick = false)
      if (!this.active) return
      if (!this.zoomOk()) return this.say(te('zoomIn', { z: MIN_EDIT_ZOOM }), true)
      const touch = (e.originalEvent as PointerEvent).pointerType === 'touch'
      const s = this.pick(e.point.x, e.point.y, touch)
      if (s) return this.openStation(s)
      void this.startAdd(e.lngLat.lng, e.lngLat.lat)
    })
    map.on('moveend', () => {
      if (!this.active) return
      clearTimeout(this.moveTimer)
      this.moveTimer = setTimeout(() => void this.reload(), 200)
      this.changed()
    })
  }

  /** The county a point lies in, by the page's region outlines (the server decides again). */
  private async countyAt(lon: number, lat: number): Promise<string | null> {
    for (const f of await this.d.outlines()) {
      if (f.properties.level !== 'county') continue
      if (pointInRegion(lon, lat, f.geometry)) return f.properties.code
    }
    return null
  }

  private grantText(): string {
    const u = currentUser()
    if (!u || u.role === 'admin') return te('allRegions')
    return u.regions.map(regionLabel).join('、')
  }

  private async startAdd(lon: number, lat: number): Promise<void> {
    let county: string | null
    try {
      county = await this.countyAt(lon, lat)
    } catch (err) {
      return this.say(te('failed', { message: err instanceof Error ? err.message : String(err) }), true)
    }
    if (!this.active) return
    if (!county) return this.say(te('outside'), true)
    if (!mayWrite(currentUser(), county)) return this.say(te('noGrant', { region: regionLabel(county), mine: this.grantText() }), true)
    this.pending = [lon, lat]
    this.selectedId = null
    const kind = this.sheet?.kind === 'form' && !this.sheet.station ? (this.sheet.values.kind as FormValues['kind']) : 'rider_rest'
    this.openSheet({ kind: 'form', station: null, county: regionLabel(county), values: newFormValues(lon, lat, kind as never), errors: {}, message: null, busy: false })
    this.changed()
    this.sheetEl.querySelector<HTMLInputElement>('[name="name"]')?.focus({ preventScroll: true })
  }

  private openStation(s: StationFeature): void {
    if (!mayWrite(currentUser(), s.properties.region_code)) {
      return this.say(te('noGrantStation', { name: s.properties.name, region: s.properties.region_code ? regionLabel(s.properties.region_code) : '—' }), true)
    }
    this.pending = null
    this.selectedId = s.properties.id
    this.openSheet({ kind: 'form', station: s, values: formValues(s), errors: {}, message: null, busy: false })
    this.changed()
  }

  // ------------------------------------------------------------ writes

  private async write(run: () => Promise<StationWriteResult>): Promise<StationWriteResult> {
    this.saving++
    this.publish()
    try {
      return await run()
    } finally {
      this.saving--
      this.d.snapshot.saves++
      this.publish()
    }
  }

  private wrote(s: StationFeature, text: string): void {
    this.view.put(s)
    this.wanted = null
    this.say(text)
    this.d.onWritten(s)
    this.changed()
  }

  private failText(r: Extract<StationWriteResult, { ok: false }>): string {
    return te('failed', { message: r.message })
  }

  private async saveMove(base: StationFeature, at: [number, number]): Promise<void> {
    const county = await this.countyAt(at[0], at[1]).catch(() => null) // unknown: the server decides
    if (county && !mayWrite(currentUser(), county)) {
      this.view.put(base)
      this.say(te('noGrant', { region: regionLabel(county), mine: this.grantText() }), true)
      return this.changed()
    }
    const mine = { lon: at[0], lat: at[1] }
    const r = await this.write(() => patchStation(base.properties.id, { ...mine, version: base.properties.version }))
    if (r.ok) return this.wrote(r.station, te('savedMoved', { name: r.station.properties.name, v: r.station.properties.version }))
    if (r.status === 409 && r.conflict) return this.conflict(base, r.conflict, mine)
    this.view.put(base)
    this.say(this.failText(r), true)
    this.changed()
  }

  private conflict(base: StationFeature, current: StationFeature, mine: Partial<StationFields>): void {
    this.view.put(current)
    this.selectedId = current.properties.id
    this.wanted = mine.lon !== undefined ? { id: current.properties.id, at: [mine.lon, mine.lat!] } : null
    this.openSheet({ kind: 'conflict', base, current, mine, busy: false, message: null })
    this.changed()
  }

  private async submitForm(form: HTMLFormElement): Promise<void> {
    const v = this.sheet
    if (v?.kind !== 'form' || v.busy) return
    v.values = this.readForm(form)
    const checked = validateForm(v.values, openingHoursProblem)
    if (!checked.ok) {
      v.errors = checked.errors
      v.message = null
      this.renderSheet()
      this.sheetEl.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus()
      return
    }
    v.errors = {}
    v.message = null
    const base = v.station
    let r: StationWriteResult
    let mine: Partial<StationFields> = checked.fields
    if (base) {
      mine = changedFields(stationFields(base), checked.fields)
      if (!Object.keys(mine).length) {
        v.message = te('nothingChanged')
        return this.renderSheet()
      }
    }
    v.busy = true
    this.renderSheet()
    r = await this.write(() => (base ? patchStation(base.properties.id, { ...mine, version: base.properties.version }) : createStation(checked.fields)))
    v.busy = false
    if (r.ok) {
      this.pending = null
      this.selectedId = r.station.properties.id
      this.closeSheet()
      return this.wrote(r.station, base ? te('savedEdit', { name: r.station.properties.name, v: r.station.properties.version }) : te('savedNew', { name: r.station.properties.name }))
    }
    if (r.status === 409 && r.conflict && base) return this.conflict(base, r.conflict, mine)
    const { fields, other } = serverFieldErrors('issues' in r ? r.issues : [])
    v.errors = fields
    v.message = Object.keys(fields).length && !other.length ? null : te('failed', { message: r.message })
    this.renderSheet()
  }

  private readForm(form: HTMLFormElement): FormValues {
    const data = new FormData(form)
    const str = (k: string) => String(data.get(k) ?? '')
    return {
      kind: str('kind'), name: str('name'), address: str('address'), opening_hours: str('opening_hours'), amenities: data.getAll('amenities').map(String),
      phone: str('phone'), operator: str('operator'), capacity: str('capacity'), status: str('status'), radius_m: str('radius_m'), lon: str('lon'), lat: str('lat'),
    }
  }

  private async redo(): Promise<void> {
    const v = this.sheet
    if (v?.kind !== 'conflict' || v.busy) return
    v.busy = true
    this.renderSheet()
    const id = v.current.properties.id
    const retiring = Object.keys(v.mine).join() === 'status' && v.mine.status === 'retired'
    const r = await this.write(() => (retiring ? retireStation(id, v.current.properties.version) : patchStation(id, { ...v.mine, version: v.current.properties.version })))
    v.busy = false
    if (r.ok) {
      this.closeSheet()
      return this.wrote(r.station, te('savedEdit', { name: r.station.properties.name, v: r.station.properties.version }))
    }
    if (r.status === 409 && r.conflict) return this.conflict(v.current, r.conflict, v.mine)
    v.message = te('failed', { message: r.message })
    this.renderSheet()
  }

  private async retire(s: StationFeature): Promise<void> {
    const yes = await confirmDialog({ title: te('retireTitle', { name: s.properties.name }), body: te('retireBody'), confirm: te('retireConfirm'), danger: true, testid: 'retire-dialog' })
    if (!yes) return
    const r = await this.write(() => retireStation(s.properties.id, s.properties.version))
    if (r.ok) {
      this.closeSheet()
      return this.wrote(r.station, te('savedRetire', { name: r.station.properties.name, v: r.station.properties.version }))
    }
    if (r.status === 409 && r.conflict) return this.conflict(s, r.conflict, { status: 'retired' })
    this.say(this.failText(r), true)
  }

  private async showHistory(s: StationFeature, message: string | null = null): Promise<void> {
    const view: SheetView = { kind: 'history', station: s, entries: null, message, busy: false }
    this.openSheet(view)
    const r = await fetchStationHistory(s.properties.id)
    if (this.sheet !== view) return
    if (r.ok) view.entries = historyEntries(r.value.items, s.properties.version, { regionName: regionLabel })
    else view.message = te('failed', { message: r.message })
    this.renderSheet()
    this.publish()
  }

  private async restore(version: number): Promise<void> {
    const v = this.sheet
    if (v?.kind !== 'history' || v.busy) return
    const s = v.station
    const yes = await confirmDialog({ title: te('restore'), body: te('restoreConfirm', { name: s.properties.name, v: version }), confirm: te('restore'), testid: 'restore-dialog' })
    if (!yes) return
    v.busy = true
    this.renderSheet()
    const r = await this.write(() => restoreStation(s.properties.id, version, s.properties.version))
    v.busy = false
    if (r.ok) {
      this.wrote(r.station, te('savedRestore', { name: r.station.properties.name, from: version, v: r.station.properties.version }))
      return this.showHistory(r.station, te('savedRestore', { name: r.station.properties.name, from: version, v: r.station.properties.version }))
    }
    if (r.status === 409 && r.conflict) {
      this.view.put(r.conflict)
      this.changed()
      return this.showHistory(r.conflict, te('conflictBody', { mine: s.properties.version, now: r.conflict.properties.version, at: formatDateTime(new Date(r.conflict.properties.updated_at)) }))
    }
    v.message = te('failed', { message: r.message })
    this.renderSheet()
  }

  // ------------------------------------------------------------ the sheet

  private openSheet(view: SheetView): void {
    this.sheet = view
    this.sheetEl.innerHTML = ''
    this.renderSheet()
    this.sheetEl.hidden = false
    this.d.panel.classList.add('editing')
    document.getElementById('app')?.classList.remove('panel-collapsed')
    this.sheetEl.scrollTop = 0
    this.publish()
  }

  private closeSheet(): void {
    this.sheet = null
    this.pending = null
    this.wanted = null
    this.sheetEl.hidden = true
    this.sheetEl.innerHTML = ''
    this.d.panel.classList.remove('editing')
    this.publish()
  }

  renderSheet(): void {
    if (!this.sheet) return
    // drawing again (a message, the language) must not lose what was typed
    const form = this.sheetEl.querySelector<HTMLFormElement>('form.edit-form')
    if (form && this.sheet.kind === 'form') this.sheet.values = this.readForm(form)
    this.sheetEl.innerHTML = sheetHtml(this.sheet, { regionName: regionLabel })
  }

  private bindSheet(): void {
    const el = this.sheetEl
    el.addEventListener('submit', (e) => {
      e.preventDefault()
      void this.submitForm(e.target as HTMLFormElement)
    })
    el.addEventListener('change', (e) => {
      // the kind decides the radius hint and the select's colour: keep what was typed, draw again
      const t = e.target as HTMLElement
      if (this.sheet?.kind === 'form' && t.getAttribute('name') === 'kind') {
        this.sheet.values = this.readForm(t.closest('form')!)
        this.renderSheet()
      }
    })
    el.addEventListener('click', (e) => {
      const btn = (e.target as HTMLElement).closest<HTMLElement>('[data-edit]')
      if (!btn) return
      const action = btn.dataset.edit
      const v = this.sheet
      if (action === 'close' || action === 'discard') {
        if (v?.kind === 'conflict') this.view.put(v.current)
        this.closeSheet()
        return this.changed()
      }
      if (action === 'redo') return void this.redo()
      if (action === 'back' && v?.kind === 'history') return this.openStation(this.view.get(v.station.properties.id) ?? v.station)
      if (action === 'history' && v?.kind === 'form' && v.station) return void this.showHistory(this.view.get(v.station.properties.id) ?? v.station)
      if (action === 'retire' && v?.kind === 'form' && v.station) return void this.retire(this.view.get(v.station.properties.id) ?? v.station)
      if (action === 'restore') return void this.restore(Number(btn.dataset.version))
    })
    document.addEventListener('keydown', (e) => {
      if (e.key === 'Escape' && this.sheet && !document.querySelector('dialog[open]')) {
        this.closeSheet()
        this.changed()
      }
    })
  }

  /** Screen point (viewport px) of a station of the edit layer, or null when off screen (tests). */
  screenPoint(id: string): { x: number; y: number } | null {
    const s = this.view.get(id)
    if (!s) return null
    const p = this.d.map.project(s.geometry.coordinates as [number, number])
    const r = this.d.map.getContainer().getBoundingClientRect()
    if (p.x < 0 || p.y < 0 || p.x > r.width || p.y > r.height) return null
    return { x: r.left + p.x, y: r.top + p.y }
  }

  /** Language switched: draw the bar and the sheet again. */
  rerender(): void {
    this.renderSheet()
    this.d.onBar()
  }
}
