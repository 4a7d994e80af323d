/** Popup for a station of the plan: what the plan did to it, its reach, and the edit it allows. */
import { KIND_INFO } from '@core/station-kinds.ts'
import { cssColor, esc } from '../dom.ts'
import { kindName } from '../i18n/names.ts'
import { formatDistance } from '../format.ts'
import { t, type StringKey } from './strings.ts'
import type { PlanDrawStation } from '../layers/plan-stations.ts'
import type { StationLite } from '../types.ts'
import { statusRowsHtml } from './open-now-html.ts'

const CHANGE_LABEL: Record<PlanDrawStation['change'], StringKey> = {
  existing: 'changeExisting',
  moved: 'changeMoved',
  added: 'changeAdded',
  removed: 'changeRemoved',
}

/** `station`: the real station behind an existing or moved plan station (its status and hours), if any. */
export function planPopupHtml(s: PlanDrawStation, canEdit: boolean, station?: StationLite, now: Date = new Date()): string {
  const label = s.rank !== undefined ? t('changeSuggested') : t(CHANGE_LABEL[s.change])
  const action = !canEdit
    ? ''
    : s.change === 'removed'
      ? `<button type="button" class="btn btn-small" data-plan-station="restore" data-id="${esc(s.id)}">${esc(t('restoreToPlan'))}</button>`
      : `<button type="button" class="btn btn-small danger" data-plan-station="remove" data-id="${esc(s.id)}" data-testid="popup-remove">${esc(s.change === 'added' ? t('deleteProposal') : t('removeFromPlan'))}</button>`
  return `<article class="pop" data-plan-station-id="${esc(s.id)}">
    <header class="pop-head">
      <div class="pop-tags">
        <span class="pop-kind" style="--c:${cssColor(KIND_INFO[s.kind]?.color ?? [120, 120, 120])}"><i></i>${esc(kindName(s.kind))}</span>
        <span class="pop-status change-${s.rank !== undefined ? 'suggested' : s.change}">${esc(label)}</span>
      </div>
      <h3 class="pop-title">${esc(s.name)}</h3>
    </header>
    <div class="pop-body">
      <dl class="pop-attrs">
        ${station ? statusRowsHtml(station.properties.status, station.properties.opening_hours, now) : ''}
        <dt>${esc(t('coverage'))}</dt><dd>${esc(formatDistance(s.radius_m))}</dd>
        <dt>WGS-84</dt><dd>${s.lon.toFixed(5)}, ${s.lat.toFixed(5)}</dd>
      </dl>
      ${action ? `<div class="pop-actions">${action}</div>` : ''}
    </div>
  </article>`
}
