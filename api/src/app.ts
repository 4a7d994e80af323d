import { OpenAPIHono } from '@hono/zod-openapi'
import { compress } from 'hono/compress'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress'
import type { AppDeps, AppEnv } from './http/env.ts'
import { notFound, onError } from './http/errors.ts'
import { configRoutes } from './routes/config.ts'
import { coverageRoutes } from './routes/coverage.ts'
import { demandRoutes } from './routes/demand.ts'
import { renderDocsPage } from './routes/docs-page.ts'
import { healthRoutes } from './routes/health.ts'
import { isochroneRoutes } from './routes/isochrone.ts'
import { programmeRoutes } from './routes/programmes.ts'
import { regionRoutes } from './routes/regions.ts'
import { scenarioRoutes } from './routes/scenarios.ts'
import { sitingRoutes } from './routes/siting.ts'
import { reportRoutes } from './routes/reports.ts'
import { stationRoutes } from './routes/stations.ts'
import { changeRoutes } from './routes/changes.ts'
import { tileRoutes } from './routes/tiles.ts'
import { compressibleType } from './tiles/conditional.ts'

const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Station Atlas 驿站覆盖图',
    version: '0.1.0',
    description: 'Service stations and their coverage. GeoJSON per RFC 7946; all coordinates WGS-84 lon/lat; distances in metres on the sphere.',
  },
}

/**
 * Builds the API: every route under `/api`, one error shape, the OpenAPI document and its docs page.
 * The web client types itself from `AppType` (hono/client), so page and API cannot drift apart.
 */
export function createApp(deps: AppDeps) {
  const base = new OpenAPIHono<AppEnv>()
  base.use(async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  const api = base
    .route('/', healthRoutes)
    .route('/', configRoutes)
    .route('/', regionRoutes)
    .route('/', stationRoutes)
    .route('/', programmeRoutes)
    .route('/', coverageRoutes)
    .route('/', sitingRoutes)
    .route('/', scenarioRoutes)
    .route('/', reportRoutes)
    .route('/', demandRoutes)
    .route('/', isochroneRoutes)
    .route('/', changeRoutes)
    .route('/', tileRoutes)
  api.doc31('/openapi.json', OPENAPI_INFO)
  api.get('/docs', (c) => c.html(renderDocsPage(api.getOpenAPI31Document(OPENAPI_INFO) as never)))

  const app = new OpenAPIHono<AppEnv>()
  // gzip JSON, vector tiles and the page: riders are on patchy mobile data; GeoJSON shrinks ~5×.
  app.use(compress({ contentTypeFilter: (type) => compressibleType(type, COMPRESSIBLE_CONTENT_TYPE_REGEX) }))
  const routed = app.route('/api', api)
  routed.onError(onError)
  routed.notFound(notFound)
  return routed
}

export type AppType = ReturnType<typeof createApp>
