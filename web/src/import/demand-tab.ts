/**
 * The import page's "Demand / 需求" tab: a demand file (GeoTIFF population raster, weighted points or
 * H3 cells) with the layer's id, title, unit, source and licence; the dry run's total, cells, per-county
 * totals and rejected rows, its cells shaded on the map; apply (replaces the layer in one transaction);
 * "make this the default" for each county it covers; a link into the planner on it.
 */
import { plannerUrl, postDemandImport, setDefaultLayer, type DemandImportForm, type DemandImportReport } from '../api.ts'
import { esc } from '../dom.ts'
import { formatCount } from '../format.ts'
import { createStore } from '../page/store.ts'
import { d } from './demand-strings.ts'

type Crs = 'wgs84' | 'gcj02' | 'bd09'
const TEXT_FIELDS = ['layer', 'name', 'unit', 'source', 'licence'] as const
type TextField = (typeof TEXT_FIELDS)[number]

export interface DemandState {
  file: File | null
  fields: Record<TextField, string>
  crs: Crs
  h3: 'aggregate' | 'keep'
  busy: 'dry' | 'apply' | null
  report: DemandImportReport | null
  message: { key: Parameters<typeof d>[0]; vars?: Record<string, string | number>; ok: boolean } | null
  /** county → default layer, as the server last said */
  defaults: Record<string, string>
}

export interface DemandTabDeps {
  side: HTMLElement
  table: HTMLElement
  regionName(code: string): string
  /** shade the report's cells on the map (null clears) */
  showCells(cells: Array<[string, number]> | null): void
  onBusy(busy: boolean): void
}

const fmt = (n: number) => formatCount(Math.round(n))
const options = <T extends string>(values: readonly T[], current: T, label: (v: T) => string) =>
  values.map((v) => `<option value="${v}"${v === current ? ' selected' : ''}>${esc(label(v))}</option>`).join('')

export class DemandTab {
  readonly store = createStore<DemandState>({
    file: null, fields: { layer: '', name: '', unit: '人', source: '', licence: '' }, crs: 'wgs84', h3: 'aggregate', busy: null, report: null, message: null, defaults: {},
  })
  private active = false

  constructor(private readonly dd: DemandTabDeps) {
    this.store.subscribe(() => this.active && this.renderResult())
    dd.side.addEventListener('input', (e) => {
      const el = e.target as HTMLInputElement
      const f = el.dataset.demandField as TextField | undefined
      if (this.active && f) this.store.set({ fields: { ...this.store.get().fields, [f]: el.value } })
    })
    dd.side.addEventListener('change', (e) => {
      if (!this.active) return
      const el = e.target as HTMLInputElement
      if (el.dataset.demandFile !== undefined) {
        const file = el.files?.[0] ?? null
        const s = this.store.get()
        // a layer id and title from the file name, when the editor has not typed any
        const stem = (file?.name ?? '').replace(/\.[^.]+$/, '').toLowerCase().replace(/[^a-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60)
        this.store.set({ file, report: null, message: null, fields: { ...s.fields, layer: s.fields.layer || stem, name: s.fields.name || (file?.name ?? '') } })
        this.renderForm()
        if (file) void this.run(true)
      } else if (el.name === 'demand-crs') this.store.set({ crs: el.value as Crs })
      else if (el.name === 'demand-h3') this.store.set({ h3: el.value as 'aggregate' | 'keep' })
    })
    dd.side.addEventListener('click', (e) => {
      if (!this.active) return
      const el = (e.target as HTMLElement).closest<HTMLElement>('[data-demand-action]')
      if (!el) return
      const action = el.dataset.demandAction
      if (action === 'dry') void this.run(true)
      else if (action === 'apply') void this.run(false)
      else if (action === 'default') void this.makeDefault(el.dataset.region!)
    })
  }

  show(defaults: Record<string, string>): void {
    this.active = true
    this.store.set({ defaults })
    this.renderForm()
  }

  setDefaults(defaults: Record<string, string>): void {
    this.store.set({ defaults })
  }

  hide(): void {
    this.active = false
    this.dd.showCells(null)
  }

  /** The form, drawn on entering the tab and on a language change (typed values come from the state). */
  renderForm(): void {
    if (!this.active) return
    const s = this.store.get()
    const input = (f: TextField, hint?: string) =>
      `<label class="im-field im-text"><span>${esc(d(f))}</span><input type="text" data-demand-field="${f}" data-testid="demand-${f}" value="${esc(s.fields[f])}" ${f === 'licence' ? 'placeholder="CC BY 4.0"' : ''}/>${hint ? `<small>${esc(hint)}</small>` : ''}</label>`
    this.dd.side.innerHTML = `<div class="im-head"><p>${esc(d('lead'))}</p></div>
      <label class="im-card im-drop"><span class="im-drop-title">${esc(d('file'))}</span>
        <input type="file" accept=".tif,.tiff,.csv,.txt,.xlsx,.geojson,.json" data-demand-file data-testid="demand-file"/>
        <small>${esc(s.file ? `${s.file.name} · ${formatCount(Math.ceil(s.file.size / 1024))} KB` : d('fileHint'))}</small></label>
      <div data-demand-slot="summary"></div>
      <div class="im-card im-form" data-form="demand">
        <div class="im-row">${input('layer', d('layerHint'))}${input('name')}</div>
        <div class="im-row">${input('source', d('sourceHint'))}</div>
        <div class="im-row">${input('licence')}${input('unit')}</div>
        <div class="im-row">
          <label class="im-field"><span>${esc(d('crs'))}</span><select name="demand-crs">${options(['wgs84', 'gcj02', 'bd09'] as const, s.crs, (v) => d(`crs.${v}`))}</select></label>
          <label class="im-field"><span>${esc(d('h3'))}</span><select name="demand-h3">${options(['aggregate', 'keep'] as const, s.h3, (v) => d(`h3.${v}`))}</select></label>
        </div>
        <div data-demand-slot="actions"></div>
      </div>`
    this.renderResult()
  }

  private renderResult(): void {
    const s = this.store.get()
    const r = s.report
    const actions = this.dd.side.querySelector('[data-demand-slot="actions"]')
    const summary = this.dd.side.querySelector('[data-demand-slot="summary"]')
    if (!actions || !summary) return
    const busy = s.busy !== null
    const applied = r?.applied === true
    const defaults = applied ? r!.by_region.map((c) => {
      const name = this.dd.regionName(c.code)
      return s.defaults[c.code] === r!.layer
        ? `<p class="im-note" data-testid="demand-is-default">${esc(d('isDefault', { region: name, layer: r!.layer }))}</p>`
        : `<button type="button" class="btn-plain" data-demand-action="default" data-region="${esc(c.code)}" data-testid="demand-make-default" ${busy ? 'disabled' : ''}>${esc(d('makeDefault', { region: name }))}</button>`
    }).join('') : ''
    const planner = applied && r!.by_region[0] ? `<a class="btn-plain" data-testid="demand-open-planner" href="${esc(plannerUrl({ region: r!.by_region[0].code, layer: r!.layer }))}">${esc(d('openPlanner'))}</a>` : ''
    actions.innerHTML = `<div class="im-actions">
        <button type="button" class="btn-plain" data-demand-action="dry" data-testid="demand-dry-run" ${busy || !s.file ? 'disabled' : ''}>${esc(d('dryRun'))}</button>
        <button type="button" class="btn-strong" data-demand-action="apply" data-testid="demand-apply" ${busy || !r || applied || r.rejected > 0 ? 'disabled' : ''}>${esc(d('apply'))}</button>
      </div>
      ${busy ? `<div class="im-progress" role="progressbar" aria-busy="true"><span class="im-bar"></span><span>${esc(s.busy === 'dry' ? d('reading', { n: s.file?.name ?? '' }) : d('writing'))}</span></div>` : ''}
      ${s.message ? `<p class="form-msg ${s.message.ok ? 'ok' : 'bad'}" data-testid="demand-message" role="status">${esc(d(s.message.key, s.message.vars))}</p>` : ''}
      ${defaults || planner ? `<div class="im-actions">${defaults}${planner}</div>` : ''}`
    summary.innerHTML = r ? this.summaryHtml(r) : ''
    this.dd.table.innerHTML = r && r.rejected_rows.length ? this.rejectedHtml(r) : ''
  }

  private summaryHtml(r: DemandImportReport): string {
    const counties = r.by_region.map((c) => `<tr data-code="${esc(c.code)}"><td>${esc(this.dd.regionName(c.code))}</td><td class="num">${fmt(c.cells)}</td><td class="num">${fmt(c.total)}</td></tr>`).join('')
    const notes = [
      r.raster ? d('raster', { w: r.raster.width, h: r.raster.height, nodata: formatCount(r.raster.nodata_pixels) }) : '',
      r.outside.units ? d('outside', { weight: fmt(r.outside.weight), units: formatCount(r.outside.units) }) : '',
      r.not_yours.units ? d('notYours', { weight: fmt(r.not_yours.weight), units: formatCount(r.not_yours.units), regions: r.not_yours.regions.map((c) => this.dd.regionName(c)).join('、') }) : '',
      r.rejected ? d('rejected', { n: formatCount(r.rejected) }) : '',
    ].filter(Boolean)
    return `<div class="im-card im-summary" data-testid="demand-summary"><h2>${esc(r.applied ? d('summaryApplied') : d('summary'))}</h2>
      <p class="im-note">${esc(d('format', { format: r.format === 'geotiff' ? 'GeoTIFF' : r.format.toUpperCase(), res: r.resolution }))}</p>
      <div class="dm-figures"><div><b data-testid="demand-total" data-total="${r.total}">${fmt(r.total)}</b><span>${esc(d('total'))}</span></div>
        <div><b data-testid="demand-cells">${formatCount(r.cells)}</b><span>${esc(d('cells'))}</span></div></div>
      <table class="dm-counties" data-testid="demand-by-county"><thead><tr><th>${esc(d('county'))}</th><th class="num">${esc(d('cells'))}</th><th class="num">${esc(d('total'))}</th></tr></thead><tbody>${counties}</tbody></table>
      ${notes.map((n) => `<p class="im-note">${esc(n)}</p>`).join('')}
      <p class="im-note dm-legend"><i></i>${esc(d('legend'))}</p></div>`
  }

  private rejectedHtml(r: DemandImportReport): string {
    const rows = r.rejected_rows.map((x) => `<tr><td class="num">${x.row}</td><td class="im-detail">${esc(`${x.column ? `${x.column}: ` : ''}${x.message}`)}</td></tr>`).join('')
    return `<table data-testid="demand-rejected"><thead><tr><th>${esc(d('row'))}</th><th>${esc(d('reason'))}</th></tr></thead><tbody>${rows}</tbody></table>`
  }

  private async run(dryRun: boolean): Promise<void> {
    const s = this.store.get()
    if (!s.file) return this.store.set({ message: { key: 'chooseFile', ok: false } })
    // a dry run needs only the file and a layer id; the title and the source are asked for before applying
    const missing = (dryRun ? (['layer'] as const) : (['layer', 'name', 'source'] as const)).filter((f) => !s.fields[f].trim())
    if (missing.length) return this.store.set({ message: { key: 'missing', vars: { fields: missing.map((f) => d(f)).join('、') }, ok: false } })
    this.store.set({ busy: dryRun ? 'dry' : 'apply', message: null })
    this.dd.onBusy(true)
    const f = s.fields
    const form: DemandImportForm = {
      file: s.file, layer: f.layer.trim(), unit: f.unit.trim() || '人',
      ...(f.name.trim() ? { name: f.name.trim() } : {}), ...(f.source.trim() ? { source: f.source.trim() } : {}), ...(f.licence.trim() ? { licence: f.licence.trim() } : {}), crs: s.crs, h3: s.h3, dry_run: dryRun ? 'true' : 'false',
    }
    const r = await postDemandImport(form)
    this.dd.onBusy(false)
    if (!r.ok) {
      this.dd.showCells(null)
      return this.store.set({ busy: null, report: null, message: { key: 'failed', vars: { message: r.message }, ok: false } })
    }
    this.dd.showCells(r.report.preview)
    this.store.set({
      busy: null, report: r.report,
      message: r.report.applied ? { key: 'applied', vars: { layer: r.report.layer, cells: formatCount(r.report.cells), total: fmt(r.report.total) }, ok: true } : null,
    })
  }

  private async makeDefault(region: string): Promise<void> {
    const r = this.store.get().report
    if (!r) return
    this.store.set({ busy: 'apply' })
    const out = await setDefaultLayer(region, r.layer)
    this.store.set(out.ok
      ? { busy: null, defaults: out.defaults, message: { key: 'defaultSet', vars: { region: this.dd.regionName(region), layer: r.layer }, ok: true } }
      : { busy: null, message: { key: 'failed', vars: { message: out.message }, ok: false } })
  }
}
