import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
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

export default defineConfig({
  // --- web build (owned by web/) ---
  // One HTML entry per page, so each page downloads only the chunks it imports (a phone never loads the planner).
  root: 'web',
  publicDir: 'public',
  cacheDir: '../node_modules/.vite', // not web/node_modules
  plugins: [woff2Only()],
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
          // postgres.js 3.4.9 throws from a setImmediate after a connection dies with a small write
          // buffered (porsager/postgres#1154, fix in open PR #1209): imports-kill.test.ts kills one on
          // purpose. Only that exact driver error is let through; the test checks what it is about.
          onUnhandledError: (e) => !(e.message === "Cannot read properties of null (reading 'write')" && /postgres\/src\/connection\.js/.test(e.stack ?? '')),
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
