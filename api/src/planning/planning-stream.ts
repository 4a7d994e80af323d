import type { Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { AppEnv } from '../http/env.ts'
import { onError } from '../http/errors.ts'
import type { PlanningProgress } from './planning-inputs.ts'

/** While the worker computes, a progress event this often, so the page sees the clock move. */
export const COMPUTE_HEARTBEAT_MS = 1000

/** The client asked for server-sent events (an EventSource sends this Accept header by itself). */
export function wantsEventStream(c: Context<AppEnv>): boolean {
  return /(^|,)\s*text\/event-stream\s*(;|,|$)/i.test(c.req.header('accept') ?? '')
}

/**
 * A planning answer as server-sent events (README "API", OpenAPI description of /coverage): `progress`
 * events as `answer` reports them (and every COMPUTE_HEARTBEAT_MS while it computes), then one `result`
 * event holding the very JSON the plain request gets, or one `error` event `{status, error}` rendered
 * by the app's one error handler. `answer` gets a signal that aborts when the client closes the
 * connection or stops reading the stream; it cancels the database reads and the worker job.
 */
export function planningStream<T>(c: Context<AppEnv>, answer: (signal: AbortSignal, onProgress: (p: PlanningProgress) => void) => Promise<T>): Response {
  const ctl = new AbortController()
  const request = c.req.raw.signal
  const onRequestAbort = () => ctl.abort(request.reason)
  if (request.aborted) onRequestAbort()
  else request.addEventListener('abort', onRequestAbort, { once: true })
  const res = streamSSE(c, async (stream) => {
    stream.onAbort(() => ctl.abort(new Error('the client closed the progress stream')))
    const send = (event: string, data: unknown) => stream.writeSSE({ event, data: JSON.stringify(data) }).catch(() => {})
    let last: PlanningProgress | null = null
    let lastAt = performance.now()
    const heartbeat = setInterval(() => {
      if (last?.phase !== 'compute' || ctl.signal.aborted) return
      void send('progress', { ...last, elapsed_ms: last.elapsed_ms + Math.round(performance.now() - lastAt) })
    }, COMPUTE_HEARTBEAT_MS)
    try {
      const result = await answer(ctl.signal, (p) => {
        last = p
        lastAt = performance.now()
        void send('progress', p)
      })
      if (!ctl.signal.aborted) await send('result', result)
    } catch (err) {
      if (ctl.signal.aborted) return // nobody reads any more; the work was stopped
      // rendered by the one error handler, on a context that only reads the request: the stream's
      // response has started, so nothing may set its headers any more
      const view = { req: c.req, json: (body: unknown, status: number) => new Response(JSON.stringify(body), { status }) }
      const res = onError(err instanceof Error ? err : new Error(String(err)), view as unknown as Context)
      await send('error', { status: res.status, ...((await res.json()) as object) })
    } finally {
      clearInterval(heartbeat)
      request.removeEventListener('abort', onRequestAbort)
    }
  })
  // a proxy must pass each event on at once, not buffer or compress the stream (streamSSE sets no-cache)
  res.headers.set('Cache-Control', 'no-cache, no-transform')
  res.headers.set('X-Accel-Buffering', 'no')
  return res
}
