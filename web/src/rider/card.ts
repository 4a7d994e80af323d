/** One stop in the list: what a rider decides on at a glance, and one tap to navigate, call or report. */
import { navLinks } from '@core/nav-links.ts'
import { esc } from '../dom.ts'
import { kindName } from '../i18n/names.ts'
import { formatOpeningHours } from '../planner/strings.ts'
import type { RiderStop } from './data.ts'
import { amenityIcon, ICONS } from './icons.ts'
import { stopTimes } from './approx.ts'
import { amenityShort, approxDistanceText, compass, distanceText, r } from './strings.ts'

function openBadge(open: boolean | null | undefined): string {
  if (open === true) return `<span class="open-badge is-open" data-open="true">${esc(r('open'))}</span>`
  if (open === false) return `<span class="open-badge is-closed" data-open="false">${esc(r('closed'))}</span>`
  // undefined: not evaluated yet (the evaluator loads after the list); null: hours unknown
  return open === null ? `<span class="open-badge is-unknown" data-open="unknown">${esc(r('unknownHours'))}</span>` : ''
}

function hoursText(hours: string | null): string {
  if (!hours) return r('unknownHours')
  return hours.trim() === '24/7' ? r('open247') : formatOpeningHours(hours)
}

const minutes = (s: number) => Math.max(1, Math.round(s / 60))

/** By road when ranked so ("骑行约 6 分钟 · 1.9 公里路程"), else the straight-line estimate. */
function timesHtml(p: RiderStop['properties'], time: { walk_min: number; ride_min: number }): string {
  if (p.road === undefined) {
    return `<p class="stop-times">${ICONS.walk}<span>${esc(r('walk', { n: time.walk_min }))}</span>${ICONS.bike}<span>${esc(r('ride', { n: time.ride_min }))}</span><span class="est">${esc(r('estimate'))}</span></p>`
  }
  if (p.road === null) return `<p class="stop-times is-road" data-road="none">${esc(r('noRoadTrip'))}</p>`
  const { ride_s, ride_m, walk_s } = p.road
  const ride = ride_s !== null && ride_m !== null ? `${ICONS.bike}<span data-testid="ride-by-road">${esc(r('rideByRoad', { n: minutes(ride_s), d: distanceText(ride_m) }))}</span>` : ''
  const walk = walk_s !== null ? `${ICONS.walk}<span>${esc(r('walkByRoad', { n: minutes(walk_s) }))}</span>` : ''
  return `<p class="stop-times is-road" data-road-s="${ride_s ?? ''}">${ride}${walk}<span class="est">${esc(r('byRoad'))}</span></p>`
}

/** `approx`: the rider's position is approximate, so distance and times are rounded and say 约. */
// what decides (open now) and what acts (navigate) come first, so both show above the fold at 390 × 844
export function stopCardHtml(s: RiderStop, rank: number, selected: boolean, approx = false): string {
  const p = s.properties
  const [lon, lat] = s.geometry.coordinates as [number, number]
  const links = navLinks([lon, lat], { name: p.name })
  const time = stopTimes(p.distance_m, approx)
  const amenities = p.amenities.map((a) => `<li class="amenity" data-amenity="${esc(a)}">${amenityIcon(a)}<span>${esc(amenityShort(a))}</span></li>`).join('')
  const phone = p.phone?.trim()
  return `<li class="stop${selected ? ' is-selected' : ''}${p.open === false ? ' is-closed-stop' : ''}" data-id="${esc(p.id)}" data-rank="${rank}" data-distance="${p.distance_m}">
    <button type="button" class="stop-main" data-select="${esc(p.id)}" aria-pressed="${selected}">
      <span class="stop-rank" aria-label="${esc(r('rank', { n: rank }))}">${rank}</span>
      <span class="stop-head">
        <span class="stop-name">${esc(p.name)}</span>
        <span class="stop-kind">${esc(kindName(p.kind, 'short'))}${p.source === 'demo' ? ` <span class="badge-demo">${esc(r('demo'))}</span>` : ''}</span>
      </span>
      <span class="stop-dist">
        <b class="dist${approx ? ' is-approx' : ''}" title="${esc(r('distanceNote'))}">${esc(approx ? approxDistanceText(p.distance_m) : distanceText(p.distance_m))}</b>
        <span class="dir"><span class="dir-arrow" style="transform:rotate(${Math.round(p.bearing_deg)}deg)">${ICONS.arrow}</span>${esc(r('bearing', { dir: compass(p.bearing_deg) }))}</span>
      </span>
    </button>
    <div class="stop-body">
      <p class="stop-hours">${openBadge(p.open)}<span class="hours">${ICONS.clock}<span>${esc(hoursText(p.opening_hours))}</span></span></p>
      <div class="nav-row">
        <a class="btn-nav nav-amap" data-nav="amap" href="${esc(links.amap)}" target="_blank" rel="noopener">${ICONS.nav}${esc(r('navAmap'))}</a>
        <a class="btn-nav nav-baidu" data-nav="baidu" href="${esc(links.baidu)}" target="_blank" rel="noopener">${ICONS.nav}${esc(r('navBaidu'))}</a>
        <a class="btn-nav nav-geo" data-nav="geo" href="${esc(links.geo)}">${esc(r('navGeo'))}</a>
      </div>
      ${timesHtml(p, time)}
      ${amenities ? `<ul class="amenities">${amenities}</ul>` : ''}
      ${p.address ? `<p class="stop-address">${ICONS.pin}<span>${esc(p.address)}</span></p>` : ''}
      <div class="act-row">
        ${phone ? `<a class="btn-act btn-call" href="tel:${esc(phone.replace(/[^\d+]/g, ''))}">${ICONS.phone}<span>${esc(phone)}</span></a>` : `<span class="btn-act is-disabled">${ICONS.phone}<span>${esc(r('noPhone'))}</span></span>`}
        <button type="button" class="btn-act btn-report" data-report="${esc(p.id)}">${ICONS.flag}<span>${esc(r('report'))}</span></button>
      </div>
    </div>
  </li>`
}
