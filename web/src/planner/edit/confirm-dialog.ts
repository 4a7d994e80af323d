/** A modal yes/no question in the page's own dialog style (retire, restore): resolves true on confirm. */
import { esc } from '../../dom.ts'
import { te } from './strings.ts'

export function confirmDialog(opts: { title: string; body: string; confirm: string; danger?: boolean; testid: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const d = document.createElement('dialog')
    d.className = 'account-dialog edit-confirm'
    d.dataset.testid = opts.testid
    d.innerHTML = `<header class="account-dialog-head"><h2>${esc(opts.title)}</h2><button type="button" class="account-x" value="no" aria-label="${esc(te('close'))}">×</button></header>
      <p class="edit-confirm-body">${esc(opts.body)}</p>
      <div class="form-actions"><button type="button" class="btn-plain" value="no" data-testid="confirm-no">${esc(te('cancel'))}</button><button type="button" class="btn-strong${opts.danger ? ' danger' : ''}" value="yes" data-testid="confirm-yes">${esc(opts.confirm)}</button></div>`
    let answer = false
    d.addEventListener('click', (e) => {
      const v = (e.target as HTMLElement).closest<HTMLButtonElement>('button[value]')?.value
      if (v || e.target === d) {
        answer = v === 'yes'
        d.close()
      }
    })
    d.addEventListener('close', () => {
      d.remove()
      resolve(answer)
    })
    document.body.append(d)
    d.showModal()
    d.querySelector<HTMLButtonElement>('[value="yes"]')!.focus()
  })
}
