/**
 * The frame around the map: the header (name, title, demo notice, clock) and the footer (the
 * tour's route with the current stop, the dwell's progress, the data sources, the presenter hint).
 */
import { esc } from '../dom.ts'
import { formatWallClock } from '../format.ts'
import { t } from '../planner/strings.ts'
import type { PlayerState } from './player.ts'
import type { Stop } from './stops.ts'
import { s } from './strings.ts'

export function renderHead(head: HTMLElement, demo: boolean): void {
  head.innerHTML = `<div class="t-brand"><span class="t-logo" aria-hidden="true"></span><span class="t-app">${esc(s('appName'))}</span></div>
    <div class="t-title">${esc(s('title'))}</div>
    <div class="t-headright">${demo ? `<span class="t-tag t-tag-demo">${esc(s('demoNote'))}</span>` : ''}<time class="t-clock" id="clock"></time></div>`
  tickClock()
}

function tickClock(): void {
  const el = document.getElementById('clock')
  if (!el) return
  // the programmes are in China: show China Standard Time whatever the kiosk's zone
  el.textContent = formatWallClock(new Date())
}

let clockTimer: ReturnType<typeof setInterval> | null = null
/** One interval for the page's life (restarting it never stacks timers). */
export function startClock(): void {
  if (clockTimer) clearInterval(clockTimer)
  clockTimer = setInterval(tickClock, 20_000)
}

/** `basemapCredits`: the basemap's own attribution (Tianditu with its 审图号, or OSM for the streets). */
export function footHtml(stops: readonly Stop[], title: (s: Stop) => string, state: PlayerState, basemapCredits: readonly string[] = []): string {
  const items = stops
    .map((st) => `<li class="${st.index === state.index ? 'on' : ''}${st.level === 'county' ? ' sub' : ''}"><span class="t-num">${st.index}</span>${esc(title(st))}</li>`)
    .join('')
  const dwell = state.dwelling ? `style="animation-duration:${state.dwellMs}ms"` : ''
  return `<ol class="t-steps">${items}</ol>
    <div class="t-progress${state.paused ? ' paused' : ''}"><i ${dwell} class="${state.dwelling ? 'run' : ''}"></i></div>
    <div class="t-footline">
      <span class="t-attr">${basemapCredits.map((c) => `${esc(c)} · `).join('')}${esc(t('attrRegions'))} · <span class="t-demo-ink">${esc(t('attrStations'))}</span></span>
      <span class="t-hint">${state.paused ? `<b class="t-paused">❚❚ ${esc(s('paused'))}</b> · ` : ''}${esc(s('hint'))}</span>
    </div>`
}
