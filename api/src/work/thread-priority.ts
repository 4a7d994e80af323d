import { readlinkSync } from 'node:fs'
import { setPriority } from 'node:os'

/** The nice value background threads take: below the request thread, above idle. */
export const BACKGROUND_NICE = 10

/**
 * Lowers the CPU priority of the calling thread only (Linux: setpriority on its kernel thread id,
 * read from /proc/thread-self), so a thread that runs long statements or planning work yields the
 * core to the request thread when they compete: on a 2-core machine the embedded database and a
 * siting worker otherwise take turns with it and light requests wait for their time slices.
 * Elsewhere (no /proc) it does nothing; it never fails the caller.
 * @returns the kernel thread id whose priority was lowered, or null
 */
export function lowerThreadPriority(nice = BACKGROUND_NICE): number | null {
  try {
    const tid = Number(readlinkSync('/proc/thread-self').split('/').pop())
    if (!Number.isInteger(tid) || tid <= 0) return null
    setPriority(tid, nice)
    return tid
  } catch {
    return null
  }
}
