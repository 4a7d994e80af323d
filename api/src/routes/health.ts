import { createRoute, z } from '@hono/zod-openapi'
import { probeOf } from '../db/liveness.ts'
import { jsonContent, router } from '../http/router.ts'

const Health = z
  .object({
    status: z.enum(['ok', 'unavailable']).openapi({ description: '`unavailable` (HTTP 503) when the database cannot be reached at all' }),
    database: z.enum(['embedded', 'external']),
    database_state: z.enum(['ready', 'busy', 'down']).openapi({
      description: '`busy`: the database did not answer a ping within 50 ms because a long statement holds it (the API still serves); `down`: the ping failed',
    }),
    postgis: z.string().openapi({ example: '3.6.2' }),
    nearest_index: z.enum(['ready', 'loading', 'off']).openapi({
      description: 'The in-memory nearest index: `loading` after start-up (at 10^6 stations for tens of seconds; /api/nearest answers from PostGIS meanwhile), `off` with NEAREST_INDEX=knn',
    }),
  })
  .openapi('Health')

const health = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Is the API up, which database does it use, which PostGIS, is the database answering',
  description: 'Answers within about 50 ms whatever the database is doing: it never waits behind a long query (see database_state).',
  responses: {
    200: jsonContent(Health, 'Service status'),
    503: jsonContent(Health, 'The database cannot be reached'),
  },
})

export const healthRoutes = router().openapi(health, async (c) => {
  const { sql, database, probe, nearest } = c.var.deps
  const live = await (probe ?? probeOf(sql)).check()
  const nearestIndex = !nearest ? ('off' as const) : nearest.ready ? ('ready' as const) : ('loading' as const)
  const body = { database, database_state: live.state, postgis: live.postgis, nearest_index: nearestIndex }
  return live.state === 'down' ? c.json({ status: 'unavailable' as const, ...body }, 503) : c.json({ status: 'ok' as const, ...body }, 200)
})
