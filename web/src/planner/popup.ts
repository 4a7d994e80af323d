/** The station popup: every attribute a planner checks, in the UI language. */
import { KIND_INFO } from '@core/station-kinds.ts'
import { cssColor, esc } from '../dom.ts'
import { amenityName, kindName } from '../i18n/names.ts'
import { formatDistance } from '../format.ts'
import { formatOpeningHours, t, type StringKey } from './strings.ts'
import type { StationFeature } from '../types.ts'
import { statusRowsHtml } from './open-now-html.ts'

/** `now`: the moment open-now is evaluated for (China Standard Time). */
export function stationPopupHtml(station: StationFeature, now: Date = new Date()): string {
  const p = station.properties
  const none = esc(t('none'))
  const row = (label: StringKey, value: string) => `<dt>${esc(t(label))}</dt><dd>${value || none}</dd>`
  const amenities = p.amenities?.length
    ? `<span class="chips">${p.amenities.map((a) => `<span class="chip">${esc(amenityName(a))}</span>`).join('')}</span>`
    : none
  const radius = `${esc(formatDistance(p.coverage_radius_m))} <span class="pop-note">(${esc(t(p.radius_m == null ? 'coverageDefault' : 'coverageCustom'))})</span>`
  const capacity = p.capacity == null ? '' : `${p.capacity} ${esc(t('capacityUnit'))}`
  return `<article class="pop" data-station-id="${esc(p.id)}">
    <header class="pop-head">
      <div class="pop-tags">
        <span class="pop-kind" style="--c:${cssColor(KIND_INFO[p.kind]?.color ?? [120, 120, 120])}"><i></i>${esc(kindName(p.kind))}</span>
        ${p.source === 'demo' || p.source === 'demo-scale' ? `<span class="badge-demo" data-testid="popup-demo">${esc(t('demoData'))}</span>` : ''}
      </div>
      <h3 class="pop-title">${esc(p.name)}</h3>
    </header>
    <div class="pop-body">
      <dl class="pop-attrs">
        ${statusRowsHtml(p.status, p.opening_hours, now)}
        ${row('address', esc(p.address))}
        ${row('openingHours', `<span title="${esc(p.opening_hours)}">${esc(formatOpeningHours(p.opening_hours))}</span>`)}
        ${row('amenities', amenities)}
        ${row('phone', p.phone ? `<a href="tel:${esc(p.phone.replace(/\s+/g, ''))}">${esc(p.phone)}</a>` : '')}
        ${row('operator', esc(p.operator))}
        ${row('capacity', capacity)}
        ${row('coverage', radius)}
        ${p.external_id ? row('externalId', esc(p.external_id)) : ''}
      </dl>
    </div>
  </article>`
}
