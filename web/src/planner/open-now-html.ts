/** A station's status (planned / active / retired) and whether it is open now, as two rows in words. */
import { esc } from '../dom.ts'
import { formatClock, formatMonthDay } from '../format.ts'
import { openNow } from './open-now.ts'
import { t } from './strings.ts'

export type StationStatus = 'planned' | 'active' | 'retired'

export function openNowText(hours: string | null | undefined, at: Date): { text: string; state: string } {
  const o = openNow(hours, at)
  if (!o) return { text: t('openNowChecking'), state: 'checking' }
  if (o.state === 'open') return { text: t('openNowOpen'), state: 'open' }
  if (o.state === 'unknown') return { text: t('openNowUnknown'), state: 'unknown' }
  if (!o.opensAt) return { text: t('openNowClosed'), state: 'closed' }
  const sameDay = formatMonthDay(o.opensAt) === formatMonthDay(at)
  const when = sameDay ? t('opensAtToday', { at: formatClock(o.opensAt) }) : t('opensAtLater', { day: formatMonthDay(o.opensAt, 'short'), at: formatClock(o.opensAt) })
  return { text: `${t('openNowClosed')} · ${when}`, state: 'closed' }
}

/** `<dt>/<dd>` rows: 状态 运营中 · 现在 已打烊 · 17:00 开门 (a retired or planned station is not "open"). */
export function statusRowsHtml(status: StationStatus, hours: string | null | undefined, at: Date): string {
  const statusRow = `<dt>${esc(t('stationStatus'))}</dt><dd><span class="pop-status ${esc(status)}" data-testid="popup-status">${esc(t(status))}</span></dd>`
  if (status !== 'active') return statusRow
  const o = openNowText(hours, at)
  return `${statusRow}<dt>${esc(t('openNowLabel'))}</dt><dd><span class="open-now ${o.state}" data-testid="popup-open-now" data-state="${o.state}" title="${esc(t('openNowNote', { at: formatClock(at) }))}">${esc(o.text)}</span></dd>`
}
