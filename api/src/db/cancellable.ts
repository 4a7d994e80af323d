import type { PendingQuery, Row, RowList } from 'postgres'

/**
 * Runs a postgres.js query and cancels it in the server when `signal` aborts (the HTTP client went
 * away), so an abandoned request stops using a connection and CPU at once instead of running on.
 * The promise then rejects with the signal's reason.
 *
 * On PostgreSQL, `query.cancel()` sends a CancelRequest on a fresh connection. The embedded database
 * (PGlite) runs each statement to its end on the server's own thread, so there it cannot interrupt a
 * running statement; it only drops a query still waiting in postgres.js's queue.
 * A request aborted before its query starts never sends it.
 */
export async function cancellable<T extends readonly (object | undefined)[] = Row[]>(query: PendingQuery<T>, signal?: AbortSignal): Promise<RowList<T>> {
  if (!signal) return query
  // postgres.js sends a query when it is first awaited: one never awaited never runs
  if (signal.aborted) throw signal.reason
  const onAbort = () => query.cancel()
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    return await query
  } catch (err) {
    throw signal.aborted ? signal.reason : err
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}
