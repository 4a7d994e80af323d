/**
 * The plain header of the account pages (/signin, /admin): the product mark and name, links to the
 * map pages, the language switch and the account slot. Pages with their own header (planner,
 * rider, reports) only render `<span data-slot="account">` into it and call `mountAccountMenu`.
 */
import './site-header.css'
import { esc } from '../dom.ts'
import { getLang, langQuery, onLangChange, otherLang, setLang } from '../i18n/lang.ts'
import { mountAccountMenu } from './account.ts'

const MARK = `<svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true"><circle cx="16" cy="16" r="14" fill="#b3202f" fill-opacity=".12" stroke="#b3202f" stroke-opacity=".5" stroke-width="1.4"/><circle cx="16" cy="16" r="8.5" fill="#b3202f" fill-opacity=".18"/><circle cx="16" cy="16" r="4.6" fill="#b3202f" stroke="#fff" stroke-width="1.6"/></svg>`

export function renderSiteHeader(el: HTMLElement, page: string): void {
  const en = getLang() === 'en'
  el.innerHTML = `<a class="site-brand" href="/${langQuery()}">${MARK}<span>驿站覆盖图<small>Station Atlas</small></span></a>
    <span class="site-page">${esc(page)}</span>
    <nav class="site-nav">
      <a href="/${langQuery()}">${en ? 'Station map' : '驿站地图'}</a>
      <a href="/reports${langQuery()}">${en ? 'Reports' : '问题报告'}</a>
      <button type="button" class="site-lang" data-action="lang" data-testid="lang-toggle">${en ? '中文' : 'English'}</button>
      <span data-slot="account"></span>
    </nav>`
  mountAccountMenu(el.querySelector<HTMLElement>('[data-slot="account"]')!)
}

/** Binds the header's language switch once. */
export function bindSiteHeader(el: HTMLElement, rerender: () => void): void {
  el.addEventListener('click', (e) => {
    if ((e.target as HTMLElement).closest('[data-action="lang"]')) setLang(otherLang())
  })
  onLangChange(rerender)
}
