/**
 * Keeps round markers apart on screen: discs that overlap are pushed apart along the line between
 * their centres (fixed discs, like the rider's own dot, never move) until none overlap or the
 * iterations run out. Pure and deterministic; pixels in, pixels out.
 */
export interface Disc {
  x: number
  y: number
  /** radius in px, stroke included */
  r: number
  fixed?: boolean
}

/**
 * Centres after decluttering, in input order.
 * @example spreadDiscs([{ x: 0, y: 0, r: 10 }, { x: 0, y: 0, r: 10 }]) // two centres 22 px apart
 */
export function spreadDiscs(discs: readonly Disc[], gap = 2, iterations = 80): { x: number; y: number }[] {
  const p = discs.map((d) => ({ x: d.x, y: d.y }))
  for (let it = 0; it < iterations; it++) {
    let moved = false
    for (let i = 0; i < discs.length; i++) {
      for (let j = i + 1; j < discs.length; j++) {
        const a = discs[i]!, b = discs[j]!
        if (a.fixed && b.fixed) continue
        let dx = p[j]!.x - p[i]!.x
        let dy = p[j]!.y - p[i]!.y
        let d = Math.hypot(dx, dy)
        const min = a.r + b.r + gap
        if (d >= min - 1e-6) continue
        if (d < 1e-6) {
          // the same spot: a direction of its own for each pair (golden angle), so results are stable
          const angle = (i * 7 + j) * 2.399963
          dx = Math.cos(angle)
          dy = Math.sin(angle)
          d = 1
        } else {
          dx /= d
          dy /= d
        }
        const push = min - Math.max(d, 0) + 0.01
        const share = a.fixed ? [0, 1] : b.fixed ? [1, 0] : [0.5, 0.5]
        p[i]!.x -= dx * push * share[0]!
        p[i]!.y -= dy * push * share[0]!
        p[j]!.x += dx * push * share[1]!
        p[j]!.y += dy * push * share[1]!
        moved = true
      }
    }
    if (!moved) break
  }
  return p
}
