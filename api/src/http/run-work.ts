import type { Context } from 'hono'
import type { WorkTask } from '../work/tasks.ts'
import { OverBudgetError, WorkCancelledError } from '../work/work-pool.ts'
import type { AppEnv } from './env.ts'
import { ApiError } from './errors.ts'

/**
 * Runs heavy work in the app's worker pool for this request: cancelled when the client disconnects
 * (the request's abort signal, or `signal`: a progress stream's, which also aborts when its reader leaves), 503 `over_budget` with Retry-After past the time budget.
 */
export async function runWork<T extends WorkTask>(c: Context<AppEnv>, task: T, signal: AbortSignal = c.req.raw.signal) {
  try {
    return await c.var.deps.work.run(task, signal)
  } catch (err) {
    // the header travels with the error: a streamed answer's headers are long sent (planning-stream.ts)
    if (err instanceof OverBudgetError) throw new ApiError(503, 'over_budget', err.message, undefined, { 'Retry-After': String(err.retryAfterS) })
    // nobody is listening any more; the one error shape still applies should a proxy log it
    if (err instanceof WorkCancelledError) throw new ApiError(503, 'over_budget', err.message)
    throw err
  }
}
