/**
 * The big-screen panels, rendered from a StopPanels value (view.ts). Every number carries its
 * unit and a `data-field` / `data-value` pair, so the test reads exactly what is on screen and the
 * value it came from. Demo and modelled data are labelled, quietly; programme figures name their source.
 */
import { KIND_INFO, STATION_KINDS } from '@core/station-kinds.ts'
import { cssColor, esc } from '../dom.ts'
import { distanceParts, formatArea, formatCompactDemand, formatCount, formatFigure, formatPercent } from '../format.ts'
import { getLang } from '../i18n/lang.ts'
import { kindName } from '../i18n/names.ts'
import type { StopLevel } from './stops.ts'
import { s } from './strings.ts'
import type { ComparisonRow, CountsView, CoverageView, GapView, ProgrammeView } from './view.ts'

/** `undefined`: still loading; `null`: the API has nothing (e.g. no unserved area); Error: the request failed */
export type Slot<T> = T | null | undefined | Error

export interface StopPanels {
  step: number
  steps: number
  level: StopLevel
  code: string | null
  title: string
  kicker: string
  counts: CountsView
  hasDemo: boolean
  coverage: Slot<CoverageView>
  comparison: ComparisonRow[] | null
  gap: Slot<GapView>
  gapRegionName: string | null
  programmes: ProgrammeView[]
  /** the programmes' source, built from /api/programmes' `source` */
  source: string
}

const field = (name: string, value: number | string | null, html: string, tag = 'b', cls = '') =>
  `<${tag}${cls ? ` class="${cls}"` : ''} data-field="${esc(name)}" data-value="${esc(value ?? '')}">${html}</${tag}>`

const unit = (u: string) => (u ? `<small class="t-unit">${esc(u)}</small>` : '')

function slotState<T>(slot: Slot<T>): string | null {
  if (slot === undefined) return `<p class="t-quiet">${esc(s('loading'))}</p>`
  if (slot instanceof Error) return `<p class="t-quiet" title="${esc(slot.message)}">${esc(s('unavailable'))}</p>`
  return null
}

function countsHtml(c: CountsView, hasDemo: boolean): string {
  const rows = STATION_KINDS.map(
    (k) => `<li title="${esc(kindName(k))}"><i class="t-swatch" style="background:${cssColor(KIND_INFO[k].color)}"></i><span class="t-kind">${esc(kindName(k, 'counted'))}</span>${field(`count.${k}`, c.byKind[k], esc(formatCount(c.byKind[k], getLang())))}${unit(s('stationsUnit'))}</li>`,
  ).join('')
  return `<section class="t-card">
    <h2>${esc(s('stations'))}${hasDemo ? `<span class="t-tag t-tag-demo">${esc(s('demo'))}</span>` : ''}</h2>
    <ul class="t-kinds">${rows}</ul>
    <div class="t-total"><span>${esc(s('total'))}</span>${field('count.total', c.total, esc(formatCount(c.total, getLang())))}${unit(s('stationsUnit'))}${c.planned ? `<span class="t-quiet">${esc(s('planned', { n: formatCount(c.planned, getLang()) }))}</span>` : ''}</div>
  </section>`
}

/**
 * The badges of a panel whose figures come from the demand model (/api/coverage, /api/gaps): "≈ 模型估算"
 * in its own colour and a dashed outline, so it never reads like the "✓ 实际公布数据" of the programme panel.
 */
export function sourceTags(modelled: boolean, demo: boolean): string {
  return `${modelled ? `<span class="t-tag t-tag-model" data-badge="modelled"><i aria-hidden="true">≈</i>${esc(s('modelled'))}</span>` : ''}${demo ? `<span class="t-tag t-tag-demo" data-badge="demo">${esc(s('demo'))}</span>` : ''}`
}

function coverageHtml(p: StopPanels): string {
  const c = p.coverage
  const head = (modelled: boolean, demo: boolean) => `<h2>${esc(s('coverage'))}${sourceTags(modelled, demo)}</h2>`
  const pending = slotState(c)
  if (pending || !c || c instanceof Error) return `<section class="t-card">${head(false, false)}${pending ?? `<p class="t-quiet">${esc(s('unavailable'))}</p>`}</section>`
  const lang = getLang()
  const u = lang === 'en' ? c.unit_en : c.unit
  const pct = Math.max(0, Math.min(100, c.ratio * 100))
  const scope = c.kind && c.radius_m ? s('coverageKind', { kind: kindName(c.kind), r: `${formatCount(c.radius_m, lang)} ${s('m')}` }) : c.kind ? kindName(c.kind) : s('coverageAll')
  const rows = p.comparison
    ? `<ul class="t-compare">${p.comparison
        .map(
          (r) => `<li><span class="t-cname">${esc(lang === 'en' ? r.name_en : r.name)}</span><span class="t-bar"><i style="width:${r.ratio === null ? 0 : Math.round(r.ratio * 100)}%"></i></span>${r.ratio === null ? `<b class="t-quiet">—</b>` : field(`compare.${r.code}`, r.ratio, esc(formatPercent(r.ratio, lang)))}</li>`,
        )
        .join('')}</ul>`
    : ''
  return `<section class="t-card">
    ${head(c.modelled, c.demo)}
    <div class="t-gauge">${field('coverage.ratio', c.ratio, esc(formatPercent(c.ratio, lang)), 'b', 't-big')}<span class="t-bar t-bar-big"><i style="width:${pct.toFixed(1)}%"></i></span></div>
    ${field('coverage.covered', `${c.covered}/${c.total}`, esc(s('covered', { covered: formatCompactDemand(c.covered, lang, c.total), total: formatCompactDemand(c.total, lang), unit: u })), 'p', 't-line')}
    ${rows}
    ${legendHtml(p.level)}
    <p class="t-quiet">${esc(lang === 'en' ? c.layer_en : c.layer)} · ${esc(scope)}</p>
    ${c.source ? field('layer-source', `${c.source.text}${c.source.licence ? ` · ${c.source.licence}` : ''}`, esc(`${s('layerSource', { source: c.source.text })}${c.source.licence ? ` · ${s('layerLicence', { licence: c.source.licence })}` : ''}`), 'p', 't-layer-source') : ''}
  </section>`
}

/** What the map's 3D shapes mean, next to the figure they illustrate. */
function legendHtml(level: StopLevel): string {
  if (level === 'overview') return `<p class="t-legend"><i class="t-chip t-chip-ramp"></i>${esc(s('legendColumns'))}</p>`
  return `<p class="t-legend"><span><i class="t-chip t-chip-covered"></i>${esc(s('legendCovered'))}</span><span><i class="t-chip t-chip-open"></i>${esc(s('legendUncovered'))}</span><span><i class="t-chip t-chip-gap"></i>${esc(s('legendGap'))}</span><span class="t-quiet">${esc(s('legendHeight'))}</span></p>`
}

function gapHtml(p: StopPanels): string {
  const g = p.gap
  const lang = getLang()
  const pending = slotState(g)
  // the gap comes from the same demand model as the coverage: it carries the same badge, even as "no unserved area"
  const c = p.coverage instanceof Error || !p.coverage ? null : p.coverage
  const modelled = g && !(g instanceof Error) ? g.modelled : (c?.modelled ?? false)
  const demo = g && !(g instanceof Error) ? g.demo : (c?.demo ?? false)
  const h = `<h2><i class="t-dot t-dot-gap"></i>${esc(s('gap'))}${p.gapRegionName ? `<span class="t-where">${esc(p.gapRegionName)}</span>` : ''}${sourceTags(modelled, demo)}</h2>`
  if (pending) return `<section class="t-card t-gap">${h}${pending}</section>`
  if (!g || g instanceof Error) return `<section class="t-card t-gap">${h}${field('gap.demand', 0, esc(s('gapNone')), 'p', 't-line')}</section>`
  const u = c ? (lang === 'en' ? c.unit_en : c.unit) : ''
  const near = g.nearest_station_m === null ? null : distanceParts(g.nearest_station_m, 'figure', lang)
  // a long unit ("persons") would push into the next column: it joins the label instead
  const short = u.length <= 3
  // a county-sized gap ("14,419 km²") is wider than its column at the figure size: one step smaller
  const area = formatArea(g.area_km2, lang)
  return `<section class="t-card t-gap">${h}
    <div class="t-gapgrid">
      <div><p>${field('gap.demand', g.demand, esc(formatCompactDemand(g.demand, lang)))}${short ? unit(u) : ''}</p><span>${esc(short ? s('gapDemand') : `${s('gapDemand')} (${u})`)}</span></div>
      <div><p>${field('gap.area', g.area_km2, esc(area), 'b', area.length > 4 ? 't-long' : '')}${unit(s('km2'))}</p><span>${esc(s('gapArea'))}</span></div>
      <div><p>${near ? `${field('gap.nearest', g.nearest_station_m, esc(near.value))}${unit(s(near.unit))}` : field('gap.nearest', null, esc(s('gapNoStation')), 'b', 't-small')}</p><span>${esc(s('gapNearest'))}</span></div>
    </div>
  </section>`
}

export function leftHtml(p: StopPanels): string {
  return `<section class="t-card t-caption">
      <div class="t-kicker">${esc(p.kicker)}</div>
      ${field('caption', p.code, esc(p.title), 'h1', 't-name')}
    </section>
    ${countsHtml(p.counts, p.hasDemo)}
    ${coverageHtml(p)}`
}

function figureHtml(code: string, f: ProgrammeView['figures'][number]): string {
  const lang = getLang()
  const text = formatFigure(f.value, f.unit, f.at_least, lang)
  // a change on the previous quarter reads as one: "+20.7%"
  const shown = /change/.test(f.key) && f.value > 0 ? `+${text}` : text
  // counts carry their noun in the label (项目, 党员, 人次…): no generic unit that could be wrong
  return `<div class="t-fig">${field(`fig.${code}.${f.key}`, f.value, esc(shown), 'b', 't-fignum')}<span class="t-figlabel">${esc(f.label)}</span></div>`
}

export function rightHtml(p: StopPanels): string {
  const compact = p.programmes.length > 1
  const blocks = p.programmes
    .map(
      (g) => `<section class="t-prog${compact ? ' t-prog-compact' : ''}">
        <h3 title="${esc(`${g.name} ${g.title}`)}"><span class="t-pname">${esc(g.name)}</span><span class="t-ptitle">${esc(g.title)}</span></h3>
        <div class="t-figs">${g.figures.map((f) => figureHtml(g.code, f)).join('')}</div>
      </section>`,
    )
    .join('')
  return `${gapHtml(p)}<section class="t-card t-programmes">
    <h2>${esc(s('programme'))}<span class="t-tag t-tag-real" data-badge="published"><i aria-hidden="true">✓</i>${esc(s('realFigures'))}</span></h2>
    ${blocks || `<p class="t-quiet">${esc(s('unavailable'))}</p>`}
    ${p.source ? `<p class="t-source" data-field="source" data-value="${esc(p.source)}">${esc(s('source'))}${esc(p.source)}</p>` : ''}
  </section>`
}
