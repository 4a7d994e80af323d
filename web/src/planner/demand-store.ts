/**
 * The planning tab's demand: one layer in one region, fetched from the API once per (layer,
 * region) and kept, with everything the tab derives from it once (shading breaks, the gap-cell
 * threshold, the incremental coverage counter). A newer `load` wins: an older answer that lands
 * after it is dropped, never shown.
 */
import { CoverageCounter } from '@core/coverage-counter.ts'
import type { DemandItem } from '@core/demand-item.ts'
import { gapCellThreshold } from '@core/gap-cell-threshold.ts'
import type { DemandResponse } from '../api.ts'
import { weightBreaks } from '../layers/demand-shading.ts'
import { toDemandItems } from './demand-items.ts'

export interface LoadedDemand {
  layer: string
  region: string
  items: DemandItem[]
  meta: DemandResponse['layer']
  breaks: number[]
  maxWeight: number
  /** a cell needs this much unserved demand to join a gap area (the API's default rule) */
  minCellDemand: number
  counter: CoverageCounter
}

export type DemandFetch = (q: { layer: string; region: string }) => Promise<DemandResponse>

export function prepareDemand(layer: string, region: string, fc: DemandResponse): LoadedDemand {
  const items = toDemandItems(fc.features)
  return {
    layer,
    region,
    items,
    meta: fc.layer,
    breaks: weightBreaks(items.map((i) => i.weight)),
    maxWeight: items.reduce((m, i) => Math.max(m, i.weight), 0),
    minCellDemand: gapCellThreshold(items, fc.layer.kind === 'point'),
    counter: new CoverageCounter(items),
  }
}

export class DemandStore {
  private readonly cache = new Map<string, Promise<LoadedDemand>>()
  private token = 0

  constructor(private readonly fetchDemand: DemandFetch) {}

  /**
   * The demand of `layer` in `region`: from the cache or the API. Resolves null when a later
   * `load` was started meanwhile (that one's answer is the one to show); a failed fetch is not
   * kept, so asking again retries.
   */
  async load(layer: string, region: string): Promise<LoadedDemand | null> {
    const token = ++this.token
    const key = `${layer}|${region}`
    let p = this.cache.get(key)
    if (!p) {
      p = this.fetchDemand({ layer, region }).then((fc) => prepareDemand(layer, region, fc))
      this.cache.set(key, p)
      p.catch(() => this.cache.get(key) === p && this.cache.delete(key))
    }
    try {
      const demand = await p
      return token === this.token ? demand : null
    } catch (err) {
      if (token !== this.token) return null
      throw err
    }
  }
}
