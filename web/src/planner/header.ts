/** The planner's header: product name, demo-data badge, language and panel toggles. */
import { esc } from '../dom.ts'
import { getLang, langQuery } from '../i18n/lang.ts'
import { mountAccountMenu } from '../page/account.ts'
import { t } from './strings.ts'

export interface HeaderActions {
  onToggleLang(): void
  onTogglePanel(): void
}

const MARK = `<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="14" fill="#b3202f" fill-opacity=".12" stroke="#b3202f" stroke-opacity=".5" stroke-width="1.4"/><circle cx="16" cy="16" r="8.5" fill="#b3202f" fill-opacity=".18"/><circle cx="16" cy="16" r="4.6" fill="#b3202f" stroke="#fff" stroke-width="1.6"/></svg>`

export function renderHeader(el: HTMLElement, { showDemo }: { showDemo: boolean }): void {
  el.innerHTML = `
    <div class="brand">
      ${MARK}
      <span class="brand-name">驿站覆盖图<span class="brand-en">Station Atlas</span></span>
      <span class="brand-sub">${esc(t('appSubtitle'))}</span>
    </div>
    <div class="topbar-actions">
      <a class="btn btn-rider" href="/rider${langQuery()}" data-testid="rider-link" title="骑手找驿站 / Rider">${getLang() === 'en' ? 'Rider' : '<span class="long">骑手找驿站</span><span class="short">骑手</span>'}</a>
      ${showDemo ? `<span class="badge-demo" data-testid="header-demo" title="${esc(t('demoData'))}">${getLang() === 'en' ? `<span class="long">${esc(t('demoData'))}</span><span class="short">Demo</span>` : esc(t('demoData'))}</span>` : ''}
      <button type="button" class="btn btn-panel" data-action="panel">${esc(t('panelToggle'))}</button>
      <button type="button" class="btn btn-lang" data-action="lang" title="${esc(t('switchLangTitle'))}" data-testid="lang-toggle">${getLang() === 'en' ? esc(t('switchLang')) : `<span class="long">${esc(t('switchLang'))}</span><span class="short">EN</span>`}</button>
      <span data-slot="account"></span>
    </div>`
  mountAccountMenu(el.querySelector<HTMLElement>('[data-slot="account"]')!)
}

export function bindHeader(el: HTMLElement, actions: HeaderActions): void {
  el.addEventListener('click', (e) => {
    const action = (e.target as HTMLElement).closest<HTMLElement>('[data-action]')?.dataset.action
    if (action === 'lang') actions.onToggleLang()
    if (action === 'panel') actions.onTogglePanel()
  })
}
