/**
 * Badge slots for the planner's numbered siting markers (the rider's spreadDiscs instead pushes round
 * markers apart): markers closer than `gap` pixels would print their numbers over each other, so each one after the first (in the given order, best rank first) that
 * would touch an already placed badge is moved to the nearest free spot on rings around its point
 * (8 directions, 1–3 gaps out), clear of the other badges and of the other markers' own points.
 * The caller draws a leader line from the point to its moved badge.
 */
export interface ScreenMarker {
  id: string
  x: number
  y: number
}

/** Badge positions (px) of the markers that had to move; markers that stay put are not in the map. */
export function badgeSlots(markers: readonly ScreenMarker[], gap: number): Map<string, { x: number; y: number }> {
  const moved = new Map<string, { x: number; y: number }>()
  const placed: { x: number; y: number }[] = []
  const free = (x: number, y: number, self: string) =>
    placed.every((p) => Math.hypot(p.x - x, p.y - y) >= gap) &&
    markers.every((m) => m.id === self || Math.hypot(m.x - x, m.y - y) >= gap * 0.6)
  for (const m of markers) {
    if (placed.every((p) => Math.hypot(p.x - m.x, p.y - m.y) >= gap)) {
      placed.push({ x: m.x, y: m.y })
      continue
    }
    let spot: { x: number; y: number } | null = null
    for (let ring = 1; ring <= 3 && !spot; ring++) {
      for (let k = 0; k < 8; k++) {
        // up-right first, then round the clock: numbers read best above their point
        const a = -Math.PI / 4 + (k * Math.PI) / 4
        const x = m.x + Math.cos(a) * gap * ring * 1.15
        const y = m.y + Math.sin(a) * gap * ring * 1.15
        if (free(x, y, m.id)) {
          spot = { x, y }
          break
        }
      }
    }
    spot ??= { x: m.x + gap * 3.5, y: m.y - gap * 3.5 }
    placed.push(spot)
    moved.set(m.id, spot)
  }
  return moved
}
