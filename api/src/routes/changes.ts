import { createRoute } from '@hono/zod-openapi'
import { jsonContent, router } from '../http/router.ts'
import { Changes } from '../schemas/tiles.ts'
import { etagMatches, etagOf } from '../tiles/conditional.ts'
import { currentDataVersions } from '../tiles/data-version.ts'

const changes = createRoute({
  method: 'get',
  path: '/changes',
  summary: 'Change counters of stations, roads and regions: poll to see others’ edits (ETag; 304 when nothing changed)',
  responses: {
    200: jsonContent(Changes, 'The current versions; any change means re-fetch that data (tiles revalidate by ETag)'),
    304: { description: 'Nothing changed since the ETag sent in If-None-Match' },
  },
})

export const changeRoutes = router().openapi(changes, async (c) => {
  const v = await currentDataVersions(c.var.deps.sql)
  const etag = etagOf('changes', v.stations, v.roads, v.regions)
  // no-cache: the browser stores it but asks every time, so a poll is a 304 of ~100 bytes until something changes
  c.header('Cache-Control', 'no-cache')
  c.header('ETag', etag)
  if (etagMatches(c.req.header('If-None-Match'), etag)) return c.body(null, 304)
  return c.json(v, 200)
})
