/**
 * A page's state in one place: `get()` the current value, `set()` a patch (or a function of the
 * current value), `subscribe()` to re-render. Every change makes a new object, so `render(state, prev)`
 * can compare what it needs to and a reducer's output can be stored as is.
 */
export interface Store<S extends object> {
  get(): S
  set(patch: Partial<S> | ((s: S) => Partial<S>)): void
  subscribe(fn: (state: S, prev: S) => void): () => void
}

export function createStore<S extends object>(initial: S): Store<S> {
  let state = initial
  const subscribers = new Set<(state: S, prev: S) => void>()
  return {
    get: () => state,
    set(patch) {
      const prev = state
      state = { ...prev, ...(typeof patch === 'function' ? patch(prev) : patch) }
      for (const fn of subscribers) fn(state, prev)
    },
    subscribe(fn) {
      subscribers.add(fn)
      return () => subscribers.delete(fn)
    },
  }
}
