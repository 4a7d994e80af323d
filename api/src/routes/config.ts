import { createRoute, z } from '@hono/zod-openapi'
import { jsonContent, router } from '../http/router.ts'

const Config = z
  .object({
    basemap_style_url: z.string().nullable().openapi({ description: 'A MapLibre style to use instead of the offline basemap' }),
    basemap_attribution: z.string().nullable().openapi({ description: "The basemap's attribution, including its 审图号" }),
  })
  .openapi('Config')

const config = createRoute({
  method: 'get',
  path: '/config',
  summary: 'Deployment settings the page needs (basemap)',
  responses: { 200: jsonContent(Config, 'Page configuration') },
})

export const configRoutes = router().openapi(config, (c) => {
  const { basemapStyleUrl, basemapAttribution } = c.var.deps.config
  return c.json({ basemap_style_url: basemapStyleUrl, basemap_attribution: basemapAttribution }, 200)
})
