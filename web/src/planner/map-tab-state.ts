/**
 * The planner page's own state (the stations tab and what both tabs share), in the page store like
 * the planning tab's (plan-state.ts): which tab is shown, the stations, the kinds shown, the open
 * popup and the place flown to. The map draws stations from tiles; `all` holds only the stations the
 * planning tab loaded for its region.
 */
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { StationLite } from '../types.ts'
import type { PanelTab } from './panel-tabs.ts'

export interface MapTabState {
  tab: PanelTab
  /** the stations within reach of the planning tab's region (loaded when it plans one) */
  all: readonly StationLite[]
  /** kinds ticked in the legend */
  visible: ReadonlySet<StationKind>
  /** the station whose popup is open (stations tab) */
  selectedId: string | null
  /** the plan station whose popup is open (planning tab) */
  planPopupId: string | null
  /** place code flown to, 'all' for the overview, null before any */
  activePlace: string | null
  /** until the planner moves the map, the overview stays fitted to the map's size */
  followOverview: boolean
}

export function initialMapTabState(search: URLSearchParams): MapTabState {
  return {
    tab: search.get('tab') === 'plan' ? 'plan' : 'stations',
    all: [],
    visible: new Set(STATION_KINDS),
    selectedId: null,
    planPopupId: null,
    activePlace: null,
    followOverview: true,
  }
}

/** A kind ticked or cleared in the legend: a new set (the store compares by identity). */
export function toggleKind(visible: ReadonlySet<StationKind>, kind: StationKind, on: boolean): ReadonlySet<StationKind> {
  const next = new Set(visible)
  if (on) next.add(kind)
  else next.delete(kind)
  return next
}
