/**
 * The 选址 (siting) sub-tab: "suggest k sites" / "fewest sites for a target" on the server (POST
 * /api/siting with the plan's edits), the answer's figures, and the pending suggestions, which the
 * plan draws numbered until they are added or discarded (plan-state.ts).
 */
import type { SitingResponse } from '../../api.ts'
import { postSiting } from '../../api.ts'
import { esc } from '../../dom.ts'
import { formatCount, formatDemand, formatPercent } from '../../format.ts'
import { getLang } from '../../i18n/lang.ts'
import { planKind, pendingSites, withoutPending, type PlanState } from '../plan-state.ts'
import { t } from '../strings.ts'
import { detailsOpen } from '../plan-panel.ts'

interface SitingModel {
  canSite: boolean
  mode: 'count' | 'target'
  count: number
  targetPct: number
  running: boolean
  result: SitingResponse | null
  /** ids of the suggestions still pending (not yet added or discarded), by rank */
  pending: { id: string; rank: number; gain: number; region_code: string | null; moved: boolean }[]
  accepted: boolean
  unit: string
  regionName: (code: string) => string
  error: string | null
  /** the last request's round trip, ms */
  lastMs: number | null
}

/** How far the answer can be from the best possible, in the planner's words (from after and the Lagrangian bound). */
export function optimalityText(after: number, bound: number): string {
  const gap = Math.max(0, bound - after) * 100
  if (gap < 0.05) return t('sitingOptimal')
  return t('sitingOptimality', { gap: gap < 0.1 ? '0.1' : gap.toFixed(1) })
}

function sitingHtml(m: SitingModel): string {
  if (!m.canSite) return `<p class="hint">${esc(t('editAllKinds'))}</p>`
  const form = `<form class="siting-form" data-testid="siting-form">
      <div class="seg seg-wide" role="radiogroup" aria-label="${esc(t('sitingMode'))}">
        <label class="seg-btn${m.mode === 'count' ? ' active' : ''}"><input type="radio" name="siting-mode" value="count"${m.mode === 'count' ? ' checked' : ''} />${esc(t('sitingCount'))}</label>
        <label class="seg-btn${m.mode === 'target' ? ' active' : ''}"><input type="radio" name="siting-mode" value="target"${m.mode === 'target' ? ' checked' : ''} />${esc(t('sitingTarget'))}</label>
      </div>
      <div class="siting-input">
        ${m.mode === 'count'
          ? `<span class="num-unit"><input type="number" min="1" max="200" step="1" name="count" value="${m.count}" data-testid="siting-count" /><span>${getLang() === 'zh' ? '个' : 'sites'}</span></span>`
          : `<span class="num-unit"><input type="number" min="1" max="100" step="0.5" name="target" value="${m.targetPct}" data-testid="siting-target" /><span>%</span></span>`}
        <button type="submit" class="btn btn-primary" data-testid="siting-run"${m.running ? ' disabled' : ''}>${esc(m.running ? t('sitingRunning') : t('sitingRun'))}</button>
      </div>
    </form>`
  if (m.error) return form + `<div class="panel-status error">${esc(m.error)}</div>`
  if (!m.result) return form
  const r = m.result
  const head = `<div class="siting-result" data-testid="siting-result" data-after="${r.after.ratio}" data-before="${r.before.ratio}">
      ${esc(t('sitingResult', { n: formatCount(r.sites.features.length), before: formatPercent(r.before.ratio), after: formatPercent(r.after.ratio) }))}
      ${r.reached ? '' : `<div class="warn">${esc(t('sitingNotReached', { n: r.sites.features.length }))}</div>`}
      <div class="siting-bound" data-testid="siting-bound">${esc(optimalityText(r.after.ratio, r.bound.ratio))}
        <details class="tech-details" data-details="siting"${detailsOpen.has('siting') ? ' open' : ''}><summary>${esc(t('techDetails'))}</summary>
          <div>${esc(t('sitingBoundDetail', { n: formatCount(r.sites.features.length), bound: formatPercent(r.bound.ratio) }))}</div>
          ${m.lastMs === null ? '' : `<div>${esc(t('sitingTimeDetail', { ms: formatCount(Math.round(m.lastMs)), candidates: formatCount(r.candidates), res: r.resolution, swaps: formatCount(r.swaps) }))}</div>`}
        </details>
      </div>
    </div>`
  const list = m.pending.length
    ? `<ol class="site-list">${m.pending.map((p) => `<li data-site="${esc(p.id)}"><span class="rank dark">${p.rank}</span>
        <span class="gap-main"><span class="gap-demand">+${esc(formatDemand(p.gain))} <small>${esc(m.unit)}</small></span>
        <span class="gap-meta">${esc(p.region_code ? m.regionName(p.region_code) : '—')}${p.moved ? ` · ${esc(t('changeMoved'))}` : ''}</span></span>
        <button type="button" class="icon-btn" data-remove="${esc(p.id)}" title="${esc(t('deleteProposal'))}" aria-label="${esc(t('deleteProposal'))}">×</button></li>`).join('')}</ol>
      <p class="hint">${esc(t('sitingNote'))}</p>
      <div class="tool-row"><button type="button" class="btn btn-primary" data-plan-action="accept-sites" data-testid="accept-sites">${esc(t('addAllToPlan'))}</button>
        <button type="button" class="btn" data-plan-action="discard-sites">${esc(t('discardSites'))}</button></div>`
    : m.accepted ? `<p class="hint">${esc(t('sitingAdded'))}</p>` : ''
  return form + head + list
}

/** What the siting form holds between renders. */
export interface SitingForm {
  mode: 'count' | 'target'
  count: number
  targetPct: number
  running: boolean
  error: string | null
  lastMs: number | null
}

/** The form's numbers, kept in their ranges (1–200 sites, 1–100 %). */
export function clampSitingInput(name: 'count' | 'target', value: string): number {
  return name === 'count' ? Math.max(1, Math.min(200, Math.round(Number(value) || 5))) : Math.max(1, Math.min(100, Number(value) || 95))
}

export interface SitingViewContext {
  state(): PlanState
  unit(): string
  regionName(code: string): string
  /** the server's answer: its sites become the plan's pending suggestions */
  suggested(result: SitingResponse): void
  /** the road-network rule in force (sites are then chosen by travel time), or null */
  network(): { mode: 'ebike' | 'foot'; minutes: number } | null
}

export class SitingView {
  private form: SitingForm = { mode: 'count', count: 5, targetPct: 95, running: false, error: null, lastMs: null }

  constructor(private readonly el: () => HTMLElement | null, private readonly ctx: SitingViewContext) {}

  render(): void {
    const el = this.el()
    if (!el) return
    // don't re-render under the planner's fingers (typing a count)
    if (el.contains(document.activeElement) && document.activeElement instanceof HTMLInputElement && document.activeElement.type === 'number') return
    const state = this.ctx.state()
    el.innerHTML = sitingHtml({
      canSite: planKind(state.settings) !== null,
      ...this.form,
      result: state.siting.result,
      accepted: state.siting.accepted,
      pending: pendingSites(state),
      unit: this.ctx.unit(),
      regionName: this.ctx.regionName,
    })
  }

  /** A change inside the sub-tab (mode radio, count, target). */
  onChange(input: HTMLInputElement): void {
    if (input.name === 'siting-mode') {
      this.form.mode = input.value === 'target' ? 'target' : 'count'
      this.render()
    }
    if (input.name === 'count') this.form.count = clampSitingInput('count', input.value)
    if (input.name === 'target') this.form.targetPct = clampSitingInput('target', input.value)
  }

  /** The form was submitted: read it once more (Enter may come before a change event) and ask the server. */
  async submit(form: HTMLFormElement): Promise<void> {
    for (const input of form.querySelectorAll<HTMLInputElement>('[name="count"], [name="target"]')) this.onChange(input)
    ;(document.activeElement as HTMLElement | null)?.blur()
    const state = this.ctx.state()
    const kind = planKind(state.settings)
    if (!kind || this.form.running) return
    this.form.running = true
    this.form.error = null
    this.render()
    const s = state.settings
    const rule = this.ctx.network()
    const t0 = performance.now()
    try {
      const res = await postSiting({
        kind,
        region: s.region,
        layer: s.layer,
        ...(s.radius ? { radius_m: s.radius } : {}),
        ...(this.form.mode === 'count' ? { count: this.form.count } : { target_ratio: Math.min(1, this.form.targetPct / 100) }),
        ...(s.at ? { at: s.at } : {}),
        ...(rule ? { metric: 'network' as const, mode: rule.mode, minutes: rule.minutes } : {}),
        edits: withoutPending(state),
      })
      this.form.running = false
      this.form.lastMs = performance.now() - t0
      this.ctx.suggested(res)
    } catch (err) {
      this.form.running = false
      this.form.error = err instanceof Error ? err.message : String(err)
      this.render()
    }
  }
}
