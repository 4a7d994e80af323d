/**
 * The poll loop behind changes.ts, free of the browser so it can be tested on a fake clock: the
 * interval, the backoff after failures, the pause while hidden, and which counters moved.
 */
import type { Changes } from '../api.ts'

export type DataSet = keyof Changes

export const POLL_MS = 2500
export const MAX_BACKOFF_MS = 60_000

/** Delay before the next poll after `failures` failed polls in a row (0: the normal interval). */
export function nextPollDelay(failures: number, interval = POLL_MS): number {
  if (failures <= 0) return interval
  return Math.min(MAX_BACKOFF_MS, interval * 2 ** failures)
}

/** The data sets whose counter moved between two answers (none for the first answer: it is the baseline). */
export function changedSets(prev: Changes | null, next: Changes): DataSet[] {
  if (!prev) return []
  return (Object.keys(next) as DataSet[]).filter((k) => next[k] !== prev[k])
}

export interface PollerDeps {
  /** null: 304 (unchanged since `etag`) */
  fetch(etag: string | null): Promise<{ changes: Changes; etag: string | null } | null>
  hidden(): boolean
  /** calls `fn` when the page is shown or hidden; returns the unsubscribe */
  onVisibility(fn: () => void): () => void
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
  interval?: number
}

export interface ChangePoller {
  /** calls `fn(changes)` whenever the counter of `set` moves */
  on(set: DataSet, fn: (changes: Changes) => void): () => void
  /** polls now (e.g. after this page wrote), then on the usual schedule */
  pollNow(): Promise<void>
  /** consecutive failed polls (for the page to say "connection lost") */
  failures(): number
  stop(): void
}

export function createChangePoller(deps: PollerDeps): ChangePoller {
  const listeners = new Map<DataSet, Set<(c: Changes) => void>>()
  let last: Changes | null = null
  let etag: string | null = null
  let failed = 0
  let timer: unknown = null
  let running: Promise<void> | null = null
  let stopped = false

  const schedule = () => {
    if (timer !== null) deps.clearTimeout(timer)
    timer = null
    if (stopped || deps.hidden()) return
    timer = deps.setTimeout(() => void poll(), nextPollDelay(failed, deps.interval))
  }

  async function pollOnce(): Promise<void> {
    try {
      const got = await deps.fetch(etag)
      failed = 0
      if (!got) return
      const moved = changedSets(last, got.changes)
      last = got.changes
      etag = got.etag
      for (const set of moved) for (const fn of listeners.get(set) ?? []) fn(got.changes)
    } catch {
      failed++
    }
  }

  function poll(): Promise<void> {
    running ??= pollOnce().finally(() => {
      running = null
      schedule()
    })
    return running
  }

  const offVisibility = deps.onVisibility(() => {
    if (deps.hidden()) schedule() // clears the timer
    else void poll()
  })

  return {
    on(set, fn) {
      if (!listeners.has(set)) listeners.set(set, new Set())
      listeners.get(set)!.add(fn)
      if (!stopped && timer === null && !running) void poll()
      return () => listeners.get(set)?.delete(fn)
    },
    pollNow: poll,
    failures: () => failed,
    stop() {
      stopped = true
      offVisibility()
      if (timer !== null) deps.clearTimeout(timer)
      timer = null
    },
  }
}

