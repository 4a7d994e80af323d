/**
 * Who is signed in, for every page: `GET /api/auth/me` once per page (again after a change), the
 * account menu a page's header renders into its own slot (`mountAccountMenu(slot)` on every header
 * render), the "sign in to …" prompt a write button shows instead (`writeGate`), and the change-password
 * and API-token dialogs. Region grants: an editor may write in a granted county, or in any county of a
 * granted city; an admin everywhere (the server checks the same, api/src/auth/authorize.ts).
 */
import './account.css'
import { changePassword, createToken, fetchMe, listTokens, revokeToken, signOut, type Me, type TokenInfo, type User } from '../api.ts'
import { esc } from '../dom.ts'
import { formatDateTime } from '../format.ts'
import { getLang, langQuery, onLangChange } from '../i18n/lang.ts'
import type { AnyRegionCollection } from '../types.ts'
import { ta, waitWords } from './account-strings.ts'
import { mayWriteIn } from './grants.ts'

export const MIN_PASSWORD = 12

let me: Me | null = null
let loading: Promise<Me> | null = null
const listeners = new Set<(me: Me) => void>()
const parents = new Map<string, string | null>()
const names = new Map<string, { name: string; name_en: string }>()
let slot: HTMLElement | null = null
let menuOpen = false

/** The signed-in account (null: anonymous, or not known yet). */
export function currentUser(): User | null {
  return me?.user ?? null
}

/** Whether GET /api/auth/me has answered. */
export function accountKnown(): boolean {
  return me !== null
}

/** Loads (once; `force` again) who is signed in and tells every listener. A failure counts as anonymous. */
export function loadAccount(force = false): Promise<Me> {
  if (!loading || force) {
    loading = fetchMe()
      .catch(() => ({ user: null, via: null }) as Me)
      .then((m) => {
        me = m
        renderMenu()
        for (const fn of listeners) fn(m)
        return m
      })
  }
  return loading
}

/** Calls `fn` whenever the account changes (signed in, out, loaded). */
export function onAccountChange(fn: (me: Me) => void): () => void {
  listeners.add(fn)
  return () => listeners.delete(fn)
}

/** Region parents and names from GET /api/regions (a page that loaded them passes them on). */
export function useRegions(regions: AnyRegionCollection): void {
  for (const f of regions.features) {
    parents.set(f.properties.code, f.properties.parent_code ?? null)
    names.set(f.properties.code, { name: f.properties.name, name_en: f.properties.name_en })
  }
  renderMenu()
}

export function regionLabel(code: string): string {
  const n = names.get(code)
  return n ? (getLang() === 'en' ? n.name_en || n.name : n.name) : code
}

/** May `user` write in `region`? (null region: only an admin.) */
export function mayWrite(user: User | null, region: string | null): boolean {
  return mayWriteIn(user, region, parents)
}

/** The sign-in page's address, coming back here afterwards. */
export function signInHref(): string {
  const next = location.pathname + location.search + location.hash
  const q = new URLSearchParams({ next })
  if (getLang() === 'en') q.set('lang', 'en')
  return `/signin?${q.toString()}`
}

/**
 * What a write control shows: null when the signed-in user may do `action` in `region`, otherwise a
 * prompt (sign in, or: this account has no grant there) with a link to the sign-in page.
 */
export function writeGate(region: string | null, action: 'save' | 'delete' | 'resolve' | 'edit'): string | null {
  const user = currentUser()
  if (mayWrite(user, region)) return null
  const what = ta(`action.${action}`)
  const text = user ? ta('gateNoGrant', { email: user.email, region: region ? regionLabel(region) : '—', action: what }) : ta('gateSignIn', { action: what })
  const link = user ? ta('gateOther') : ta('signIn')
  return `<p class="signin-prompt" data-testid="signin-prompt" data-gate="${esc(action)}"><span>${esc(text)}</span> <a href="${esc(signInHref())}" data-testid="signin-link">${esc(link)}</a></p>`
}

// ---------------------------------------------------------------- the menu

const bound = new WeakSet<HTMLElement>()

/** Renders the account menu into `el` (a page's header slot) and loads the account if nobody asked yet. */
export function mountAccountMenu(el: HTMLElement): void {
  slot = el
  if (!bound.has(el)) {
    bound.add(el)
    el.addEventListener('click', onMenuClick)
  }
  renderMenu()
  void loadAccount()
}

function roleLine(user: User): string {
  const role = ta(`role.${user.role}`)
  if (user.role === 'admin') return `${role} · ${ta('allRegions')}`
  return `${role} · ${user.regions.length ? user.regions.map(regionLabel).join('、') : ta('noRegions')}`
}

function renderMenu(): void {
  if (!slot) return
  slot.classList.add('account')
  const user = currentUser()
  if (!me) {
    slot.innerHTML = ''
    return
  }
  if (!user) {
    const here = location.pathname === '/signin'
    slot.innerHTML = here ? '' : `<a class="account-signin" href="${esc(signInHref())}" data-testid="account-signin">${esc(ta('signIn'))}</a>`
    return
  }
  const initial = esc(user.email.slice(0, 1).toUpperCase())
  slot.innerHTML = `<button type="button" class="account-button" data-account="toggle" aria-haspopup="menu" aria-expanded="${menuOpen}" data-testid="account-button" title="${esc(ta('menuTitle'))}">
      <span class="account-avatar" aria-hidden="true">${initial}</span>
      <span class="account-who"><span class="account-email" data-testid="account-email">${esc(user.email)}</span><span class="account-role" data-testid="account-role">${esc(ta(`role.${user.role}`))}</span></span>
    </button>
    <div class="account-menu" role="menu" data-testid="account-menu"${menuOpen ? '' : ' hidden'}>
      <div class="account-head"><b>${esc(user.email)}</b><span>${esc(roleLine(user))}</span></div>
      <button type="button" role="menuitem" data-account="password" data-testid="account-password">${esc(ta('changePassword'))}</button>
      <button type="button" role="menuitem" data-account="tokens" data-testid="account-tokens">${esc(ta('apiTokens'))}</button>
      ${user.role === 'admin' || user.regions.length ? `<a role="menuitem" href="/import${langQuery()}" data-testid="account-import">${esc(ta('importLedger'))}</a>` : ''}
      ${user.role === 'admin' ? `<a role="menuitem" href="/admin${langQuery()}" data-testid="account-admin">${esc(ta('admin'))}</a>` : ''}
      <button type="button" role="menuitem" data-account="signout" data-testid="account-signout">${esc(ta('signOut'))}</button>
    </div>`
}

function setMenu(open: boolean): void {
  menuOpen = open
  renderMenu()
}

async function onMenuClick(e: Event): Promise<void> {
  const action = (e.target as HTMLElement).closest<HTMLElement>('[data-account]')?.dataset.account
  if (!action) return
  if (action === 'toggle') return setMenu(!menuOpen)
  setMenu(false)
  if (action === 'password') return passwordDialog()
  if (action === 'tokens') return tokensDialog()
  if (action === 'signout') {
    await signOut()
    await loadAccount(true)
  }
}

document.addEventListener('click', (e) => {
  // a click on the menu re-renders it, so its target may be gone from the page: that is inside too
  const target = e.target as Node
  if (menuOpen && slot && target.isConnected && !slot.contains(target)) setMenu(false)
})
document.addEventListener('keydown', (e) => {
  if (menuOpen && e.key === 'Escape') setMenu(false)
})
onLangChange(() => {
  renderMenu()
  renderDialog?.()
})

// ---------------------------------------------------------------- dialogs

let dialog: HTMLDialogElement | null = null
let renderDialog: (() => void) | null = null

function openDialog(testid: string, render: (body: HTMLElement) => void): HTMLDialogElement {
  dialog?.remove()
  const d = document.createElement('dialog')
  d.className = 'account-dialog'
  d.dataset.testid = testid
  document.body.append(d)
  dialog = d
  renderDialog = () => render(d)
  render(d)
  d.addEventListener('close', () => {
    d.remove()
    if (dialog === d) (dialog = null), (renderDialog = null)
  })
  d.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('[data-close]') || e.target === d) d.close()
  })
  d.showModal()
  return d
}

function dialogHead(title: string): string {
  return `<header class="account-dialog-head"><h2>${esc(title)}</h2><button type="button" class="account-x" data-close aria-label="${esc(ta('close'))}">×</button></header>`
}

function passwordDialog(): void {
  let message: { text: string; ok: boolean; field?: string } | null = null
  let busy = false
  const d = openDialog('password-dialog', (root) => {
    const values = Object.fromEntries([...root.querySelectorAll<HTMLInputElement>('input')].map((i) => [i.name, i.value]))
    const fieldMsg = (name: string) => (message && !message.ok && message.field === name ? `<span class="field-error" data-testid="error-${name}">${esc(message.text)}</span>` : '')
    root.innerHTML = `${dialogHead(ta('changePassword'))}
      <form class="account-form" data-form="password">
        <label>${esc(ta('currentPassword'))}<input type="password" name="current" autocomplete="current-password" required value="${esc(values.current ?? '')}" />${fieldMsg('current')}</label>
        <label>${esc(ta('newPassword'))}<input type="password" name="next" autocomplete="new-password" required value="${esc(values.next ?? '')}" />${fieldMsg('next')}</label>
        <label>${esc(ta('repeatPassword'))}<input type="password" name="again" autocomplete="new-password" required value="${esc(values.again ?? '')}" />${fieldMsg('again')}</label>
        ${message && (message.ok || !message.field) ? `<p class="form-msg${message.ok ? ' ok' : ''}" role="status" data-testid="password-msg">${esc(message.text)}</p>` : ''}
        <div class="form-actions"><button type="button" class="btn-plain" data-close>${esc(ta('close'))}</button><button type="submit" class="btn-strong"${busy ? ' disabled' : ''}>${esc(ta('savePassword'))}</button></div>
      </form>`
  })
  d.addEventListener('submit', async (e) => {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    const get = (n: string) => form.querySelector<HTMLInputElement>(`[name="${n}"]`)!.value
    const next = get('next')
    if (next.length < MIN_PASSWORD) message = { text: ta('passwordShort', { n: next.length }), ok: false, field: 'next' }
    else if (next !== get('again')) message = { text: ta('passwordMismatch'), ok: false, field: 'again' }
    else {
      busy = true
      renderDialog?.()
      const r = await changePassword(get('current'), next)
      busy = false
      if (r.ok) message = { text: ta('passwordChanged'), ok: true }
      else if (r.status === 403) message = { text: ta('currentWrong'), ok: false, field: 'current' }
      else if (r.status === 429 && r.retryAfterS) message = { text: ta('tooMany', { wait: waitWords(r.retryAfterS) }), ok: false }
      else message = { text: ta('error', { message: r.message }), ok: false, field: r.issues[0]?.path[0] === 'new_password' ? 'next' : undefined }
      if (r.ok) for (const i of form.querySelectorAll('input')) i.value = ''
    }
    renderDialog?.()
  })
}

function tokensDialog(): void {
  let tokens: TokenInfo[] | null = null
  let created: string | null = null
  let copied = false
  let error: string | null = null
  const d = openDialog('tokens-dialog', (root) => {
    const name = root.querySelector<HTMLInputElement>('[name="name"]')?.value ?? ''
    const list = tokens === null ? '' : tokens.length
      ? `<ul class="token-list" data-testid="token-list">${tokens
          .map((tk) => `<li data-token="${esc(tk.id)}"><div><b>${esc(tk.name)}</b><span>${esc(ta('tokenCreatedAt', { at: formatDateTime(new Date(tk.created_at)) }))} · ${esc(tk.last_used_at ? ta('tokenLastUsed', { at: formatDateTime(new Date(tk.last_used_at)) }) : ta('tokenNeverUsed'))}</span></div><button type="button" class="btn-plain danger" data-revoke="${esc(tk.id)}" data-name="${esc(tk.name)}">${esc(ta('revoke'))}</button></li>`)
          .join('')}</ul>`
      : `<p class="muted-note">${esc(ta('noTokens'))}</p>`
    root.innerHTML = `${dialogHead(ta('apiTokens'))}
      <p class="muted-note">${esc(ta('tokensLead'))}</p>
      <form class="account-form token-form" data-form="token">
        <label>${esc(ta('tokenName'))}<span class="token-row"><input type="text" name="name" maxlength="100" placeholder="${esc(ta('tokenNamePlaceholder'))}" value="${esc(name)}" data-testid="token-name" /><button type="submit" class="btn-strong" data-testid="token-create">${esc(ta('createToken'))}</button></span></label>
      </form>
      ${created ? `<div class="token-once" data-testid="token-once"><p>${esc(ta('tokenOnce'))}</p><div class="token-row"><code data-testid="token-value">${esc(created)}</code><button type="button" class="btn-plain" data-copy data-testid="token-copy">${esc(copied ? ta('copied') : ta('copy'))}</button></div></div>` : ''}
      ${error ? `<p class="form-msg" role="alert">${esc(error)}</p>` : ''}
      ${list}`
  })
  const refresh = async () => {
    const r = await listTokens()
    if (r.ok) tokens = r.value
    else error = ta('error', { message: r.message })
    renderDialog?.()
  }
  d.addEventListener('submit', async (e) => {
    e.preventDefault()
    const input = d.querySelector<HTMLInputElement>('[name="name"]')!
    const name = input.value.trim()
    if (!name) {
      error = ta('nameEmpty')
      return renderDialog?.()
    }
    const r = await createToken(name)
    if (r.ok) {
      created = r.value.token
      copied = false
      error = null
      input.value = ''
    } else error = ta('error', { message: r.message })
    await refresh()
  })
  d.addEventListener('click', async (e) => {
    const target = e.target as HTMLElement
    if (target.closest('[data-copy]') && created) {
      await navigator.clipboard?.writeText(created).catch(() => {})
      const code = d.querySelector('[data-testid="token-value"]')
      if (code) getSelection()?.selectAllChildren(code)
      copied = true
      return renderDialog?.()
    }
    const revoke = target.closest<HTMLElement>('[data-revoke]')
    if (revoke && confirm(ta('revokeConfirm', { name: revoke.dataset.name ?? '' }))) {
      const r = await revokeToken(revoke.dataset.revoke!)
      if (!r.ok) error = ta('error', { message: r.message })
      await refresh()
    }
  })
  void refresh()
}
