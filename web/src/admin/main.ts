/**
 * The admin page (`/admin`): every account with its role and region grants; create one (e-mail, first
 * password, role, regions picked from GET /api/regions by county and city name); change its role,
 * regions or password; disable or enable it. Anyone but an admin sees a message instead.
 */
import '../styles/base.css'
import '../page/account.css'
import './admin.css'
import { createUser, fetchRegions, listUsers, updateUser, type ApiFailure, type User, type UserPatch } from '../api.ts'
import { byId, esc } from '../dom.ts'
import { formatDateTime } from '../format.ts'
import { getLang, type Lang } from '../i18n/lang.ts'
import { currentUser, loadAccount, MIN_PASSWORD, onAccountChange, regionLabel, signInHref, useRegions } from '../page/account.ts'
import type { PageHooks } from '../page/hooks.ts'
import { startPage } from '../page/page.ts'
import { bindSiteHeader, renderSiteHeader } from '../page/site-header.ts'
import { createStore } from '../page/store.ts'
import type { RegionCollection } from '../types.ts'
import { t } from './strings.ts'

interface RegionOption {
  code: string
  name: string
  name_en: string
  counties: { code: string; name: string; name_en: string }[]
}

interface AdminState {
  lang: Lang
  users: User[] | null
  regions: RegionOption[]
  /** the account the form changes (null: the form creates one) */
  editing: string | null
  message: { text: string; ok: boolean } | null
  /** field → message, from the form's own checks or the API's 400 issues */
  fieldErrors: Record<string, string>
  busy: boolean
}

const el = { top: byId('top'), main: byId('main') }

/** Cities with their counties, then counties whose city is not in the data, in code order. */
export function regionOptions(regions: RegionCollection): RegionOption[] {
  const feats = regions.features.map((f) => f.properties)
  const cities = feats.filter((p) => p.level === 'city')
  const cityCodes = new Set(cities.map((c) => c.code))
  const out: RegionOption[] = cities.map((c) => ({
    code: c.code,
    name: c.name,
    name_en: c.name_en,
    counties: feats.filter((p) => p.level === 'county' && p.parent_code === c.code).sort((a, b) => a.code.localeCompare(b.code)),
  }))
  for (const p of feats) if (p.level === 'county' && !cityCodes.has(p.parent_code ?? '')) out.push({ code: p.code, name: p.name, name_en: p.name_en, counties: [] })
  return out.sort((a, b) => a.code.localeCompare(b.code))
}

startPage<PageHooks & { users: number }>({
  hooks: (lang) => ({ idle: false, error: null, lang, users: 0 }),
  fail: (message) => (el.main.textContent = t('failed', { message })),
  async start({ hooks, lang }) {
    const store = createStore<AdminState>({ lang, users: null, regions: [], editing: null, message: null, fieldErrors: {}, busy: false })
    const render = () => {
      document.title = t('pageTitle')
      renderSiteHeader(el.top, t('page'))
      renderMain(store.get())
    }
    store.subscribe((s) => {
      render()
      hooks.users = s.users?.length ?? 0
    })
    bindSiteHeader(el.top, () => store.set({ lang: hooks.lang }))

    const loadUsers = async () => {
      if (currentUser()?.role !== 'admin') return store.set({ users: null })
      const r = await listUsers()
      store.set(r.ok ? { users: r.value } : { message: { text: t('failed', { message: r.message }), ok: false } })
    }
    onAccountChange(() => void loadUsers().then(render))

    const fail = (r: ApiFailure) =>
      store.set({ busy: false, message: { text: t('failed', { message: r.message }), ok: false }, fieldErrors: Object.fromEntries(r.issues.map((i) => [String(i.path[0]), i.message])) })

    el.main.addEventListener('submit', async (e) => {
      e.preventDefault()
      const form = e.target as HTMLFormElement
      const data = new FormData(form)
      const email = String(data.get('email') ?? '').trim()
      const password = String(data.get('password') ?? '')
      const role = data.get('role') === 'admin' ? 'admin' : 'editor'
      const regions = data.getAll('regions').map(String)
      const editing = store.get().editing
      if ((!editing || password) && password.length < MIN_PASSWORD) return store.set({ fieldErrors: { password: t('passwordShort', { n: password.length }) }, message: null })
      store.set({ busy: true, fieldErrors: {}, message: null })
      if (editing) {
        const patch: UserPatch = { role, regions, ...(password ? { password } : {}) }
        const r = await updateUser(editing, patch)
        if (!r.ok) return fail(r)
        store.set({ busy: false, editing: null, message: { text: t('saved', { email: r.value.email }), ok: true } })
      } else {
        const r = await createUser({ email, password, role, regions })
        if (!r.ok) return fail(r)
        form.reset()
        store.set({ busy: false, message: { text: t('created', { email: r.value.email }), ok: true } })
      }
      await loadUsers()
    })

    el.main.addEventListener('click', async (e) => {
      const target = e.target as HTMLElement
      const edit = target.closest<HTMLElement>('[data-edit]')?.dataset.edit
      if (edit) return store.set({ editing: edit, fieldErrors: {}, message: null })
      if (target.closest('[data-cancel]')) return store.set({ editing: null, fieldErrors: {}, message: null })
      const toggle = target.closest<HTMLElement>('[data-disable]')
      if (toggle) {
        const user = store.get().users?.find((u) => u.id === toggle.dataset.disable)
        if (!user) return
        if (!user.disabled && !confirm(t('disableConfirm', { email: user.email }))) return
        const r = await updateUser(user.id, { disabled: !user.disabled })
        if (!r.ok) return fail(r)
        store.set({ message: { text: t('saved', { email: user.email }), ok: true } })
        await loadUsers()
      }
    })

    render()
    const [regions] = await Promise.all([fetchRegions(), loadAccount()])
    useRegions(regions)
    store.set({ regions: regionOptions(regions) })
    await loadUsers()
    hooks.idle = true
  },
})

const nameOf = (r: { name: string; name_en: string }) => (getLang() === 'en' ? r.name_en || r.name : r.name)

function renderMain(s: AdminState): void {
  const me = currentUser()
  const gate = (text: string, link: boolean) =>
    `<section class="admin-card admin-gate" data-testid="admin-gate"><p>${esc(text)}</p>${link ? `<a class="btn-strong admin-link" href="${esc(signInHref())}">${esc(t('signIn'))}</a>` : ''}</section>`
  if (!me) return void (el.main.innerHTML = s.users === null && !document.querySelector('.account-signin') ? `<p class="admin-loading">${esc(t('loading'))}</p>` : gate(t('signInFirst'), true))
  if (me.role !== 'admin') return void (el.main.innerHTML = gate(t('onlyAdmins'), false))
  const users = s.users ?? []
  const editing = s.editing ? users.find((u) => u.id === s.editing) ?? null : null
  const rows = users
    .map(
      (u) => `<tr data-user="${esc(u.email)}" class="${u.disabled ? 'is-disabled' : ''}${u.id === s.editing ? ' is-editing' : ''}">
        <td>${esc(u.email)}${u.id === me.id ? `<span class="muted">${esc(t('you'))}</span>` : ''}</td>
        <td><span class="role role-${esc(u.role)}">${esc(t(`role.${u.role}`))}</span></td>
        <td>${u.role === 'admin' ? `<span class="muted">${esc(t('allRegions'))}</span>` : u.regions.length ? u.regions.map((c) => `<span class="chip">${esc(regionLabel(c))}</span>`).join('') : `<span class="muted">${esc(t('none'))}</span>`}</td>
        <td>${esc(u.disabled ? t('disabled') : t('active'))}</td>
        <td class="num">${esc(formatDateTime(new Date(u.created_at)))}</td>
        <td class="actions"><div><button type="button" class="btn-plain" data-edit="${esc(u.id)}">${esc(t('edit'))}</button>${
          u.id === me.id ? '' : `<button type="button" class="btn-plain${u.disabled ? '' : ' danger'}" data-disable="${esc(u.id)}">${esc(u.disabled ? t('enable') : t('disable'))}</button>`
        }</div></td>
      </tr>`,
    )
    .join('')
  el.main.innerHTML = `<div class="admin-head"><h1>${esc(t('heading'))}</h1><p>${esc(t('lead'))}</p></div>
    <div class="admin-grid">
      <section class="admin-card">
        <h2>${esc(t('users', { n: users.length }))}</h2>
        <div class="table-scroll"><table class="admin-table" data-testid="user-table">
          <thead><tr><th>${esc(t('colEmail'))}</th><th>${esc(t('colRole'))}</th><th>${esc(t('colRegions'))}</th><th>${esc(t('colStatus'))}</th><th>${esc(t('colCreated'))}</th><th></th></tr></thead>
          <tbody>${rows}</tbody>
        </table></div>
        ${s.message ? `<p class="form-msg${s.message.ok ? ' ok' : ''}" role="status" data-testid="admin-msg">${esc(s.message.text)}</p>` : ''}
      </section>
      ${formHtml(s, editing)}
    </div>`
}

function formHtml(s: AdminState, editing: User | null): string {
  const err = (f: string) => (s.fieldErrors[f] ? `<span class="field-error" data-testid="error-${esc(f)}">${esc(s.fieldErrors[f])}</span>` : '')
  const role = editing?.role ?? 'editor'
  const granted = new Set(editing?.regions ?? [])
  const box = (r: { code: string; name: string; name_en: string }, cls: string) =>
    `<label class="${cls}"><input type="checkbox" name="regions" value="${esc(r.code)}"${granted.has(r.code) ? ' checked' : ''} /> ${esc(nameOf(r))} <span class="muted">${esc(r.code)}</span></label>`
  const regions = s.regions.map((r) => `<div class="region-group">${box(r, 'region-top')}${r.counties.map((c) => box(c, 'region-county')).join('')}</div>`).join('')
  return `<section class="admin-card admin-form-card">
      <h2>${esc(editing ? t('editTitle', { email: editing.email }) : t('create'))}</h2>
      <form class="account-form" data-testid="user-form" novalidate>
        ${editing ? '' : `<label>${esc(t('email'))}<input type="email" name="email" autocomplete="off" required data-testid="user-email" />${err('email')}</label>`}
        <label>${esc(editing ? t('newPasswordOptional') : t('password'))}<input type="password" name="password" autocomplete="new-password" data-testid="user-password" />${err('password')}</label>
        <label>${esc(t('role'))}<select name="role" data-testid="user-role"><option value="editor"${role === 'editor' ? ' selected' : ''}>${esc(t('role.editor'))}</option><option value="admin"${role === 'admin' ? ' selected' : ''}>${esc(t('role.admin'))}</option></select>${err('role')}</label>
        <fieldset class="region-pick" data-testid="user-regions"><legend>${esc(t('regions'))}</legend>${regions}<span class="hint-line">${esc(t('regionsHint'))}</span>${err('regions')}</fieldset>
        <div class="form-actions">${editing ? `<button type="button" class="btn-plain" data-cancel>${esc(t('cancel'))}</button>` : ''}<button type="submit" class="btn-strong" data-testid="user-submit"${s.busy ? ' disabled' : ''}>${esc(editing ? t('save') : t('createSubmit'))}</button></div>
      </form>
    </section>`
}
