/** The help overlay (?): the keys and the URL parameters, in the tour's language. */
import { esc } from '../dom.ts'
import { s } from './strings.ts'

export function helpHtml(): string {
  const row = (keys: string[], text: string) => `<tr><td>${keys.map((k) => `<kbd>${esc(k)}</kbd>`).join(' ')}</td><td>${esc(text)}</td></tr>`
  return `<div class="t-help-box" role="dialog" aria-label="${esc(s('help'))}">
    <h2>${esc(s('help'))}</h2>
    <table>
      ${row(['Space'], s('helpSpace'))}
      ${row(['←', '→'], s('helpArrows'))}
      ${row(['0', '…', '9'], s('helpDigits'))}
      ${row(['L'], s('helpLang'))}
      ${row(['F'], s('helpFull'))}
      ${row(['?', 'Esc'], s('helpHelp'))}
    </table>
    <p>${esc(s('helpUrl'))}</p>
    <p class="t-quiet">/tour?regions=231100,370828&amp;dwell=20&amp;lang=en&amp;kind=rider_rest</p>
  </div>`
}
