/**
 * Editors' view of rider reports (`/reports`): newest first, filter by place and status, resolve.
 * No authentication exists yet (see README): this page is a demo of the workflow, not a secured tool.
 */
import '../styles/base.css'
import './reports.css'
import { navLinks } from '@core/nav-links.ts'
import type { ReportProblem, ReportStatus } from '@core/report-problems.ts'
import { fetchReports, patchReport } from '../api.ts'
import { byId, esc } from '../dom.ts'

const PROBLEM_ZH: Record<ReportProblem, string> = { closed: '没开门 / 已停用', no_water: '没有饮水', no_power: '不能充电 / 停电', moved: '位置不对 / 已搬走', dirty: '卫生差', other: '其他' }
const STATUS_ZH: Record<ReportStatus, string> = { open: '待处理', resolved: '已处理' }
const TIME = new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

const form = byId<HTMLFormElement>('filters')
const rows = byId('rows')
const status = byId('status')

async function load(): Promise<void> {
  const data = new FormData(form)
  const region = String(data.get('region') ?? '')
  const st = String(data.get('status') ?? '')
  status.textContent = '加载中…'
  let fc
  try {
    fc = await fetchReports({ ...(region ? { region } : {}), ...(st === 'open' || st === 'resolved' ? { status: st } : {}) })
  } catch (err) {
    status.textContent = `加载失败：${err instanceof Error ? err.message : String(err)}`
    return
  }
  status.textContent = `${fc.features.length} 条报告`
  rows.innerHTML = fc.features
    .map((f) => {
      const p = f.properties
      const loc = f.geometry
        ? (() => {
            const [lon, lat] = f.geometry.coordinates as [number, number]
            const links = navLinks([lon, lat], { name: `报告位置 · ${p.station_name}`, src: 'webapp.stationatlas.reports' })
            return `<a href="${esc(links.amap)}" target="_blank" rel="noopener">${lat.toFixed(5)}, ${lon.toFixed(5)}</a>`
          })()
        : '<span class="muted">未提供</span>'
      const next: ReportStatus = p.status === 'open' ? 'resolved' : 'open'
      return `<tr data-id="${esc(f.id)}" class="is-${esc(p.status)}">
        <td>${esc(TIME.format(new Date(p.created_at)))}</td>
        <td>${esc(p.station_name)}</td>
        <td><b>${esc(PROBLEM_ZH[p.problem] ?? p.problem)}</b></td>
        <td>${esc(p.note) || '<span class="muted">—</span>'}</td>
        <td>${loc}</td>
        <td>${esc(STATUS_ZH[p.status])}</td>
        <td><button type="button" data-set="${next}">${next === 'resolved' ? '标记已处理' : '重新打开'}</button></td>
      </tr>`
    })
    .join('')
}

rows.addEventListener('click', async (e) => {
  const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-set]')
  const id = btn?.closest<HTMLElement>('tr')?.dataset.id
  if (!btn || !id) return
  btn.disabled = true
  await patchReport(id, { status: btn.dataset.set === 'resolved' ? 'resolved' : 'open' }).catch((err: unknown) => {
    status.textContent = `更新失败：${err instanceof Error ? err.message : String(err)}`
  })
  await load()
})
form.addEventListener('submit', (e) => {
  e.preventDefault()
  void load()
})
form.addEventListener('change', () => void load())
void load()
