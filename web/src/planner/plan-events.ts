/**
 * The planning tab's DOM events, delegated on its root and bound once: each one becomes a reducer
 * action (plan-state.ts) or a call on the sub-tab view it belongs to.
 */
import type { PlanAction, PlanKind, PlanSettings } from './plan-state.ts'
import { detailsOpen, type SubTab, type Tool } from './plan-panel.ts'
import type { GapsView } from './views/gaps-view.ts'
import type { ScenariosView } from './views/scenarios-view.ts'
import type { SitingView } from './views/siting-view.ts'

export interface PlanEventTargets {
  dispatch(action: PlanAction): void
  /** the settings a change to this region sets (plan-state.ts regionPatch) */
  regionPatch(region: string): Partial<PlanSettings>
  subTab(sub: SubTab): void
  tool(tool: Tool): void
  remove(id: string): void
  gaps: GapsView
  siting: SitingView
  scenarios: ScenariosView
}

export function bindPlanEvents(root: HTMLElement, to: PlanEventTargets): void {
  const settings = (patch: Partial<PlanSettings>) => to.dispatch({ type: 'settings', patch })
  root.addEventListener('change', (e) => {
    const el = e.target as HTMLInputElement
    switch (el.dataset.plan) {
      case 'region': return settings(to.regionPatch(el.value))
      case 'kind': return settings({ kind: el.value as PlanKind })
      case 'layer': return to.dispatch({ type: 'settings', patch: { layer: el.value }, byHand: true })
      case 'at': return settings({ at: el.value || null })
      case 'minutes': return settings({ minutes: Number(el.value) })
      case 'mode': return settings({ mode: el.value === 'foot' ? 'foot' : 'ebike' })
      case 'radius': {
        const v = Number(el.value)
        if (v > 0 && v <= 50_000) settings({ radius: v })
        return
      }
    }
    if (el.closest('[data-slot="siting"]')) to.siting.onChange(el)
    if (el.dataset.compare) to.scenarios.onCompare(el.dataset.compare, el.checked)
  })
  // <details> toggles don't bubble: listen in the capture phase, and remember them across re-renders
  root.addEventListener(
    'toggle',
    (e) => {
      const el = e.target as HTMLDetailsElement
      const key = el.dataset?.details
      if (!key) return
      // the settings start open: remember them closed; the others start closed
      const k = key === 'settings' ? 'settings-closed' : key
      if (el.open === (key !== 'settings')) detailsOpen.add(k)
      else detailsOpen.delete(k)
    },
    true,
  )
  root.addEventListener('input', (e) => {
    const el = e.target as HTMLInputElement
    if (el.name === 'name' && el.closest('.save-form')) return to.scenarios.onNameInput(el.value)
    if (el.dataset.plan !== 'radius-range') return
    // live while sliding: the coverage recompute is cheap enough for every step
    const num = root.querySelector<HTMLInputElement>('[data-plan="radius"]')
    if (num) num.value = el.value
    settings({ radius: Number(el.value) })
  })
  root.addEventListener('submit', (e) => {
    e.preventDefault()
    const form = e.target as HTMLFormElement
    if (form.matches('.siting-form')) void to.siting.submit(form)
    if (form.matches('.save-form')) void to.scenarios.save(form.querySelector<HTMLInputElement>('[name="name"]')?.value ?? '')
  })
  root.addEventListener('click', (e) => {
    const target = e.target as HTMLElement
    const hit = (attr: string) => target.closest<HTMLElement>(`[${attr}]`)?.getAttribute(attr) ?? null
    const sub = hit('data-subtab') as SubTab | null
    if (sub) return to.subTab(sub)
    const metric = hit('data-plan-metric')
    if (metric && !target.closest('button')?.disabled) return settings({ metric: metric === 'network' ? 'network' : 'straight' })
    const tool = hit('data-tool') as Tool | null
    if (tool) return to.tool(tool)
    const gap = hit('data-gap')
    if (gap) return to.gaps.pick(Number(gap))
    const rm = hit('data-remove')
    if (rm) return to.remove(rm)
    const load = hit('data-load')
    if (load) return void to.scenarios.open(load)
    const del = hit('data-delete')
    if (del) return void to.scenarios.remove(del)
    switch (hit('data-plan-action')) {
      case 'reset-radius': return settings({ radius: null })
      case 'clear-at': {
        const input = root.querySelector<HTMLInputElement>('[data-plan="at"]')
        if (input) input.value = ''
        return settings({ at: null })
      }
      case 'undo': return to.dispatch({ type: 'undo' })
      case 'reset-plan': return to.dispatch({ type: 'clear' })
      case 'accept-sites': return to.dispatch({ type: 'accept-sites' })
      case 'discard-sites': return to.dispatch({ type: 'discard-sites' })
    }
  })
}
