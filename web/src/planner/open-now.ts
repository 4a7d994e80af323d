/**
 * Open now, in China Standard Time, from a station's OpenStreetMap `opening_hours`, evaluated with
 * the core's own `isOpenAt` (loaded on first use: the opening_hours parser is a big module).
 * A closed station also says when it next opens (the first open minute within the next 7 days,
 * found in 5-minute steps, then to the minute).
 */
type IsOpenAt = (hours: string | null | undefined, at: Date) => boolean | null

export type OpenNow = { state: 'open' } | { state: 'closed'; opensAt: Date | null } | { state: 'unknown' }

let isOpenAt: IsOpenAt | null = null
let loading: Promise<IsOpenAt> | null = null

/** Loads the core's `isOpenAt` once; resolves when `openNow` can answer. */
export function loadOpenNow(): Promise<IsOpenAt> {
  loading ??= import('@core/is-open-at.ts').then((m) => (isOpenAt = m.isOpenAt))
  return loading
}

/** `null` until `loadOpenNow()` has resolved. */
export function openNow(hours: string | null | undefined, at: Date): OpenNow | null {
  return isOpenAt ? openNowWith(isOpenAt, hours, at) : null
}

const STEP_MS = 5 * 60_000
const HORIZON_MS = 7 * 24 * 3600_000

export function openNowWith(open: IsOpenAt, hours: string | null | undefined, at: Date): OpenNow {
  const now = open(hours, at)
  if (now === null) return { state: 'unknown' }
  if (now) return { state: 'open' }
  const t0 = at.getTime()
  for (let t = t0 + STEP_MS; t <= t0 + HORIZON_MS; t += STEP_MS) {
    if (!open(hours, new Date(t))) continue
    // the first open minute after the last closed step
    let m = t - STEP_MS + 60_000
    while (m < t && !open(hours, new Date(m))) m += 60_000
    return { state: 'closed', opensAt: new Date(m) }
  }
  return { state: 'closed', opensAt: null }
}
