/**
 * Others' edits reach an open page through GET /api/changes (one indexed row read; a 304 while
 * nothing changed). `onStationsChanged(cb)` polls it and calls `cb(version)` when the stations
 * counter moves; the first answer only records where it stands. Paused while the tab is hidden.
 */
import { fetchChanges } from '../api.ts'

/** 2 s: with tiles' max-age=2 an edit shows on every open map within 5 s (api/src/tiles/conditional.ts). */
export const CHANGES_POLL_MS = 2000

/** Calls `cb` with the new stations version after each change; returns a function that stops polling. */
export function onStationsChanged(cb: (version: number) => void, intervalMs = CHANGES_POLL_MS): () => void {
  let seen: number | null = null
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = async () => {
    if (stopped) return
    if (document.visibilityState !== 'hidden') {
      try {
        const { stations } = await fetchChanges()
        if (seen !== null && stations !== seen) cb(stations)
        seen = stations
      } catch {
        // offline or restarting: try again at the next tick
      }
    }
    if (!stopped) timer = setTimeout(tick, intervalMs)
  }
  void tick()
  return () => {
    stopped = true
    clearTimeout(timer)
  }
}
