/**
 * The planning tab's state as one value and every change to it as an action: settings, what-if
 * edits, pending siting suggestions and undo history. `planReducer` is pure (no DOM, no fetch, no
 * clock): the tab dispatches, stores what comes back and renders from it (plan-tab.ts).
 */
import { KIND_INFO, type StationKind } from '@core/station-kinds.ts'
import { TRAVEL_MODES, type TravelMode } from '@core/road-types.ts'
import type { SitingResponse } from '../api.ts'
import { goBack, remember } from './history.ts'
import { addStation, moveStation, noChanges, pruneChanges, removeStation, restoreStation, type PlanChanges } from './plan-edits.ts'

export type PlanKind = StationKind | 'all'

export interface PlanSettings {
  region: string
  kind: PlanKind
  /** one radius for every station, metres; null = each station's own / the kind default */
  radius: number | null
  layer: string
  /** HH:mm, China Standard Time; null = any time */
  at: string | null
  /** 直线 (each station's radius) or 路网 (travel time along the loaded roads) */
  metric: PlanMetric
  /** with the network metric: e-bike or on foot, and the time limit in minutes */
  mode: TravelMode
  minutes: number
}

export type PlanMetric = 'straight' | 'network'

/** The network metric's defaults: 5 minutes by e-bike (a rider rest stop's ≈ 1.5 km). */
export const DEFAULT_RULE = { metric: 'straight', mode: 'ebike', minutes: 5 } as const satisfies Pick<PlanSettings, 'metric' | 'mode' | 'minutes'>
export const MAX_MINUTES = 60

/** Minutes as the API takes them: a whole number 1–60 (else the default). */
export function clampMinutes(v: unknown): number {
  const n = Math.round(Number(v))
  return Number.isFinite(n) && n >= 1 ? Math.min(MAX_MINUTES, n) : DEFAULT_RULE.minutes
}

/** A pending siting suggestion: drawn numbered until added to the plan or discarded. */
export interface Suggestion {
  rank: number
  gain: number
  region_code: string | null
  moved: boolean
}

/** What undo goes back to: the edits and the suggestions, together. */
export interface Snapshot {
  changes: PlanChanges
  suggested: ReadonlyMap<string, Suggestion>
}

export interface PlanState extends Snapshot {
  settings: PlanSettings
  /** earlier snapshots, oldest first */
  past: readonly Snapshot[]
  /** the snapshot a drag started from; null when not dragging */
  dragFrom: Snapshot | null
  /** the last siting answer (its figures stay shown until the network changes); accepted: its sites joined the plan */
  siting: { result: SitingResponse | null; accepted: boolean }
  /** the planner picked a demand layer in the picker during this visit: a region change keeps it */
  layerByHand: boolean
}

export type PlanAction =
  /** byHand: the planner chose this in the panel (a layer so chosen survives region changes) */
  | { type: 'settings'; patch: Partial<PlanSettings>; byHand?: boolean }
  | { type: 'prune'; baseIds: ReadonlySet<string> }
  | { type: 'add'; lon: number; lat: number; name: (n: number) => string }
  | { type: 'remove' | 'restore'; id: string }
  | { type: 'drag-start' }
  | { type: 'drag'; id: string; lon: number; lat: number }
  | { type: 'drag-end' }
  | { type: 'undo' }
  | { type: 'clear' }
  | { type: 'suggest'; result: SitingResponse; name: (rank: number) => string }
  | { type: 'accept-sites' }
  | { type: 'discard-sites' }
  | { type: 'load'; settings: PlanSettings; changes: PlanChanges }

const NO_SUGGESTIONS: ReadonlyMap<string, Suggestion> = new Map()

export function initialPlanState(settings: PlanSettings): PlanState {
  return { settings, changes: noChanges(), suggested: NO_SUGGESTIONS, past: [], dragFrom: null, siting: { result: null, accepted: false }, layerByHand: false }
}

/** `?region=&kind=&layer=&metric=network&mode=&minutes=` (a link into the tab), else 金乡县 and rider rest stops, on the county's default layer (population unless a planner chose another), straight-line. */
export function settingsFromUrl(q: URLSearchParams, regions: readonly string[], layers: readonly string[], defaults: Readonly<Record<string, string>> = {}): PlanSettings {
  const region = regions.find((r) => r === q.get('region')) ?? regions.find((r) => r === '370828') ?? regions[0] ?? ''
  const kind = q.get('kind') ?? 'rider_rest'
  return {
    region,
    kind: kind === 'all' || kind in KIND_INFO ? (kind as PlanKind) : 'rider_rest',
    radius: null,
    // ?layer=, else the layer a planner made this county's default (a real one replacing the modelled), else population
    layer: [q.get('layer'), defaultLayerOf(region, layers, defaults)].find((l) => l && layers.includes(l))!,
    at: null,
    metric: q.get('metric') === 'network' ? 'network' : 'straight',
    mode: (TRAVEL_MODES as readonly string[]).includes(q.get('mode') ?? '') ? (q.get('mode') as TravelMode) : DEFAULT_RULE.mode,
    minutes: q.has('minutes') ? clampMinutes(q.get('minutes')) : DEFAULT_RULE.minutes,
  }
}

/** A county's default layer (a real one a planner made its default), else the modelled population. */
export function defaultLayerOf(region: string, layers: readonly string[], defaults: Readonly<Record<string, string>>): string {
  return [defaults[region], 'population'].find((l) => l && layers.includes(l)) ?? layers[0] ?? 'population'
}

/**
 * The settings a change of region sets: the region, and its default layer — unless the planner
 * picked a layer by hand during this visit, which then stays (a planner comparing counties on one
 * layer keeps comparing). A layer given in the address (?layer=) counts for the first county only.
 * @example regionPatch(state, '361021', ['population', 'wp'], { '361021': 'wp' }) // { region: '361021', layer: 'wp' }
 */
export function regionPatch(state: Pick<PlanState, 'layerByHand'>, region: string, layers: readonly string[], defaults: Readonly<Record<string, string>>): Partial<PlanSettings> {
  return state.layerByHand ? { region } : { region, layer: defaultLayerOf(region, layers, defaults) }
}

/** The one kind being planned, or null for all kinds. */
export function planKind(s: PlanSettings): StationKind | null {
  return s.kind === 'all' ? null : s.kind
}

/** Pending suggestions, best first, with their plan ids. */
export function pendingSites(state: Snapshot): Array<Suggestion & { id: string }> {
  return [...state.suggested].sort((a, b) => a[1].rank - b[1].rank).map(([id, s]) => ({ id, ...s }))
}

/** The edits without the pending suggestions (what siting builds on). */
export function withoutPending(state: Snapshot): PlanChanges {
  return { ...state.changes, added: state.changes.added.filter((a) => !state.suggested.has(a.id)) }
}

/** A radius equal to the kind's default is no override: stations keep their own radii. */
function normaliseRadius(radius: number | null, kind: StationKind | null): number | null {
  return radius !== null && kind && radius === KIND_INFO[kind].radius_m ? null : radius
}

/** Records the current snapshot for undo and moves to `next`. */
function commit(state: PlanState, next: Snapshot): PlanState {
  return { ...state, past: remember(state.past, { changes: state.changes, suggested: state.suggested }), changes: next.changes, suggested: next.suggested }
}

/** A different kind or region is a different network: edits, suggestions and history don't carry over. */
function freshNetwork(state: PlanState): PlanState {
  return { ...state, changes: noChanges(), suggested: NO_SUGGESTIONS, past: [], siting: { ...state.siting, result: null } }
}

export function planReducer(state: PlanState, action: PlanAction): PlanState {
  switch (action.type) {
    case 'settings': {
      const prev = state.settings
      const settings = { ...prev, ...action.patch }
      settings.minutes = clampMinutes(settings.minutes)
      const kindChanged = settings.kind !== prev.kind
      if (kindChanged) settings.radius = null
      else settings.radius = normaliseRadius(settings.radius, planKind(settings))
      const next = { ...state, settings, layerByHand: state.layerByHand || (action.byHand === true && action.patch.layer !== undefined) }
      return kindChanged || settings.region !== prev.region ? freshNetwork(next) : next
    }
    case 'prune':
      return { ...state, changes: pruneChanges(state.changes, action.baseIds) }
    case 'add': {
      const n = state.changes.added.filter((a) => a.id.startsWith('new-')).length + 1
      return commit(state, { changes: addStation(state.changes, action.lon, action.lat, action.name(n)), suggested: state.suggested })
    }
    case 'remove':
    case 'restore': {
      const suggested = new Map(state.suggested)
      suggested.delete(action.id)
      const changes = action.type === 'remove' ? removeStation(state.changes, action.id) : restoreStation(state.changes, action.id)
      return commit(state, { changes, suggested })
    }
    case 'drag-start':
      return state.dragFrom ? state : { ...state, dragFrom: { changes: state.changes, suggested: state.suggested } }
    case 'drag': {
      if (!state.dragFrom) return state
      const sug = state.suggested.get(action.id)
      const suggested = sug && !sug.moved ? new Map(state.suggested).set(action.id, { ...sug, moved: true }) : state.suggested
      return { ...state, changes: moveStation(state.changes, action.id, action.lon, action.lat), suggested }
    }
    case 'drag-end': {
      const from = state.dragFrom
      if (!from) return state
      const moved = from.changes !== state.changes || from.suggested !== state.suggested
      return { ...state, dragFrom: null, past: moved ? remember(state.past, from) : state.past }
    }
    case 'undo': {
      const back = goBack(state.past)
      return back ? { ...state, past: back.past, changes: back.state.changes, suggested: back.state.suggested } : state
    }
    case 'clear':
      return commit(state, { changes: noChanges(), suggested: NO_SUGGESTIONS })
    case 'suggest': {
      let changes = withoutPending(state)
      const suggested = new Map<string, Suggestion>()
      for (const f of action.result.sites.features) {
        const [lon, lat] = f.geometry.coordinates
        changes = addStation(changes, lon, lat, action.name(f.properties.rank), 'site')
        suggested.set(changes.added.at(-1)!.id, { rank: f.properties.rank, gain: f.properties.gain, region_code: f.properties.region_code, moved: false })
      }
      return commit({ ...state, siting: { result: action.result, accepted: false } }, { changes, suggested })
    }
    case 'accept-sites':
      if (!state.suggested.size) return state
      return commit({ ...state, siting: { ...state.siting, accepted: true } }, { changes: state.changes, suggested: NO_SUGGESTIONS })
    case 'discard-sites':
      if (!state.suggested.size) return state
      return commit({ ...state, siting: { ...state.siting, result: null } }, { changes: withoutPending(state), suggested: NO_SUGGESTIONS })
    case 'load':
      return commit({ ...state, settings: action.settings, siting: { ...state.siting, result: null } }, { changes: action.changes, suggested: NO_SUGGESTIONS })
  }
}
