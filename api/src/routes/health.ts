import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent, router } from '../http/router.ts'

const Health = z
  .object({
    status: z.literal('ok'),
    database: z.enum(['embedded', 'external']),
    postgis: z.string().openapi({ example: '3.6.2' }),
  })
  .openapi('Health')

const health = createRoute({
  method: 'get',
  path: '/health',
  summary: 'Is the API up, which database does it use, which PostGIS',
  responses: { 200: jsonContent(Health, 'Service status') },
})

export const healthRoutes = router().openapi(health, async (c) => {
  const { sql, database } = c.var.deps
  const [row] = await sql<{ v: string }[]>`SELECT postgis_lib_version() AS v`
  return c.json({ status: 'ok' as const, database, postgis: row?.v ?? 'unknown' }, 200)
})
