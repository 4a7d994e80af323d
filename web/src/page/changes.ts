/**
 * Others' edits, seen within 5 s on every open page: polls `GET /api/changes` (the stations, roads and
 * regions counters, README "Caching and invalidation") every 2.5 s with `If-None-Match`, so a quiet
 * poll is a ~100-byte 304. Paused while the tab is hidden (and polled at once when it shows again);
 * backs off on failures (5 s, 10 s … 60 s) so a server that is down is not hammered.
 *
 * One poller per page, shared by everything on it that shows stations: the display layer, the edit
 * layer, the rider's list, the tour's counts subscribe with `onDataChange('stations', fn)`.
 *
 * Why polling rather than LISTEN/NOTIFY: the embedded database takes one connection, which postgres.js's
 * listen connection cannot share (README); a counter read works the same on both databases.
 */
import { fetchChanges, type Changes } from '../api.ts'
import { createChangePoller, type ChangePoller, type DataSet } from './changes-poller.ts'

export type { DataSet }

let shared: ChangePoller | null = null

/** This page's poller (started by the first subscriber). */
export function changePoller(): ChangePoller {
  shared ??= createChangePoller({
    fetch: (etag) => fetchChanges(etag),
    hidden: () => document.visibilityState === 'hidden',
    onVisibility(fn) {
      document.addEventListener('visibilitychange', fn)
      return () => document.removeEventListener('visibilitychange', fn)
    },
    setTimeout: (fn, ms) => window.setTimeout(fn, ms),
    clearTimeout: (h) => window.clearTimeout(h as number),
  })
  return shared
}

/** Calls `fn` whenever another write (anyone's) changed `set`; returns the unsubscribe. */
export function onDataChange(set: DataSet, fn: (changes: Changes) => void): () => void {
  return changePoller().on(set, fn)
}
