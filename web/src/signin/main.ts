/**
 * The sign-in page (`/signin?next=/reports`): e-mail and password, the API's answer in words (wrong
 * password; too many attempts with the wait from Retry-After; a field's rule), then back to the page
 * the user came from (`next`, a path on this site only).
 */
import '../styles/base.css'
import './signin.css'
import { signIn } from '../api.ts'
import { byId, esc } from '../dom.ts'
import type { Lang } from '../i18n/lang.ts'
import { currentUser, loadAccount, onAccountChange } from '../page/account.ts'
import { nextPath } from '../page/grants.ts'
import { ta, waitWords } from '../page/account-strings.ts'
import type { PageHooks } from '../page/hooks.ts'
import { startPage } from '../page/page.ts'
import { bindSiteHeader, renderSiteHeader } from '../page/site-header.ts'
import { createStore } from '../page/store.ts'

interface SignInState {
  lang: Lang
  busy: boolean
  /** what went wrong, already in words */
  error: { text: string; field?: 'email' | 'password' } | null
}

const el = { top: byId('top'), main: byId('main') }

startPage<PageHooks>({
  hooks: (lang) => ({ idle: false, error: null, lang }),
  fail: (message) => (el.main.textContent = ta('error', { message })),
  async start({ hooks, lang }) {
    const store = createStore<SignInState>({ lang, busy: false, error: null })
    const render = () => {
      document.title = ta('signInTitle')
      renderSiteHeader(el.top, ta('signIn'))
      renderMain(store.get())
    }
    store.subscribe(render)
    bindSiteHeader(el.top, () => store.set({ lang: hooks.lang }))
    onAccountChange(() => renderMain(store.get()))

    el.main.addEventListener('submit', async (e) => {
      e.preventDefault()
      const form = e.target as HTMLFormElement
      const email = form.querySelector<HTMLInputElement>('[name="email"]')!.value.trim()
      const password = form.querySelector<HTMLInputElement>('[name="password"]')!.value
      store.set({ busy: true, error: null })
      const r = await signIn(email, password)
      if (r.ok) {
        location.assign(nextPath(location.search))
        return
      }
      const field = r.issues[0]?.path[0]
      const error: SignInState['error'] =
        r.status === 401
          ? { text: ta('wrongPassword'), field: 'password' as const }
          : r.status === 429
            ? { text: ta('tooMany', { wait: waitWords(r.retryAfterS ?? 60) }) }
            : { text: ta('failed', { message: r.message }), ...(field === 'email' || field === 'password' ? { field: field as 'email' | 'password' } : {}) }
      store.set({ busy: false, error })
      hooks.idle = true
    })

    render()
    await loadAccount()
    hooks.idle = true
  },
})

function renderMain(s: SignInState): void {
  const user = currentUser()
  const next = nextPath(location.search)
  // keep what was typed across re-renders (language switch, account loaded)
  const typed = Object.fromEntries([...el.main.querySelectorAll<HTMLInputElement>('input')].map((i) => [i.name, i.value]))
  const signedIn = user
    ? `<div class="signin-already" data-testid="signin-already">${esc(ta('signedInAs', { email: user.email }))} · <a href="${esc(next)}">${esc(ta('continue'))}</a></div>`
    : ''
  const err = (f: 'email' | 'password') => (s.error?.field === f ? ' aria-invalid="true"' : '')
  el.main.innerHTML = `<section class="signin-card">
      <h1>${esc(ta('signInHeading'))}</h1>
      <p class="signin-lead">${esc(ta('signInLead'))}</p>
      ${signedIn}
      <form class="account-form" data-testid="signin-form" novalidate>
        <label>${esc(ta('email'))}<input type="email" name="email" autocomplete="username" required value="${esc(typed.email ?? '')}" data-testid="signin-email"${err('email')} /></label>
        <label>${esc(ta('password'))}<input type="password" name="password" autocomplete="current-password" required value="${esc(typed.password ?? '')}" data-testid="signin-password"${err('password')} /></label>
        ${s.error ? `<p class="form-msg" role="alert" data-testid="signin-error">${esc(s.error.text)}</p>` : ''}
        <button type="submit" class="btn-strong signin-submit" data-testid="signin-submit"${s.busy ? ' disabled' : ''}>${esc(s.busy ? ta('submitting') : ta('submit'))}</button>
      </form>
      <p class="signin-foot"><a href="${esc(next)}">${esc(ta('back'))}</a><span>${esc(ta('noAdminYet'))}</span></p>
    </section>`
  if (!typed.email) el.main.querySelector<HTMLInputElement>('[name="email"]')?.focus()
}
