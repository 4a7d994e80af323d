/**
 * What the planning tab adds to `window.__atlas` for browser tests and curious planners: real
 * timings of the in-browser recompute, what is drawn, and screen positions of plan stations.
 */
import type { CountedCoverage } from '@core/coverage-counter.ts'

export interface PlanHooks {
  /** demand loaded for the current settings and coverage computed */
  planReady: boolean
  /** the gap list is up to date with the plan */
  gapsReady: boolean
  /** ms of the last coverage recompute (covered mask + figures), measured with performance.now() */
  lastRecomputeMs: number | null
  /** ms of the last gap-area recompute (flood fill + ranking + outlines) */
  lastGapsMs: number | null
  /** how many coverage recomputes have run */
  recomputeCount: number
  /** every coverage recompute's ms since the page loaded (drags included) */
  recomputeTimes: number[]
  /** the plan's current coverage ratio (0–1) */
  planRatio: number | null
  /** demand items drawn shaded as unserved / in total */
  unservedDrawn: number
  demandDrawn: number
  /** numbered badges badgeSlots moved off their point */
  badgesMoved: number
  /** add-station clicks refused because they fell outside the region */
  addRefused: number
  /** suggested-site markers drawn */
  suggestedDrawn: number
  /** ids of the suggested sites, by rank */
  suggestedIds(): string[]
  /** the coverage rule the figures use: straight, or network (roads loaded and chosen) */
  metric: 'straight' | 'network'
  /** roads loaded for the region (null while asking) */
  roadsLoaded: boolean | null
  /** bytes of the region's road graph the page downloaded, or null */
  roadGraphBytes: number | null
  /** station isochrones drawn (network rule) */
  isochronesDrawn: number
  /** screen position (viewport CSS px) of a plan station or suggested site, or null */
  planStationScreenPoint(id: string): { x: number; y: number } | null
}

/** A coverage recompute ran: its time, ratio and what the shading now draws. */
export function recordRecompute(hooks: PlanHooks, value: CountedCoverage, ms: number): void {
  hooks.lastRecomputeMs = ms
  hooks.recomputeCount++
  hooks.recomputeTimes.push(ms)
  hooks.planRatio = value.ratio
  let unserved = 0
  for (let i = 0; i < value.coveredMask.length; i++) if (!value.coveredMask[i]) unserved++
  hooks.unservedDrawn = unserved
  hooks.demandDrawn = value.coveredMask.length
  hooks.planReady = true
}

export function planHooks(): PlanHooks {
  return {
    planReady: false,
    gapsReady: false,
    lastRecomputeMs: null,
    lastGapsMs: null,
    recomputeCount: 0,
    recomputeTimes: [],
    planRatio: null,
    unservedDrawn: 0,
    demandDrawn: 0,
    suggestedDrawn: 0,
    addRefused: 0,
    badgesMoved: 0,
    metric: 'straight',
    roadsLoaded: null,
    roadGraphBytes: null,
    isochronesDrawn: 0,
    suggestedIds: () => [],
    planStationScreenPoint: () => null,
  }
}
