/**
 * "Report a problem" dialog: a few big choices, an optional note, and (if the rider agrees) the
 * position they report from. The API validates again and rate-limits (5 per 10 minutes).
 */
import { REPORT_PROBLEMS, type ReportProblem } from '@core/report-problems.ts'
import { esc } from '../dom.ts'
import { getLang } from '../i18n/lang.ts'
import { sendReport } from '../api.ts'
import { ICONS } from './icons.ts'
import { r } from './strings.ts'

const PROBLEM_NAMES: Record<ReportProblem, { zh: string; en: string }> = {
  closed: { zh: '没开门', en: 'Closed' },
  no_water: { zh: '没有饮水', en: 'No water' },
  no_power: { zh: '不能充电', en: 'No charging' },
  moved: { zh: '位置不对', en: 'Moved / wrong place' },
  dirty: { zh: '卫生差', en: 'Dirty' },
  other: { zh: '其他问题', en: 'Other' },
}

export interface ReportTarget {
  id: string
  name: string
}

/**
 * Opens the dialog for `stop`. `position` is offered when the page knows where the rider is, but
 * never pre-ticked: it is the rider's own whereabouts, sent only if they choose to. Once the API
 * has stored the report the dialog closes and `onSent` lets the page say so.
 */
export function openReportForm(stop: ReportTarget, position: [number, number] | null, onSent: (stop: ReportTarget) => void): HTMLDialogElement {
  document.getElementById('report-dialog')?.remove()
  const dlg = document.createElement('dialog')
  dlg.id = 'report-dialog'
  dlg.className = 'report'
  const lang = getLang()
  dlg.innerHTML = `<form method="dialog" class="report-form" novalidate>
    <header class="report-head">
      <h2>${esc(r('reportTitle'))}</h2>
      <button type="button" class="icon-btn" data-close aria-label="${esc(r('close'))}">${ICONS.close}</button>
    </header>
    <p class="report-stop">${esc(stop.name)}</p>
    <fieldset class="problems">
      ${REPORT_PROBLEMS.map((p, i) => `<label class="problem"><input type="radio" name="problem" value="${p}" ${i === 0 ? 'required' : ''}/><span>${esc(PROBLEM_NAMES[p][lang])}</span></label>`).join('')}
    </fieldset>
    <label class="report-note"><span>${esc(r('reportNote'))}</span><textarea name="note" maxlength="500" rows="3"></textarea></label>
    ${position ? `<label class="report-loc"><input type="checkbox" name="loc" aria-describedby="report-loc-why" /><span>${esc(r('reportLocation'))}</span></label><p class="report-why" id="report-loc-why">${esc(r('reportLocationWhy'))}</p>` : ''}
    <p class="report-msg" role="status" aria-live="polite"></p>
    <div class="report-actions">
      <button type="button" class="btn-act" data-close>${esc(r('cancel'))}</button>
      <button type="submit" class="btn-primary" disabled>${esc(r('reportSend'))}</button>
    </div>
  </form>`
  document.body.append(dlg)
  const form = dlg.querySelector('form')!
  const submit = form.querySelector<HTMLButtonElement>('button[type=submit]')!
  const msg = form.querySelector<HTMLElement>('.report-msg')!
  form.addEventListener('change', () => {
    submit.disabled = !form.querySelector('input[name=problem]:checked')
  })
  dlg.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('[data-close]')) dlg.close()
  })
  dlg.addEventListener('close', () => dlg.remove())
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const data = new FormData(form)
    const problem = data.get('problem') as ReportProblem | null
    if (!problem) return
    if (!navigator.onLine) {
      msg.className = 'report-msg is-error'
      msg.textContent = r('reportOffline')
      return
    }
    submit.disabled = true
    const withLoc = position && data.get('loc') === 'on'
    try {
      const res = await sendReport(stop.id, {
        problem,
        note: String(data.get('note') ?? '').slice(0, 500),
        ...(withLoc ? { lon: position[0], lat: position[1] } : {}),
      })
      if (res.ok) {
        dlg.close()
        onSent(stop)
      } else {
        msg.className = 'report-msg is-error'
        msg.textContent = r('reportFailed') + res.message
        submit.disabled = false
      }
    } catch {
      msg.className = 'report-msg is-error'
      msg.textContent = r('reportOffline')
      submit.disabled = false
    }
  })
  dlg.showModal()
  return dlg
}
