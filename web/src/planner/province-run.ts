/**
 * 省级 / 全域覆盖 (issue 13 item 5): coverage over a province or the whole data set, computed on the
 * server — too much demand for the page to download — streamed with progress (phase and counts) and
 * cancellable. A pure view (provinceRunHtml) over a small state, and the binding that runs it.
 */
import { streamCoverage, type CoverageResponse, type PlanningProgress } from '../api.ts'
import { esc } from '../dom.ts'
import { formatCount, formatPercent } from '../format.ts'
import { getLang } from '../i18n/lang.ts'
import type { RegionOption } from './plan-panel.ts'
import type { PlanSettings } from './plan-state.ts'
import { t } from './strings.ts'

/** GB/T 2260 province-level codes (first two digits) and names, for the regions loaded. */
const PROVINCES: Record<string, [string, string]> = {
  '11': ['北京市', 'Beijing'], '12': ['天津市', 'Tianjin'], '13': ['河北省', 'Hebei'], '14': ['山西省', 'Shanxi'], '15': ['内蒙古自治区', 'Inner Mongolia'],
  '21': ['辽宁省', 'Liaoning'], '22': ['吉林省', 'Jilin'], '23': ['黑龙江省', 'Heilongjiang'], '31': ['上海市', 'Shanghai'], '32': ['江苏省', 'Jiangsu'],
  '33': ['浙江省', 'Zhejiang'], '34': ['安徽省', 'Anhui'], '35': ['福建省', 'Fujian'], '36': ['江西省', 'Jiangxi'], '37': ['山东省', 'Shandong'],
  '41': ['河南省', 'Henan'], '42': ['湖北省', 'Hubei'], '43': ['湖南省', 'Hunan'], '44': ['广东省', 'Guangdong'], '45': ['广西壮族自治区', 'Guangxi'],
  '46': ['海南省', 'Hainan'], '50': ['重庆市', 'Chongqing'], '51': ['四川省', 'Sichuan'], '52': ['贵州省', 'Guizhou'], '53': ['云南省', 'Yunnan'],
  '54': ['西藏自治区', 'Tibet'], '61': ['陕西省', 'Shaanxi'], '62': ['甘肃省', 'Gansu'], '63': ['青海省', 'Qinghai'], '64': ['宁夏回族自治区', 'Ningxia'],
  '65': ['新疆维吾尔自治区', 'Xinjiang'],
}

export type ProvinceRunState =
  | { status: 'idle' }
  | { status: 'running'; region: string; progress: PlanningProgress | null }
  | { status: 'done'; region: string; result: CoverageResponse }
  | { status: 'error'; region: string; message: string }

/** The province codes (XX0000) of the loaded regions, plus `all`, with their labels. */
export function provinceChoices(regions: readonly RegionOption[]): { code: string; label: string }[] {
  const en = getLang() === 'en'
  const prefixes = [...new Set(regions.map((r) => r.code.slice(0, 2)))].sort()
  return [
    { code: 'all', label: t('provinceAll') },
    ...prefixes.map((p) => ({ code: `${p}0000`, label: PROVINCES[p] ? PROVINCES[p]![en ? 1 : 0] : `${p}0000` })),
  ]
}

const PHASE_KEY = { region: 'phaseRegion', stations: 'phaseStations', demand: 'phaseDemand', compute: 'phaseCompute' } as const

/** The section: region choice, run / cancel, a progress bar with phase and counts, then the figures. */
export function provinceRunHtml(s: ProvinceRunState, choices: { code: string; label: string }[], chosen: string): string {
  const running = s.status === 'running'
  const opts = choices.map((c) => `<option value="${esc(c.code)}"${c.code === chosen ? ' selected' : ''}>${esc(c.label)}</option>`).join('')
  let body = `<p class="field-hint">${esc(t('provinceHint'))}</p>`
  if (s.status === 'running') {
    const p = s.progress
    const phase = p ? t(PHASE_KEY[p.phase]) : t('phaseStart')
    const counts = p
      ? `${t('provinceItems', { read: formatCount(p.items_read), total: formatCount(p.items_total) })}${p.stations !== null ? ` · ${t('provinceStations', { n: formatCount(p.stations) })}` : ''} · ${(p.elapsed_ms / 1000).toFixed(1)} s`
      : ''
    // demand read is the long measurable part; stations and compute show as an indeterminate bar
    const bar = p && p.phase === 'demand' && p.items_total > 0 ? `<progress max="${p.items_total}" value="${p.items_read}"></progress>` : '<progress></progress>'
    body = `<div class="province-progress" role="status" data-testid="province-progress"><div>${esc(phase)}</div>${bar}<div class="field-hint">${esc(counts)}</div></div>`
  } else if (s.status === 'done') {
    const r = s.result
    const badges = `${r.layer.modelled ? `<span class="badge-model">${esc(t('modelled'))}</span>` : ''}${r.layer.demo ? `<span class="badge-demo">${esc(t('demoData'))}</span>` : ''}`
    body = `<div class="province-result" data-testid="province-result"><strong>${esc(formatPercent(r.ratio))}</strong> ${esc(t('provinceCovered', { covered: formatCount(Math.round(r.covered)), total: formatCount(Math.round(r.total)), unit: getLang() === 'en' ? r.layer.unit_en || r.layer.unit : r.layer.unit }))} ${badges}<div class="field-hint">${esc(t('provinceStations', { n: formatCount(r.stations.counted) }))} · ${esc(t('provinceCounties', { n: formatCount(r.by_region.length) }))}</div></div>`
  } else if (s.status === 'error') {
    body = `<p class="province-error" role="alert">${esc(s.message)}</p>`
  }
  return `<div class="province-row"><select data-province="region" data-testid="province-region"${running ? ' disabled' : ''}>${opts}</select>
    ${running ? `<button type="button" data-province="cancel" data-testid="province-cancel">${esc(t('provinceCancel'))}</button>` : `<button type="button" data-province="run" data-testid="province-run">${esc(t('provinceRun'))}</button>`}</div>${body}`
}

/**
 * Binds the section in `el`: runs the planner's kind and layer over the chosen province (or all),
 * draws each progress event, cancels on request (or when `el` is redrawn by a new run).
 */
export function mountProvinceRun(el: HTMLElement, regions: readonly RegionOption[], settings: () => PlanSettings): void {
  const choices = provinceChoices(regions)
  let chosen = choices[1]?.code ?? 'all'
  let state: ProvinceRunState = { status: 'idle' }
  let abort: AbortController | null = null
  const render = () => (el.innerHTML = provinceRunHtml(state, choices, chosen))
  el.addEventListener('change', (e) => {
    const target = e.target as HTMLSelectElement
    if (target.dataset.province === 'region') chosen = target.value
  })
  el.addEventListener('click', (e) => {
    const action = (e.target as HTMLElement).closest<HTMLElement>('[data-province]')?.dataset.province
    if (action === 'cancel') {
      abort?.abort()
      return
    }
    if (action !== 'run') return
    const s = settings()
    const region = chosen
    const run = (abort = new AbortController())
    state = { status: 'running', region, progress: null }
    render()
    streamCoverage({ region, ...(s.kind !== 'all' ? { kind: s.kind } : {}), layer: s.layer }, (progress) => {
      if (abort !== run) return
      state = { status: 'running', region, progress }
      render()
    }, run.signal)
      .then((result) => (state = { status: 'done', region, result }))
      .catch((err: Error) => (state = run.signal.aborted ? { status: 'idle' } : { status: 'error', region, message: err.message }))
      .finally(() => {
        if (abort === run) abort = null
        render()
      })
  })
  render()
}
