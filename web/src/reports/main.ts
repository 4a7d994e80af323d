/**
 * Editors' view of rider reports (`/reports`): newest first, filter by place and status, resolve.
 * Anyone may read the list; resolving needs a signed-in editor of the report's region (the button
 * becomes a sign-in prompt otherwise), and only such editors see where the reporter stood.
 */
import '../styles/base.css'
import './reports.css'
import { navLinks } from '@core/nav-links.ts'
import type { ReportStatus } from '@core/report-problems.ts'
import { fetchRegions, fetchReports, patchReport, type ReportCollection, type ReportListQuery } from '../api.ts'
import { byId, esc } from '../dom.ts'
import { formatDateTime } from '../format.ts'
import { getLang, langQuery, onLangChange, otherLang, setLang, type Lang } from '../i18n/lang.ts'
import { currentUser, mayWrite, mountAccountMenu, onAccountChange, signInHref, useRegions } from '../page/account.ts'
import { startPage } from '../page/page.ts'
import type { PageHooks } from '../page/hooks.ts'
import { createStore } from '../page/store.ts'
import { PROGRAMME_PLACE_CODES, programmePlaces, type Place } from '../places.ts'
import { t } from './strings.ts'

interface ReportsState {
  lang: Lang
  region: string
  status: ReportStatus | ''
  places: Place[]
  reports: ReportCollection | null
  loading: boolean
  /** what the status line says when something failed (null: the count) */
  message: string | null
}

const el = {
  top: byId('top'),
  warn: byId('warn'),
  filters: byId<HTMLFormElement>('filters'),
  status: byId('status'),
  head: byId('head'),
  rows: byId('rows'),
}

startPage<PageHooks>({
  hooks: (lang) => ({ idle: false, error: null, lang }),
  fail: (message) => (el.status.textContent = t('loadFailed', { message })),
  async start({ hooks, lang }) {
    const store = createStore<ReportsState>({ lang, region: '', status: 'open', places: [], reports: null, loading: true, message: null })
    store.subscribe((s) => {
      render(s)
      hooks.idle = !s.loading
    })
    onLangChange((l) => store.set({ lang: l }))
    // signing in or out changes what the list shows (locations) and which rows may be resolved
    let known = false
    onAccountChange(() => (known ? void load() : ((known = true), render(store.get()))))

    async function load(): Promise<void> {
      const { region, status } = store.get()
      store.set({ loading: true, message: null })
      const query: ReportListQuery = { ...(region ? { region } : {}), ...(status ? { status } : {}) }
      try {
        store.set({ reports: await fetchReports(query), loading: false })
      } catch (err) {
        store.set({ loading: false, message: t('loadFailed', { message: err instanceof Error ? err.message : String(err) }) })
      }
    }

    // events, bound once
    el.top.addEventListener('click', (e) => {
      if ((e.target as HTMLElement).closest('[data-action="lang"]')) setLang(otherLang())
    })
    el.rows.addEventListener('click', async (e) => {
      const btn = (e.target as HTMLElement).closest<HTMLButtonElement>('[data-set]')
      const id = btn?.closest<HTMLElement>('tr')?.dataset.id
      if (!btn || !id) return
      btn.disabled = true
      await patchReport(id, { status: btn.dataset.set === 'resolved' ? 'resolved' : 'open' }).catch((err: unknown) => {
        store.set({ message: t('updateFailed', { message: err instanceof Error ? err.message : String(err) }) })
      })
      await load()
    })
    const readFilters = () => {
      const data = new FormData(el.filters)
      const status = String(data.get('status') ?? '')
      store.set({ region: String(data.get('region') ?? ''), status: status === 'open' || status === 'resolved' ? status : '' })
      void load()
    }
    el.filters.addEventListener('submit', (e) => {
      e.preventDefault()
      readFilters()
    })
    el.filters.addEventListener('change', readFilters)

    render(store.get())
    void fetchRegions().then((regions) => (useRegions(regions), store.set({ places: programmePlaces(regions) })), () => {}) // names only: the codes work without them
    await load()
  },
})

function render(s: ReportsState): void {
  document.title = t('pageTitle')
  el.top.innerHTML = `<h1>${esc(t('title'))} <small>${esc(t('titleOther'))}</small></h1>
      <a href="/${langQuery()}">${esc(t('planner'))}</a>
      <a href="/rider${langQuery()}">${esc(t('rider'))}</a>
      <button type="button" class="rp-lang" data-action="lang" title="${esc(t('switchLangTitle'))}">${esc(t('switchLang'))}</button>
      <span data-slot="account"></span>`
  mountAccountMenu(el.top.querySelector<HTMLElement>('[data-slot="account"]')!)
  el.warn.innerHTML = `${esc(t('warn'))}<span>${esc(t('warnOther'))}</span>`
  renderFilters(s)
  el.head.innerHTML = `<tr>${(['colTime', 'colStation', 'colProblem', 'colNote', 'colWhere', 'colStatus'] as const).map((k) => `<th>${esc(t(k))}</th>`).join('')}<th></th></tr>`
  el.status.textContent = s.message ?? (s.loading ? t('loading') : t('count', { n: s.reports?.features.length ?? 0 }))
  el.rows.innerHTML = (s.reports?.features ?? []).map(rowHtml).join('')
}

/** The filter form keeps its elements (and the focus) and only changes its words. */
function renderFilters(s: ReportsState): void {
  const f = el.filters
  const region = f.querySelector<HTMLSelectElement>('[name="region"]')!
  const status = f.querySelector<HTMLSelectElement>('[name="status"]')!
  f.querySelector('[data-label="region"]')!.firstChild!.textContent = `${t('region')} `
  f.querySelector('[data-label="status"]')!.firstChild!.textContent = `${t('status')} `
  const placeName = (code: string) => {
    const p = s.places.find((x) => x.code === code)
    return p ? (getLang() === 'en' ? p.name_en : p.name) : region.querySelector<HTMLOptionElement>(`option[value="${code}"]`)?.textContent ?? code
  }
  region.innerHTML = [`<option value="">${esc(t('all'))}</option>`, ...PROGRAMME_PLACE_CODES.map((c) => `<option value="${c}">${esc(placeName(c))}</option>`)].join('')
  region.value = s.region
  status.innerHTML = `<option value="open">${esc(t('status.open'))}</option><option value="resolved">${esc(t('status.resolved'))}</option><option value="">${esc(t('all'))}</option>`
  status.value = s.status
  f.querySelector('button[type="submit"]')!.textContent = t('refresh')
}

function rowHtml(f: ReportCollection['features'][number]): string {
  const p = f.properties
  const loc = f.geometry
    ? (() => {
        const [lon, lat] = f.geometry.coordinates as [number, number]
        const links = navLinks([lon, lat], { name: t('reportedAt', { name: p.station_name }), src: 'webapp.stationatlas.reports' })
        return `<a href="${esc(links.amap)}" target="_blank" rel="noopener">${lat.toFixed(5)}, ${lon.toFixed(5)}</a>`
      })()
    : `<span class="muted">${esc(t('notGiven'))}</span>`
  const next: ReportStatus = p.status === 'open' ? 'resolved' : 'open'
  return `<tr data-id="${esc(f.id)}" class="is-${esc(p.status)}">
        <td>${esc(formatDateTime(new Date(p.created_at)))}</td>
        <td>${esc(p.station_name)}</td>
        <td><b>${esc(t(`problem.${p.problem}`))}</b></td>
        <td>${esc(p.note) || '<span class="muted">—</span>'}</td>
        <td>${loc}</td>
        <td>${esc(t(`status.${p.status}`))}</td>
        <td>${
          mayWrite(currentUser(), p.region_code)
            ? `<button type="button" data-set="${next}">${esc(t(next === 'resolved' ? 'resolve' : 'reopen'))}</button>`
            : `<a class="rp-signin" href="${esc(signInHref())}" data-testid="signin-prompt">${esc(t(currentUser() ? 'noGrant' : 'signInToResolve'))}</a>`
        }</td>
      </tr>`
}
