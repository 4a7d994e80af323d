import { readFileSync } from 'node:fs'
import { createRoute } from '@hono/zod-openapi'
import { jsonContent, router } from '../http/router.ts'
import { repoPath } from '../paths.ts'
import { Programmes } from '../schemas/programme.ts'

// Read and checked once at start-up: a malformed file stops the server with the field named.
const programmes = Programmes.parse(JSON.parse(readFileSync(repoPath('data/programmes.json'), 'utf8')))

const get = createRoute({
  method: 'get',
  path: '/programmes',
  summary: "The seed programmes' real figures (黑河市, 金乡县, 南城县) with their source",
  responses: { 200: jsonContent(Programmes, 'Programmes and their reported figures') },
})

export const programmeRoutes = router().openapi(get, (c) => c.json(programmes, 200))
