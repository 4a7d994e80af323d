/**
 * The "编辑 / Edit" switch on the station map and the bar beside it that says what the mode does.
 * Shown only to an account that may write somewhere (an admin, or an editor with a region grant):
 * anonymous viewers never see it. The edit mode's code (forms, history, the opening_hours parser)
 * and the page's deck.gl overlay load on the first switch-on, so viewers do not download them.
 */
import './edit.css'
import { esc } from '../../dom.ts'
import { currentUser, onAccountChange } from '../../page/account.ts'
import type { User } from '../../api.ts'
import type { MapboxOverlay } from '@deck.gl/mapbox'
import type { EditDeps, EditMode, EditSnapshot } from './edit-mode.ts'
import { te } from './strings.ts'

export interface EditHandle {
  active(): boolean
  /** the edit layer's deck.gl layers ([] when off) */
  layers(): unknown[]
  /** the edit layer shows the stations: the display layer steps aside */
  hidesDisplay(): boolean
  /** switches the mode off (another tab was chosen) */
  deactivate(): void
  /** language switched */
  rerender(): void
}

export interface EditHooks {
  edit: EditSnapshot
  editScreenPoint(id: string): { x: number; y: number } | null
}

export function editHooks(): EditHooks {
  return {
    edit: { available: false, active: false, zoomOk: false, ready: false, stations: [], sheet: null, message: null, saves: 0 },
    editScreenPoint: () => null,
  }
}

/** May this account write anywhere at all? (Which stations it may touch is decided per region.) */
export function canEditSomewhere(user: User | null): boolean {
  return !!user && !user.disabled && (user.role === 'admin' || user.regions.length > 0)
}

const touchFirst = () => matchMedia('(pointer: coarse)').matches

export function mountEditToggle(
  container: HTMLElement,
  deps: Omit<EditDeps, 'bar' | 'snapshot' | 'onBar' | 'overlay'> & { loadOverlay(): Promise<MapboxOverlay>; hooks: EditHooks; isStationsTab(): boolean },
): EditHandle {
  const root = document.createElement('div')
  root.className = 'edit-control'
  root.dataset.testid = 'edit-control'
  root.hidden = true
  container.append(root)
  let mode: EditMode | null = null
  let loading: Promise<EditMode> | null = null

  const render = () => {
    const available = canEditSomewhere(currentUser()) && deps.isStationsTab()
    deps.hooks.edit.available = available
    root.hidden = !available
    const on = !!mode?.active
    const status = mode && on ? mode.status() : null
    const msg = mode?.message
    root.classList.toggle('on', on)
    root.innerHTML = `<button type="button" class="edit-toggle${on ? ' on' : ''}" aria-pressed="${on}" data-edit-toggle data-testid="edit-toggle" title="${esc(te('toggleTitle'))}">
        <svg viewBox="0 0 16 16" aria-hidden="true"><path d="M11.3 1.7a1.5 1.5 0 0 1 2.1 0l.9.9a1.5 1.5 0 0 1 0 2.1L5.6 13.4l-3.4.8.8-3.4z" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linejoin="round"/></svg>
        <span>${esc(on ? te('toggleOn') : te('toggle'))}</span>
      </button>
      ${on && status ? `<div class="edit-bar" data-testid="edit-bar">
        <p class="edit-bar-title"><b>${esc(te('barTitle'))}</b><span data-testid="edit-status">${esc(status.text)}</span>${status.zoomIn ? ` <button type="button" class="link-btn" data-edit-zoom data-testid="edit-zoom-in">${esc(te('zoomInBtn'))}</button>` : ''}</p>
        ${status.zoomIn ? '' : `<p class="edit-bar-hint">${esc(touchFirst() ? te('barHintTouch') : te('barHint'))}</p>`}
        ${msg ? `<p class="edit-bar-msg${msg.error ? ' error' : ''}" role="status" data-testid="edit-msg">${esc(msg.text)}</p>` : ''}
      </div>` : ''}`
  }

  const load = () =>
    (loading ??= Promise.all([import('./edit-mode.ts'), deps.loadOverlay()]).then(([{ EditMode }, overlay]) => {
      const m = new EditMode({ ...deps, overlay, bar: root, snapshot: deps.hooks.edit, onBar: render })
      deps.hooks.editScreenPoint = (id) => m.screenPoint(id)
      mode = m
      return m
    }))

  root.addEventListener('click', async (e) => {
    const t = e.target as HTMLElement
    if (t.closest('[data-edit-zoom]')) return mode?.zoomIn()
    if (!t.closest('[data-edit-toggle]')) return
    const m = await load()
    m.setActive(!m.active)
    render()
  })
  onAccountChange(() => {
    if (mode?.active && !canEditSomewhere(currentUser())) mode.setActive(false)
    render()
    deps.onLayers()
  })
  render()

  return {
    active: () => !!mode?.active,
    layers: () => mode?.layers() ?? [],
    hidesDisplay: () => !!mode?.hidesDisplay(),
    deactivate() {
      mode?.setActive(false)
      render()
    },
    rerender() {
      render()
      mode?.rerender()
    },
  }
}
