/**
 * `npm run measure-map-scale`: the planner on whatever data set a running server holds (e.g. 10^6 stations:
 * `npm run scale-data -- --stations 1000000`, then `npm run serve`), in headless Chromium as a user opens
 * it: the time to the first drawn station tile and to the map's idle, and every API response's bytes on
 * the wire, listed in order. A script, not a test (the CI browser test stays at 10^4 stations).
 *
 *   ATLAS_URL=http://127.0.0.1:8080 npm run measure-map-scale -- [--runs 2] [--shot /tmp/map.png]
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium } from 'playwright-core'

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '2' }, shot: { type: 'string' } } })
const base = process.env.ATLAS_URL ?? 'http://127.0.0.1:8080'
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const summary = (await (await fetch(`${base}/api/regions/summary`)).json()) as { features: { properties: { own_station_counts: Record<string, number> } }[] }
const stations = summary.features.reduce((n, f) => n + Object.values(f.properties.own_station_counts).reduce((a, b) => a + b, 0), 0)
console.log(`${base}: ${stations.toLocaleString('en')} planned/active stations`)

for (let run = 0; run < Number(args.runs); run++) {
  // a fresh profile each run: nothing cached, as a first visit
  const dir = mkdtempSync(join(tmpdir(), 'measure-map-'))
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 1366, height: 768 } })
  const page = await context.newPage()
  const origin = new URL(base).origin
  await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()))
  const seen: { path: string; status: number; wire: number; at: number }[] = []
  let firstTile = Infinity
  const t0 = Date.now()
  page.on('requestfinished', async (req) => {
    const res = await req.response()
    const sizes = await req.sizes().catch(() => null)
    const url = new URL(req.url())
    const at = Date.now() - t0
    if (url.pathname.startsWith('/api/tiles/stations/') && res?.status() === 200) firstTile = Math.min(firstTile, at)
    seen.push({ path: url.pathname + url.search, status: res?.status() ?? 0, wire: (sizes?.responseBodySize ?? 0) + (sizes?.responseHeadersSize ?? 0), at })
  })
  await page.goto(`${base}/?lang=zh`)
  await page.waitForFunction(() => (window as any).__atlas?.idle === true || !!(window as any).__atlas?.error, null, { timeout: 180_000, polling: 50 })
  const idle = Date.now() - t0
  const api = seen.filter((r) => r.path.startsWith('/api/'))
  const apiBytes = api.reduce((n, r) => n + r.wire, 0)
  const all = seen.reduce((n, r) => n + r.wire, 0)
  console.log(`\nrun ${run + 1}: first drawn station tile ${firstTile} ms, map idle ${idle} ms; API ${api.length} responses ${(apiBytes / 1024).toFixed(1)} KiB (${(apiBytes / stations).toFixed(3)} B per station), everything ${(all / 1024).toFixed(0)} KiB`)
  for (const r of api.sort((a, b) => a.at - b.at)) console.log(`  ${String(r.at).padStart(6)} ms  ${r.status}  ${String(r.wire).padStart(7)} B  ${r.path}`)
  if (args.shot && run === 0) await page.screenshot({ path: args.shot })
  await context.close()
  rmSync(dir, { recursive: true, force: true })
}
