import type { CoverageSets } from './coverage-sets.ts'

export interface CoveringSolution {
  /** candidate indices, in the order a greedy pass adds them to the final set */
  chosen: number[]
  /** demand each chosen site adds given the ones before it (sums to `objective`) */
  gains: number[]
  /** demand covered by the chosen sites together */
  objective: number
  /** improving swaps the interchange made after the greedy start */
  swaps: number
}

export interface CoveringOptions {
  /** stop the interchange after this many swaps (each swap strictly improves the objective) */
  maxSwaps?: number
}

/**
 * Maximal covering location problem: choose `k` candidates covering the most weight.
 * Lazy greedy start, then Teitz–Bart interchange (best improving swap of one chosen site for one
 * unchosen candidate, repeated to a local optimum); each pass costs one scan of the coverage sets.
 * @example maximalCovering(buildCoverageSets(cells, idx, candidates, 1500), 5).objective
 */
export function maximalCovering(sets: CoverageSets, k: number, options: CoveringOptions = {}): CoveringSolution {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`k must be a whole number ≥ 0, got ${k}`)
  const state = new CoverState(sets)
  for (const j of lazyGreedy(sets, k)) state.add(j)
  let swaps = 0
  const maxSwaps = options.maxSwaps ?? 10_000
  while (swaps < maxSwaps) {
    const best = state.bestSwap()
    if (!best) break
    state.remove(best.out)
    state.add(best.in)
    swaps++
  }
  return { ...orderByGain(sets, [...state.chosen]), swaps }
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
  const heap = new MaxHeap()
  for (let j = 0; j < nCand; j++) {
    const g = gainOf(j)
    if (g > EPS) heap.push(g, j)
  }
  const chosen: number[] = []
  while (chosen.length < k && heap.size > 0) {
    const top = heap.pop()!
    const g = gainOf(top.id)
    if (g <= EPS) continue
    if (heap.size > 0 && g < heap.peek()!.key - EPS) {
      heap.push(g, top.id)
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
      this.count[i]!++
      this.coverSum[i]! += j
    })
  }

  remove(j: number) {
    this.chosen.delete(j)
    this.each(j, (i) => {
      this.count[i]!--
      this.coverSum[i]! -= j
    })
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
function orderByGain(sets: CoverageSets, selection: number[]): Omit<CoveringSolution, 'swaps'> {
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

/** A binary max-heap of (key, id) pairs. */
class MaxHeap {
  private keys: number[] = []
  private ids: number[] = []
  get size() {
    return this.keys.length
  }
  peek() {
    return this.keys.length ? { key: this.keys[0]!, id: this.ids[0]! } : undefined
  }
  push(key: number, id: number) {
    const { keys, ids } = this
    let i = keys.length
    keys.push(key)
    ids.push(id)
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (keys[parent]! >= key) break
      keys[i] = keys[parent]!
      ids[i] = ids[parent]!
      i = parent
    }
    keys[i] = key
    ids[i] = id
  }
  pop() {
    const { keys, ids } = this
    if (!keys.length) return undefined
    const top = { key: keys[0]!, id: ids[0]! }
    const lastK = keys.pop()!
    const lastI = ids.pop()!
    if (keys.length) {
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        if (l >= keys.length) break
        const r = l + 1
        const c = r < keys.length && keys[r]! > keys[l]! ? r : l
        if (keys[c]! <= lastK) break
        keys[i] = keys[c]!
        ids[i] = ids[c]!
        i = c
      }
      keys[i] = lastK
      ids[i] = lastI
    }
    return top
  }
}
