/**
 * Exact optima for the siting tests and benchmark: the covering problems written as mixed-integer
 * programs and solved by HiGHS (WebAssembly). Test support only; the product never loads HiGHS.
 */
import loadHighs from 'highs'
import type { CoverageSets } from '../coverage-sets.ts'

type Highs = Awaited<ReturnType<typeof loadHighs>>
let highs: Promise<Highs> | undefined

export interface ExactSolution {
  status: string
  objective: number
  chosen: number[]
  /** wall time of the solve alone, ms */
  ms: number
}

/** Terms joined into lines of moderate length: the LP reader dislikes endless lines. */
function terms(parts: string[], sep = ' + '): string {
  const lines: string[] = []
  for (let i = 0; i < parts.length; i += 40) lines.push(parts.slice(i, i + 40).join(sep))
  return lines.join(`\n${sep.trim()} `)
}

/** item i → candidates covering it, for the items that carry weight and can be covered at all */
function coverers(sets: CoverageSets): Map<number, number[]> {
  const by = new Map<number, number[]>()
  for (let j = 0; j + 1 < sets.offsets.length; j++) {
    for (let p = sets.offsets[j]!; p < sets.offsets[j + 1]!; p++) {
      const i = sets.items[p]!
      if (!(sets.weights[i]! > 0)) continue
      const list = by.get(i)
      if (list) list.push(j)
      else by.set(i, [j])
    }
  }
  return by
}

function rows(by: Map<number, number[]>): string[] {
  return [...by].map(([i, js], r) => ` c${r}: y${i} - ${terms(js.map((j) => `x${j}`), ' - ')} <= 0`)
}

async function solve(lp: string, nCand: number, timeLimitS: number): Promise<ExactSolution> {
  const h = await (highs ??= loadHighs())
  const t0 = performance.now()
  const result = h.solve(lp, { output_flag: false, time_limit: timeLimitS, mip_rel_gap: 0 })
  const ms = performance.now() - t0
  const chosen: number[] = []
  for (let j = 0; j < nCand; j++) {
    const col = (result.Columns as Record<string, { Primal: number }>)[`x${j}`]
    if (col && col.Primal > 0.5) chosen.push(j)
  }
  return { status: result.Status, objective: result.ObjectiveValue, chosen, ms }
}

/**
 * The covering model both problems share — yᵢ ≤ Σⱼ∈cover(i) xⱼ, 0 ≤ yᵢ ≤ 1, xⱼ binary — with the
 * objective and the one extra row given; solved by HiGHS.
 */
function solveCovering(sets: CoverageSets, objective: (ys: string[], xs: string[]) => string, extraRow: (ys: string[], xs: string[]) => string, timeLimitS: number): Promise<ExactSolution> {
  const nCand = sets.offsets.length - 1
  const by = coverers(sets)
  const ys = [...by.keys()].map((i) => `${sets.weights[i]} y${i}`)
  const xs = Array.from({ length: nCand }, (_, j) => `x${j}`)
  const lp = [
    objective(ys, xs),
    'Subject To',
    ...rows(by),
    extraRow(ys, xs),
    'Bounds',
    ...[...by.keys()].map((i) => ` 0 <= y${i} <= 1`),
    'Binary',
    ...xs.map((x) => ` ${x}`),
    'End',
  ].join('\n')
  return solve(lp, nCand, timeLimitS)
}

/** The true optimum of maximal covering with `k` sites. */
export function exactMaximalCovering(sets: CoverageSets, k: number, timeLimitS = 600): Promise<ExactSolution> {
  return solveCovering(sets, (ys) => `Maximize\n obj: ${ys.length ? terms(ys) : '0 x0'}`, (_ys, xs) => ` k: ${terms(xs)} <= ${k}`, timeLimitS)
}

/** The true minimum number of sites covering at least `need` weight. */
export function exactFewestSites(sets: CoverageSets, need: number, timeLimitS = 600): Promise<ExactSolution> {
  return solveCovering(sets, (_ys, xs) => `Minimize\n obj: ${terms(xs)}`, (ys) => ` need: ${terms(ys)} >= ${need}`, timeLimitS)
}
