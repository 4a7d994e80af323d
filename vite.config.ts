import { defineConfig } from 'vitest/config'

const apiPort = Number(process.env.API_PORT ?? 8787)

export default defineConfig({
  // --- web build (owned by web/) ---
  root: 'web',
  publicDir: 'public',
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': `http://127.0.0.1:${apiPort}` } },
  optimizeDeps: { include: ['maplibre-gl', '@deck.gl/core', '@deck.gl/layers', '@deck.gl/mapbox'] },
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
          include: ['api/src/**/*.test.ts'],
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
          testTimeout: 120_000,
          hookTimeout: 240_000,
          fileParallelism: false,
        },
      },
    ],
  },
})
