import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { constants, gzipSync } from 'node:zlib'
import { defineConfig, type Plugin } from 'vitest/config'
import { PAGES, pageHtml } from './web/pages.ts'

const apiPort = Number(process.env.API_PORT ?? 8787)

/** One HTML entry per page of web/pages.ts (the planner at web/index.html, the others at web/<name>/index.html). */
const pages = Object.fromEntries(
  PAGES.map((name) => [name, fileURLToPath(new URL(`./web/${pageHtml(name)}`, import.meta.url))] as const).filter(([, path]) => existsSync(path)),
)

/**
 * Fontsource CSS lists a .woff fallback after each .woff2; every browser that runs WebGL2 reads
 * woff2, so dropping the fallback halves the font files copied into dist/web.
 */
function woff2Only(): Plugin {
  return {
    name: 'atlas:fontsource-woff2-only',
    enforce: 'pre',
    transform(code, id) {
      if (!/@fontsource\/[^?]+\.css(\?|$)/.test(id)) return null
      return { code: code.replace(/,\s*url\([^)]+\.woff\)\s*format\(['"]woff['"]\)/g, ''), map: null }
    },
  }
}

/**
 * Writes `<file>.gz` beside each built script, stylesheet and page (gzip level 9), which the server
 * sends as they are (serveStatic `precompressed`): the ≈ 2.5 MB a first visit loads is then not
 * gzipped again on every request, on the same thread that answers the page's first API calls.
 */
function precompress(): Plugin {
  return {
    name: 'atlas:precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const [name, out] of Object.entries(bundle)) {
        if (!/\.(m?js|css|html|svg|json)$/.test(name)) continue
        const body = out.type === 'chunk' ? out.code : out.source
        if (body.length < 1024) continue
        writeFileSync(join(options.dir!, `${name}.gz`), gzipSync(body, { level: constants.Z_BEST_COMPRESSION }))
      }
    },
  }
}

export default defineConfig({
  // --- web build (owned by web/) ---
  // One HTML entry per page, so each page downloads only the chunks it imports (a phone never loads the planner).
  root: 'web',
  publicDir: 'public',
  cacheDir: '../node_modules/.vite', // not web/node_modules
  plugins: [woff2Only(), precompress()],
  // the shared spatial core (api/src/core/), imported by the page as @core/… (tsconfig.json `paths` says the same)
  resolve: { alias: { '@core': fileURLToPath(new URL('./api/src/core', import.meta.url)) } },
  build: {
    outDir: '../dist/web',
    emptyOutDir: true,
    chunkSizeWarningLimit: 2000,
    // Never inline font slices into CSS: unicode-range lets the browser fetch only the slices it draws.
    assetsInlineLimit: (file) => (/\.woff2?$/.test(file) ? false : undefined),
    rolldownOptions: { input: pages },
  },
  server: { proxy: { '/api': `http://127.0.0.1:${apiPort}` } },
  optimizeDeps: { include: ['maplibre-gl', '@deck.gl/core', '@deck.gl/layers', '@deck.gl/mapbox', '@deck.gl/geo-layers', 'h3-js', 'kdbush', 'geokdbush', 'hono/client'] },
  // --- tests ---
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          root: '.',
          include: ['api/src/core/**/*.test.ts', 'scripts/**/*.test.ts', 'data/**/*.test.ts', 'web/src/**/*.test.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'api',
          root: '.',
          include: ['api/src/**/*.test.ts', 'api/test/**/*.test.ts'],
          exclude: ['api/src/core/**'],
          globalSetup: ['api/test/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'browser',
          root: '.',
          include: ['web/test/**/*.browser.test.ts'],
          globalSetup: ['web/test/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
