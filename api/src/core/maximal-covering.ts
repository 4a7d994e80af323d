import TinyQueue from 'tinyqueue'
import type { CoverageSets } from './coverage-sets.ts'

export interface CoveringSolution {
  /** candidate indices, in the order a greedy pass adds them to the final set */
  chosen: number[]
  /** demand each chosen site adds given the ones before it (sums to `objective`) */
  gains: number[]
  /** demand covered by the chosen sites together */
  objective: number
  /** an upper bound on the optimum (Lagrangian relaxation): the optimum lies in [objective, bound] */
  bound: number
  /** improving swaps the interchange made */
  swaps: number
}

export interface CoveringOptions {
  /** stop each interchange after this many swaps (each swap strictly improves the objective) */
  maxSwaps?: number
  /** subgradient iterations of the Lagrangian relaxation (0: greedy + interchange only) */
  iterations?: number
  /** stop once the solution is provably within this fraction of the optimum (objective ≥ (1 − gap) · bound) */
  gap?: number
}

/**
 * Maximal covering location problem: choose `k` candidates covering the most weight.
 * 1. Lazy greedy, then Teitz–Bart interchange (best improving swap of one chosen site for one
 *    unchosen candidate, to a local optimum; each pass is one scan of the coverage sets).
 * 2. Lagrangian relaxation of "an item counts only if a chosen site covers it", solved by
 *    subgradient steps (Galvão & ReVelle 1996): every step gives an upper bound on the optimum and
 *    a k-site set (the k best by multiplier sums) that interchange polishes when it looks promising.
 * The best set found is returned with the bound, so the caller knows how far from optimal it can be.
 * @example maximalCovering(buildCoverageSets(cells, idx, candidates, 1500), 5).objective
 */
export function maximalCovering(sets: CoverageSets, k: number, options: CoveringOptions = {}): CoveringSolution {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`)
  const maxSwaps = options.maxSwaps ?? 10_000
  const state = new CoverState(sets)
  for (const j of lazyGreedy(sets, k)) state.add(j)
  let swaps = interchange(state, maxSwaps)
  let best = { chosen: [...state.chosen], covered: state.covered }
  let bound = Infinity
  if (state.chosen.size === k && k > 0) {
    const relaxation = new LagrangianRelaxation(sets, k)
    const iterations = options.iterations ?? DEFAULT_ITERATIONS
    const gap = options.gap ?? DEFAULT_GAP
    let sincePolish = Infinity
    for (let it = 0; it < iterations && best.covered < (1 - gap) * bound; it++) {
      const step = relaxation.step(best.covered)
      bound = Math.min(bound, step.bound)
      sincePolish++
      // polish a relaxation set when it is already good, and now and then anyway
      if (step.covered > best.covered * 0.98 || sincePolish >= 25) {
        sincePolish = 0
        state.reset(step.chosen)
        swaps += interchange(state, maxSwaps)
        if (state.covered > best.covered + EPS * (1 + best.covered)) best = { chosen: [...state.chosen], covered: state.covered }
      }
    }
  }
  return { ...orderByGain(sets, best.chosen), bound: Math.max(bound === Infinity ? totalCoverable(sets) : bound, best.covered), swaps }
}

/** Subgradient steps by default: on county instances the bound closes to ~0.1 % in a few hundred. */
const DEFAULT_ITERATIONS = 400
/** Stop early once provably within 0.1 % of the optimum. */
const DEFAULT_GAP = 0.001

/** Best-improvement swaps until none improves (or `maxSwaps`); returns how many were made. */
function interchange(state: CoverState, maxSwaps: number): number {
  let swaps = 0
  while (swaps < maxSwaps) {
    const best = state.bestSwap()
    if (!best) break
    state.remove(best.out)
    state.add(best.in)
    swaps++
  }
  return swaps
}

/** All weight any candidate can reach: the trivial bound. */
function totalCoverable(sets: CoverageSets): number {
  const seen = new Uint8Array(sets.weights.length)
  let total = 0
  for (const i of sets.items) if (!seen[i]) {
    seen[i] = 1
    total += sets.weights[i]!
  }
  return total
}

/**
 * max Σ wᵢyᵢ s.t. yᵢ ≤ Σⱼ aᵢⱼxⱼ, Σ xⱼ = k, with the coverage rows moved into the objective with
 * multipliers λᵢ ∈ [0, wᵢ]: L(λ) = Σ max(0, wᵢ − λᵢ) + (sum of the k largest Σᵢ∈Sⱼ λᵢ) ≥ optimum.
 */
class LagrangianRelaxation {
  private readonly lambda: Float64Array
  private readonly score: Float64Array
  private readonly count: Int32Array
  private readonly order: Int32Array
  private best = Infinity
  private pi = 2
  private stall = 0

  constructor(
    private readonly sets: CoverageSets,
    private readonly k: number,
  ) {
    this.lambda = sets.weights.map((w) => w / 2)
    this.score = new Float64Array(sets.offsets.length - 1)
    this.count = new Int32Array(sets.weights.length)
    this.order = Int32Array.from({ length: this.score.length }, (_, j) => j)
  }

  /** One subgradient step; `incumbent` (best known objective) sets the step length. */
  step(incumbent: number): { bound: number; chosen: number[]; covered: number } {
    const { offsets, items, weights } = this.sets
    const { lambda, score, count } = this
    for (let j = 0; j < score.length; j++) {
      let s = 0
      for (let p = offsets[j]!; p < offsets[j + 1]!; p++) s += lambda[items[p]!]!
      score[j] = s
    }
    const chosen = Array.from(this.order.sort((a, b) => score[b]! - score[a]!).subarray(0, this.k))
    let bound = 0
    for (const j of chosen) bound += score[j]!
    for (let i = 0; i < weights.length; i++) if (weights[i]! > lambda[i]!) bound += weights[i]! - lambda[i]!
    count.fill(0)
    let covered = 0
    for (const j of chosen) {
      for (let p = offsets[j]!; p < offsets[j + 1]!; p++) if (count[items[p]!]!++ === 0) covered += weights[items[p]!]!
    }
    // Polyak step towards the incumbent; halve the step when the bound stops falling
    if (bound < this.best - EPS * (1 + bound)) [this.best, this.stall] = [bound, 0]
    else if (++this.stall >= 20) [this.pi, this.stall] = [this.pi / 2, 0]
    let norm = 0
    for (let i = 0; i < weights.length; i++) {
      if (!(weights[i]! > 0)) continue
      const g = count[i]! - (weights[i]! > lambda[i]! ? 1 : 0)
      norm += g * g
    }
    if (norm > 0) {
      const t = (this.pi * Math.max(bound - incumbent, EPS)) / norm
      for (let i = 0; i < weights.length; i++) {
        if (!(weights[i]! > 0)) continue
        const g = count[i]! - (weights[i]! > lambda[i]! ? 1 : 0)
        lambda[i] = Math.min(weights[i]!, Math.max(0, lambda[i]! - t * g))
      }
    }
    return { bound, chosen, covered }
  }
}

const EPS = 1e-9

/** Greedy with lazy re-evaluation (gains only shrink as sites are added, so stale bounds stay valid). */
function lazyGreedy(sets: CoverageSets, k: number): number[] {
  const { offsets, items, weights } = sets
  const nCand = offsets.length - 1
  const covered = new Uint8Array(weights.length)
  const gainOf = (j: number) => {
    let g = 0
    for (let p = offsets[j]!; p < offsets[j + 1]!; p++) if (!covered[items[p]!]) g += weights[items[p]!]!
    return g
  }
  // largest gain bound first; ties by candidate index so the answer never depends on heap order
  const heap = new TinyQueue<{ key: number; id: number }>([], (a, b) => b.key - a.key || a.id - b.id)
  for (let j = 0; j < nCand; j++) {
    const g = gainOf(j)
    if (g > EPS) heap.push({ key: g, id: j })
  }
  const chosen: number[] = []
  while (chosen.length < k && heap.length > 0) {
    const top = heap.pop()!
    const g = gainOf(top.id)
    if (g <= EPS) continue
    if (heap.length > 0 && g < heap.peek()!.key - EPS) {
      heap.push({ key: g, id: top.id })
      continue
    }
    chosen.push(top.id)
    for (let p = offsets[top.id]!; p < offsets[top.id + 1]!; p++) covered[items[p]!] = 1
  }
  return chosen
}

/** Cover counts for the current selection, with what an interchange needs to price every swap in one scan. */
class CoverState {
  readonly chosen = new Set<number>()
  /** weight covered by the chosen sites */
  covered = 0
  private readonly count: Int32Array
  /** sum of the chosen candidates covering item i: the sole coverer's index when count is 1 */
  private readonly coverSum: Float64Array
  private readonly extra: Float64Array
  private readonly loss: Float64Array

  constructor(private readonly sets: CoverageSets) {
    const nCand = sets.offsets.length - 1
    this.count = new Int32Array(sets.weights.length)
    this.coverSum = new Float64Array(sets.weights.length)
    this.extra = new Float64Array(nCand)
    this.loss = new Float64Array(nCand)
  }

  add(j: number) {
    this.chosen.add(j)
    this.each(j, (i) => {
      if (this.count[i]!++ === 0) this.covered += this.sets.weights[i]!
      this.coverSum[i]! += j
    })
  }

  remove(j: number) {
    this.chosen.delete(j)
    this.each(j, (i) => {
      if (--this.count[i]! === 0) this.covered -= this.sets.weights[i]!
      this.coverSum[i]! -= j
    })
  }

  /** Makes `selection` the chosen set. */
  reset(selection: readonly number[]) {
    for (const j of [...this.chosen]) this.remove(j)
    for (const j of selection) this.add(j)
  }



  private each(j: number, f: (item: number) => void) {
    const { offsets, items } = this.sets
    for (let p = offsets[j]!; p < offsets[j + 1]!; p++) f(items[p]!)
  }

  /** The swap (chosen `out` → unchosen `in`) that raises covered weight most, or null at a local optimum. */
  bestSwap(): { out: number; in: number; delta: number } | null {
    const { offsets, items, weights } = this.sets
    const { count, coverSum, extra, loss } = this
    if (this.chosen.size === 0) return null
    // loss[s]: weight only s covers, lost if s leaves
    let cheapest = -1
    for (const s of this.chosen) {
      let l = 0
      this.each(s, (i) => {
        if (count[i] === 1) l += weights[i]!
      })
      loss[s] = l
      if (cheapest < 0 || l < loss[cheapest]!) cheapest = s
    }
    let best: { out: number; in: number; delta: number } | null = null
    const touched: number[] = []
    for (let c = 0; c < offsets.length - 1; c++) {
      if (this.chosen.has(c)) continue
      let gainNew = 0
      for (let p = offsets[c]!; p < offsets[c + 1]!; p++) {
        const i = items[p]!
        if (count[i] === 0) gainNew += weights[i]!
        else if (count[i] === 1) {
          // if the sole coverer s leaves, c keeps this item covered
          const s = coverSum[i]!
          if (extra[s] === 0) touched.push(s)
          extra[s]! += weights[i]!
        }
      }
      let out = cheapest
      let swing = -loss[cheapest]!
      for (const s of touched) {
        if (extra[s]! - loss[s]! > swing) [out, swing] = [s, extra[s]! - loss[s]!]
        extra[s] = 0
      }
      touched.length = 0
      const delta = gainNew + swing
      if (delta > EPS * (1 + gainNew) && (!best || delta > best.delta)) best = { out, in: c, delta }
    }
    return best
  }
}

/** Orders a selection greedily (largest marginal gain first) and reports each site's marginal gain. */
function orderByGain(sets: CoverageSets, selection: number[]): Pick<CoveringSolution, 'chosen' | 'gains' | 'objective'> {
  const { offsets, items, weights } = sets
  const covered = new Uint8Array(weights.length)
  const left = new Set(selection)
  const chosen: number[] = []
  const gains: number[] = []
  let objective = 0
  while (left.size) {
    let bestJ = -1
    let bestG = -1
    for (const j of left) {
      let g = 0
      for (let p = offsets[j]!; p < offsets[j + 1]!; p++) if (!covered[items[p]!]) g += weights[items[p]!]!
      if (g > bestG || (g === bestG && j < bestJ)) [bestJ, bestG] = [j, g]
    }
    left.delete(bestJ)
    chosen.push(bestJ)
    gains.push(bestG)
    objective += bestG
    for (let p = offsets[bestJ]!; p < offsets[bestJ + 1]!; p++) covered[items[p]!] = 1
  }
  return { chosen, gains, objective }
}
