import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../http/env.ts'

/** Requests that may write stations: every station route but reads, and imports. */
const WRITES_STATIONS = /\/api\/(stations|import)(\/|$)/

/**
 * After a successful station write, brings this process's nearest index up to date before the answer
 * leaves, so the writer's next /api/nearest sees the change (other processes see it on their next
 * poll). A failed sync does not fail the write: it is committed, and the next poll catches up.
 */
export const syncNearestAfterWrites = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  const index = c.var.deps.nearest
  if (!index || c.req.method === 'GET' || c.req.method === 'HEAD' || c.res.status >= 400 || !WRITES_STATIONS.test(c.req.path)) return
  await index.sync().catch((err: Error) => console.error(`nearest index: sync after a write failed (${err.message}); the next poll retries`))
})
