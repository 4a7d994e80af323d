/** "Where am I" panel: how the position was found, re-locate / pick on map, and the place search. */
import { esc } from '../dom.ts'
import { APPROX_GPS_ACCURACY_M } from './approx.ts'
import { ICONS } from './icons.ts'
import type { LocateFailure, Origin } from './locate.ts'
import type { SearchHit } from '../place-search.ts'
import { distanceText, r } from './strings.ts'

/** A programme place the fallback offers to jump to. */
export interface JumpPlace {
  code: string
  name: string
}

export interface WhereModel {
  origin: Origin | null
  locating: boolean
  failure: LocateFailure | null
  picking: boolean
  /** the programme places, once the map has loaded the regions */
  places: JumpPlace[]
}

/** The position is only roughly known: a township at its county's centre, or a poor GPS fix. */
export function isApprox(o: Origin | null): boolean {
  if (!o) return false
  if (o.source === 'search') return o.approx
  return o.source === 'gps' && o.accuracy_m > APPROX_GPS_ACCURACY_M
}

function originText(o: Origin): string {
  if (o.source === 'gps') return r('hereGps', { acc: distanceText(Math.max(1, o.accuracy_m)) })
  if (o.source === 'tap') return r('hereTap')
  return r('hereSearch', { name: o.name })
}

export function whereStatusHtml(m: WhereModel): string {
  // no position at all: the buttons that help come first (search, jump to a county, tap the map), no 取消
  const fallback = !!m.failure && !m.origin && !m.locating
  const buttons = fallback
    ? `<div class="where-btns">
      <button type="button" class="btn-primary" data-action="search">${ICONS.search}<span>${esc(r('searchPlace'))}</span></button>
      <button type="button" class="btn-act" data-action="locate">${ICONS.locate}<span>${esc(r('locateAgain'))}</span></button>
    </div>`
    : `<div class="where-btns">
      <button type="button" class="btn-act" data-action="locate" ${m.locating ? 'disabled' : ''}>${ICONS.locate}<span>${esc(r('locateAgain'))}</span></button>
      <button type="button" class="btn-act${m.picking ? ' is-on' : ''}" data-action="pick" aria-pressed="${m.picking}">${ICONS.pin}<span>${esc(m.picking ? r('cancel') : r('pickOnMap'))}</span></button>
    </div>`
  let status = ''
  if (m.locating) status = `<p class="where-line" data-testid="locating">${ICONS.locate}<span>${esc(r('locating'))}</span></p>`
  else if (m.failure && (!m.origin || m.origin.source === 'gps')) {
    const jumps = fallback && m.places.length
      ? `<span class="jump-row" data-testid="jump-places"><span>${esc(r('jumpTo'))}</span>${m.places.map((p) => `<button type="button" class="jump" data-jump="${esc(p.code)}">${esc(p.name)}</button>`).join('')}</span>`
      : ''
    status = `<div class="where-alert" role="alert" data-testid="geo-fallback"><strong>${esc(r(m.failure))}</strong><span>${esc(r('fallbackHelp'))}</span>${jumps}</div>`
  }
  if (m.origin && !m.locating) {
    const o = m.origin
    const note = o.source === 'search' && o.approx
      ? `<span class="where-approx" data-testid="approx-note">${esc(r('approxPlace'))}</span>`
      : isApprox(o) ? `<span class="where-approx" data-testid="approx-note">${esc(r('approxGps'))}</span>`
      : o.source === 'search' && o.seat ? `<span class="where-note">${esc(r('seatPlace'))}</span>` : ''
    status += `<p class="where-line" data-testid="origin">${ICONS.pin}<span>${esc(originText(o))}${note}</span></p>`
  }
  return `${status}${buttons}`
}

export function searchBoxHtml(): string {
  return `<label class="search" role="search">
      <span class="sr-only">${esc(r('searchLabel'))}</span>
      ${ICONS.search}
      <input id="search" type="search" enterkeyhint="search" autocomplete="off" placeholder="${esc(r('searchPlaceholder'))}" />
    </label>
    <ul id="search-results" class="search-results" hidden></ul>`
}

export function searchResultsHtml(query: string, hits: SearchHit[]): string {
  if (!query.trim()) return ''
  if (!hits.length) return `<li class="search-empty">${esc(r('searchEmpty', { q: query.trim() }))}</li>`
  return hits
    .map((h, i) => `<li><button type="button" class="search-hit" data-hit="${i}">
        <span class="hit-name">${esc(h.name)}</span>
        <span class="hit-detail">${esc(h.detail)}${h.approx ? ` · <em>${esc(r('approxPlace'))}</em>` : ''}</span>
      </button></li>`)
    .join('')
}
