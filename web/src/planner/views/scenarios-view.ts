/**
 * The 方案 (scenarios) sub-tab: save the plan on the server (which recomputes its coverage before
 * and after), list, load, delete, compare two side by side, and export them.
 */
import { KIND_INFO, type StationKind } from '@core/station-kinds.ts'
import { deleteScenario, fetchScenario, listScenarios, saveScenario, scenarioExportUrl, type ScenarioSummary } from '../../api.ts'
import { esc } from '../../dom.ts'
import { mayWrite, currentUser, onAccountChange, writeGate } from '../../page/account.ts'
import { formatClock, formatCount, formatDistance, formatMonthDay, formatPercent } from '../../format.ts'
import { kindName } from '../../i18n/names.ts'
import { planKind, type PlanKind, type PlanSettings, type PlanState } from '../plan-state.ts'
import type { PlanChanges } from '../plan-edits.ts'
import { t } from '../strings.ts'

interface ScenariosModel {
  canSave: boolean
  /** the sign-in prompt shown instead of the save form (null: this user may save in the region) */
  saveGate: string | null
  list: ScenarioSummary[] | null
  compare: string[]
  saving: boolean
  defaultName: string
  exportUrl: (id: string, format: 'geojson' | 'csv') => string
  regionName: (code: string) => string
  error: string | null
}

function scenariosHtml(m: ScenariosModel): string {
  const save = m.saveGate
    ? m.saveGate
    : m.canSave
    ? `<form class="save-form" data-testid="save-form">
        <input type="text" name="name" maxlength="100" placeholder="${esc(t('scenarioName'))}" value="${esc(m.defaultName)}" data-testid="scenario-name" aria-label="${esc(t('scenarioName'))}" />
        <button type="submit" class="btn btn-primary" data-testid="scenario-save"${m.saving ? ' disabled' : ''}>${esc(t('saveScenario'))}</button>
      </form>`
    : `<p class="hint">${esc(t('editAllKinds'))}</p>`
  const err = m.error ? `<div class="panel-status error">${esc(m.error)}</div>` : ''
  if (!m.list) return save + err
  if (!m.list.length) return save + err + `<p class="hint">${esc(t('noScenarios'))}</p>`
  const rows = m.list
    .map((s) => {
      const checked = m.compare.includes(s.id)
      const kind = s.kinds?.[0] as StationKind | undefined
      return `<li class="scenario" data-scenario="${esc(s.id)}">
        <label class="scenario-check" title="${esc(t('compare'))}"><input type="checkbox" data-compare="${esc(s.id)}"${checked ? ' checked' : ''} /></label>
        <div class="scenario-main">
          <div class="scenario-name">${esc(s.name)}</div>
          <div class="gap-meta">${esc(m.regionName(s.region_code))}${kind && KIND_INFO[kind] ? ` · ${esc(kindName(kind))}` : ''} · <span data-testid="scenario-rule">${esc(ruleLabel(s))}</span> · ${esc(formatPercent(s.before.ratio))} → <b>${esc(formatPercent(s.after.ratio))}</b> · +${formatCount(s.stations_added)}</div>
          <div class="scenario-actions">
            <button type="button" class="link-btn" data-load="${esc(s.id)}" data-testid="scenario-load">${esc(t('load'))}</button>
            <a class="link-btn" href="${esc(m.exportUrl(s.id, 'geojson'))}" download data-testid="export-geojson">${esc(t('exportGeojson'))}</a>
            <a class="link-btn" href="${esc(m.exportUrl(s.id, 'csv'))}" download data-testid="export-csv">${esc(t('exportCsv'))}</a>
            ${mayWrite(currentUser(), s.region_code) ? `<button type="button" class="link-btn danger" data-delete="${esc(s.id)}">${esc(t('delete'))}</button>` : ''}
          </div>
        </div>
      </li>`
    })
    .join('')
  const pair = m.compare.map((id) => m.list!.find((s) => s.id === id)).filter((s): s is ScenarioSummary => !!s)
  const compare = pair.length === 2 ? compareHtml(pair as [ScenarioSummary, ScenarioSummary], m.regionName) : `<p class="hint">${esc(t('compareHint'))}</p>`
  return save + err + `<h3 class="sub-title">${esc(t('savedScenarios'))}</h3><ul class="scenario-list">${rows}</ul>` + compare
}

/** The rule a scenario's figures use: 直线, or 路网 · 电动车 5 分钟可达. */
function ruleLabel(s: Pick<ScenarioSummary, 'metric' | 'mode' | 'minutes'>): string {
  if (s.metric !== 'network' || !s.mode || !s.minutes) return t('ruleStraight')
  return t('ruleFigure', { mode: t(s.mode === 'foot' ? 'modeFoot' : 'modeEbike'), minutes: String(s.minutes) })
}

function compareHtml([a, b]: [ScenarioSummary, ScenarioSummary], regionName: (code: string) => string): string {
  const row = (label: string, f: (s: ScenarioSummary) => string) => `<tr><th>${esc(label)}</th><td>${f(a)}</td><td>${f(b)}</td></tr>`
  const pct = (r: number) => esc(formatPercent(r))
  const delta = (s: ScenarioSummary) => {
    const d = (s.after.ratio - s.before.ratio) * 100
    return `${d >= 0 ? '+' : '−'}${Math.abs(d).toFixed(1)}`
  }
  return `<table class="compare" data-testid="scenario-compare">
    <thead><tr><th></th><th>${esc(a.name)}</th><th>${esc(b.name)}</th></tr></thead>
    <tbody>
      ${row(t('planRegion'), (s) => esc(regionName(s.region_code)))}
      ${row(t('planRule'), (s) => esc(ruleLabel(s)))}
      ${row(t('planRadius'), (s) => esc(s.metric === 'network' ? '—' : s.radius_m ? formatDistance(s.radius_m) : t('radiusOwn')))}
      ${row(t('planAt'), (s) => esc(s.at ? formatClock(new Date(s.at)) : t('atAnyTime')))}
      ${row(t('before'), (s) => pct(s.before.ratio))}
      ${row(t('after'), (s) => `<b>${pct(s.after.ratio)}</b>`)}
      ${row(t('changePoints'), delta)}
      ${row(t('stationsAdded'), (s) => formatCount(s.edits.added.length))}
      ${row(t('stationsMoved'), (s) => formatCount(s.edits.moved.length))}
      ${row(t('stationsRemoved'), (s) => formatCount(s.edits.removed.length))}
    </tbody>
  </table>`
}

export interface ScenariosViewContext {
  state(): PlanState
  regionName(code: string): string
  flash(text: string): void
  /** a saved plan's settings and edits replace the current ones */
  load(settings: PlanSettings, changes: PlanChanges): Promise<void>
  /** the road-network rule the figures use now, or null: straight-line (chosen, or no roads here) */
  network(): { mode: 'ebike' | 'foot'; minutes: number } | null
}

export class ScenariosView {
  private list: ScenarioSummary[] | null = null
  private compare: string[] = []
  private saving = false
  private error: string | null = null
  /** what the planner typed in the name field; null: the name follows the plan */
  private typedName: string | null = null
  private request = 0

  constructor(
    private readonly el: () => HTMLElement | null,
    private readonly count: () => HTMLElement | null,
    private readonly ctx: ScenariosViewContext,
  ) {
    onAccountChange(() => this.render())
  }

  get loaded(): boolean {
    return this.list !== null
  }

  render(): void {
    const el = this.el()
    const count = this.count()
    if (count) count.textContent = this.list?.length ? String(this.list.length) : ''
    if (!el) return
    // The name field survives re-renders as the same element: a list refresh that lands while the
    // planner types must not drop what was typed (or the focus).
    const input = el.querySelector<HTMLInputElement>('[name="name"]')
    const typing = !!input && document.activeElement === input
    el.innerHTML = scenariosHtml({
      canSave: planKind(this.ctx.state().settings) !== null,
      saveGate: writeGate(this.ctx.state().settings.region, 'save'),
      list: this.list,
      compare: this.compare,
      saving: this.saving,
      defaultName: this.typedName ?? this.defaultName(),
      exportUrl: scenarioExportUrl,
      regionName: this.ctx.regionName,
      error: this.error,
    })
    if (input) {
      el.querySelector('[name="name"]')?.replaceWith(input)
      if (typing) input.focus()
      this.syncName()
    }
  }

  /** The planner typed in the name field: from now on it keeps their name (an emptied field follows the plan again). */
  onNameInput(value: string): void {
    this.typedName = value.trim() ? value : null
  }

  /** The plan changed: an untyped name follows it ("金乡县 · 骑士驿站 · +5 · 12/01"). */
  syncName(): void {
    const input = this.el()?.querySelector<HTMLInputElement>('[name="name"]')
    if (!input || this.typedName !== null || document.activeElement === input) return
    input.value = this.defaultName()
  }

  /** The scenarios of the region in view (GET /api/scenarios?region=); a later refresh wins. */
  async refresh(): Promise<void> {
    const request = ++this.request
    try {
      const list = await listScenarios(this.ctx.state().settings.region)
      if (request !== this.request) return
      this.list = list
      this.compare = this.compare.filter((id) => list.some((s) => s.id === id))
      this.error = null
    } catch (err) {
      if (request !== this.request) return
      this.error = err instanceof Error ? err.message : String(err)
    }
    this.render()
  }

  /** A compare box was ticked or cleared: at most the last two stay ticked. */
  onCompare(id: string, checked: boolean): void {
    const list = this.compare.filter((x) => x !== id)
    this.compare = checked ? [...list, id].slice(-2) : list
    this.render()
  }

  async save(name: string): Promise<void> {
    const state = this.ctx.state()
    const kind = planKind(state.settings)
    if (!kind || this.saving) return
    this.saving = true
    this.render()
    const s = state.settings
    const rule = this.ctx.network()
    try {
      const saved = await saveScenario({
        name: name.trim() || this.defaultName(),
        kind,
        region: s.region,
        layer: s.layer,
        ...(s.radius ? { radius_m: s.radius } : {}),
        ...(s.at ? { at: s.at } : {}),
        // saved with the rule on screen: the server recomputes before/after by road too
        ...(rule ? { metric: 'network' as const, mode: rule.mode, minutes: rule.minutes } : {}),
        edits: state.changes,
      })
      this.ctx.flash(t('scenarioSaved', { name: saved.name }))
      this.error = null
      this.typedName = null
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err)
    }
    this.saving = false
    await this.refresh()
  }

  async open(id: string): Promise<void> {
    try {
      const s = await fetchScenario(id)
      // reopened under the rule its figures were saved with (by road: the same mode and minutes)
      const current = this.ctx.state().settings
      const rule = s.metric === 'network' && s.mode && s.minutes ? { metric: 'network' as const, mode: s.mode, minutes: s.minutes } : { metric: 'straight' as const, mode: current.mode, minutes: current.minutes }
      const settings: PlanSettings = { ...current, region: s.region_code, kind: (s.kinds?.[0] ?? 'all') as PlanKind, radius: s.radius_m, layer: s.layer_id, at: s.at ? formatClock(new Date(s.at)) : null, ...rule }
      await this.ctx.load(settings, { added: s.edits.added, moved: s.edits.moved, removed: s.edits.removed })
      this.ctx.flash(t('scenarioLoaded', { name: s.name }))
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err)
      this.render()
    }
  }

  async remove(id: string): Promise<void> {
    try {
      await deleteScenario(id)
    } catch (err) {
      this.error = err instanceof Error ? err.message : String(err)
    }
    await this.refresh()
  }

  private defaultName(): string {
    const state = this.ctx.state()
    const kind = planKind(state.settings)
    return `${this.ctx.regionName(state.settings.region)} · ${kind ? kindName(kind) : t('allKinds')} · +${state.changes.added.length} · ${formatMonthDay(new Date())}`
  }
}
