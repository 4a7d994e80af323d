import { OpenAPIHono } from '@hono/zod-openapi'
import { compress } from 'hono/compress'
import { authenticate } from './auth/authenticate.ts'
import { csrfGuard } from './auth/csrf.ts'
import { COMPRESSIBLE_CONTENT_TYPE_REGEX } from 'hono/utils/compress'
import type { AppDeps, AppEnv } from './http/env.ts'
import { bodyLimits, DEFAULT_BODY_LIMITS, type BodyLimits } from './http/body-limits.ts'
import { crossOrigin } from './http/cross-origin.ts'
import { checkJsonBytes } from './http/json-text.ts'
import { notFound, onError } from './http/errors.ts'
import { authRoutes } from './routes/auth.ts'
import { originsOf, securityHeaders } from './http/security-headers.ts'
import { TIANDITU_ORIGINS } from './http/tianditu.ts'
import { configRoutes } from './routes/config.ts'
import { coverageRoutes } from './routes/coverage.ts'
import { demandRoutes } from './routes/demand.ts'
import { renderDocsPage } from './routes/docs-page.ts'
import { healthRoutes } from './routes/health.ts'
import { isochroneRoutes } from './routes/isochrone.ts'
import { programmeRoutes } from './routes/programmes.ts'
import { regionRoutes } from './routes/regions.ts'
import { roadRoutes } from './routes/roads.ts'
import { scenarioRoutes } from './routes/scenarios.ts'
import { sitingRoutes } from './routes/siting.ts'
import { reportRoutes } from './routes/reports.ts'
import { stationRoutes } from './routes/stations.ts'
import { tokenRoutes } from './routes/tokens.ts'
import { userRoutes } from './routes/users.ts'
import { changeRoutes } from './routes/changes.ts'
import { tileRoutes } from './routes/tiles.ts'
import { importRoutes } from './routes/imports.ts'
import { demandImportRoutes } from './routes/demand-imports.ts'
import { exportRoutes } from './routes/exports.ts'
import { compressibleType } from './tiles/conditional.ts'
import { syncNearestAfterWrites } from './nearest/sync-after-writes.ts'

const OPENAPI_INFO = {
  openapi: '3.1.0',
  info: {
    title: 'Station Atlas 驿站覆盖图',
    version: '0.1.0',
    description: 'Service stations and their coverage. GeoJSON per RFC 7946; all coordinates WGS-84 lon/lat; distances in metres on the sphere.',
  },
}

/** How the app meets the network: body limits, which origins may call it from a browser. */
export interface HttpPolicy {
  bodyLimits: BodyLimits
  /** CORS_ORIGINS; empty: no cross-origin access at all */
  corsOrigins: string[]
}

/**
 * Builds the API: every route under `/api`, one error shape, the OpenAPI document and its docs page.
 * The web client types itself from `AppType` (hono/client), so page and API cannot drift apart.
 */
export function createApp(deps: AppDeps, policy: Partial<HttpPolicy> = {}) {
  const base = new OpenAPIHono<AppEnv>()
  base.use(async (c, next) => {
    c.set('deps', deps)
    await next()
  })
  // Who is asking (c.var.principal), then CSRF for cookie-authenticated writes; each write route
  // adds its own authorisation (auth/authorize.ts) keyed on role and region.
  base.use(authenticate)
  base.use(csrfGuard)
  base.use(syncNearestAfterWrites)
  // remember whether a JSON body is UTF-8 before a parser papers over bad bytes (answered by the validator)
  base.use(checkJsonBytes)
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
    .route('/', roadRoutes)
    .route('/', authRoutes)
    .route('/', userRoutes)
    .route('/', tokenRoutes)
    .route('/', changeRoutes)
    .route('/', tileRoutes)
    .route('/', importRoutes)
    .route('/', demandImportRoutes)
    .route('/', exportRoutes)
  api.openAPIRegistry.registerComponent('securitySchemes', 'session', {
    type: 'apiKey', in: 'cookie', name: 'atlas_session', description: 'Set by POST /api/auth/login; writes must come from this site (Origin checked)',
  })
  api.openAPIRegistry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer', description: 'An API token from POST /api/tokens' })
  api.doc31('/openapi.json', OPENAPI_INFO)
  api.get('/docs', (c) => c.html(renderDocsPage(api.getOpenAPI31Document(OPENAPI_INFO) as never)))

  const app = new OpenAPIHono<AppEnv>()
  // Security headers (CSP …) on the page and the API alike; the basemap's origin may serve tiles,
  // and Tianditu's eight tile hosts only when its key is set.
  app.use(securityHeaders({ connectSrc: [...originsOf([deps.config.basemapStyleUrl]), ...(deps.config.tianditu ? TIANDITU_ORIGINS : [])] }))
  app.use('/api/*', crossOrigin(policy.corsOrigins ?? []))
  // Before any route parses a body: refuse an oversized one by its length or while reading it.
  app.use('/api/*', bodyLimits({ ...DEFAULT_BODY_LIMITS, ...policy.bodyLimits }))
  // gzip JSON, vector tiles and the page: riders are on patchy mobile data; GeoJSON shrinks ~5×.
  app.use(compress({ contentTypeFilter: (type) => compressibleType(type, COMPRESSIBLE_CONTENT_TYPE_REGEX) }))
  const routed = app.route('/api', api)
  routed.onError(onError)
  routed.notFound(notFound)
  return routed
}

export type AppType = ReturnType<typeof createApp>
