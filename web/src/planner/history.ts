/**
 * Undo for the plan: a bounded list of earlier states, oldest first. States are immutable values
 * (the edit functions return new objects), so keeping them costs only references.
 */
export const HISTORY_LIMIT = 100

/** `past` with `state` remembered as the one to go back to, forgetting the oldest beyond `limit`. */
export function remember<T>(past: readonly T[], state: T, limit = HISTORY_LIMIT): readonly T[] {
  const next = [...past, state]
  return next.length > limit ? next.slice(next.length - limit) : next
}

/** The latest remembered state and the list without it, or undefined when there is none. */
export function goBack<T>(past: readonly T[]): { state: T; past: readonly T[] } | undefined {
  if (!past.length) return undefined
  return { state: past[past.length - 1]!, past: past.slice(0, -1) }
}
