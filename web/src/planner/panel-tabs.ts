/** The side panel's two tabs: the station map (legend, places, counts) and coverage planning. */
import { esc } from '../dom.ts'
import { t } from './strings.ts'

export type PanelTab = 'stations' | 'plan'

export function panelTabsHtml(active: PanelTab): string {
  const tab = (id: PanelTab, label: string) =>
    `<button type="button" role="tab" class="panel-tab${active === id ? ' active' : ''}" aria-selected="${active === id}" data-tab="${id}" data-testid="tab-${id}">${esc(label)}</button>`
  return `<div class="panel-tabs" role="tablist">${tab('stations', t('tabStations'))}${tab('plan', t('tabPlan'))}</div>
    <div class="tab-body" id="tab-stations"${active === 'stations' ? '' : ' hidden'}></div>
    <div class="tab-body" id="tab-plan"${active === 'plan' ? '' : ' hidden'}></div>`
}
