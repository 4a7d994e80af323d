import { existsSync } from 'node:fs'
import { serve } from '@hono/node-server'
import { serveStatic } from '@hono/node-server/serve-static'
import { repoPath } from './paths.ts'
import { authConfigFromEnv } from './auth/config.ts'
import { startApi } from './start.ts'

// WEB_ROOT lets a test serve its own build (several builds may run side by side).
const WEB_ROOT = process.env.WEB_ROOT ?? repoPath('dist/web')
const port = Number(process.env.PORT ?? 8080)
const host = process.env.HOST ?? '0.0.0.0'

const { app, close } = await startApi({
  databaseUrl: process.env.DATABASE_URL,
  dataDir: process.env.DATA_DIR,
  basemapStyleUrl: process.env.BASEMAP_STYLE_URL,
  basemapAttribution: process.env.BASEMAP_ATTRIBUTION,
  limits: {
    ...(process.env.MAX_DEMAND_ITEMS ? { maxDemandItems: Number(process.env.MAX_DEMAND_ITEMS) } : {}),
    ...(process.env.MAX_CANDIDATES ? { maxCandidates: Number(process.env.MAX_CANDIDATES) } : {}),
  },
  auth: authConfigFromEnv(process.env),
  firstAdmin: { email: process.env.ADMIN_EMAIL, password: process.env.ADMIN_PASSWORD },
  log: (m) => console.log(m),
})

// The built page: /, /rider and /tour are Vite entries (web/<name>/index.html once they exist).
if (existsSync(WEB_ROOT)) {
  app.use('/assets/*', serveStatic({ root: WEB_ROOT, onFound: (_p, c) => { c.header('Cache-Control', 'public, max-age=31536000, immutable') } }))
  app.use('/*', serveStatic({ root: WEB_ROOT }))
  app.get('/:page{rider|tour|reports}', serveStatic({ root: WEB_ROOT, rewriteRequestPath: (p) => `${p}/index.html` }))
} else {
  console.warn(`${WEB_ROOT} is missing: run \`npm run build\` to serve the page (the API works without it)`)
}

const server = serve({ fetch: app.fetch, port, hostname: host }, (info) => {
  console.log(`listening on http://127.0.0.1:${info.port}`)
})

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    server.close()
    close().finally(() => process.exit(0))
  })
}
