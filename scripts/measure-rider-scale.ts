/**
 * `npm run measure-rider-scale`: the rider page on whatever data set running servers hold (e.g. 10^5
 * stations: `npm run scale-data -- --stations 100000`), at 390 × 844 in headless Chromium, as a
 * rider located in 金乡县 opens it: bytes on the wire and the time until the list of nearest stops
 * shows, then everything the visit downloads until the network has been quiet for 17 s (the saved
 * counties included), then what focusing the search box adds. Several servers side by side (a
 * baseline tree and this one) are measured in turn, run after run, so the figures share the machine's load.
 *
 *   npm run measure-rider-scale -- http://127.0.0.1:9420 http://127.0.0.1:9421 [--runs 2] [--fast3g] [--shot /tmp/rider]
 *
 * Service workers are blocked: a worker's own fetches happen outside the page, where the DevTools
 * protocol neither sees nor throttles them (the page downloads the same with or without one).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page, type Request } from 'playwright-core'

const { values: args, positionals: bases } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '2' }, fast3g: { type: 'boolean', default: false }, shot: { type: 'string' } } })
if (!bases.length) throw new Error('usage: npm run measure-rider-scale -- URL [URL …] [--runs 2] [--fast3g] [--shot PREFIX]')
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const JINXIANG = { longitude: 116.311, latitude: 35.067 }
/** longer than the page's 15 s wait for a service worker (blocked here) before it saves the counties anyway */
const QUIET_MS = 17_000

interface Visit {
  listMs: number
  listBytes: number
  idleMs: number
  totalBytes: number
  searchBytes: number
  stationListRequests: number
  byPath: Map<string, { n: number; bytes: number }>
  /** requests still open when the network went quiet */
  stuck: (string | undefined)[]
}

/** Waits until no request has started or finished for QUIET_MS (a request that never ends, e.g. one the browser parks, does not count). */
async function quiet(lastActivity: () => number, timeoutMs = 300_000): Promise<void> {
  const t0 = Date.now()
  while (Date.now() - t0 < timeoutMs) {
    if (Date.now() - lastActivity() > QUIET_MS) return
    await new Promise((r) => setTimeout(r, 200))
  }
  throw new Error('the network never went quiet')
}

async function visit(base: string, shot?: string): Promise<Visit> {
  const dir = mkdtempSync(join(tmpdir(), 'measure-rider-'))
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN', timezoneId: 'Asia/Shanghai', geolocation: JINXIANG, permissions: ['geolocation'], serviceWorkers: 'block',
  })
  try {
    const page: Page = await context.newPage()
    const origin = new URL(base).origin
    await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient')))
    const cdp = await context.newCDPSession(page)
    await cdp.send('Network.enable')
    // DevTools' "Fast 3G" (Lighthouse's mobile throttling): 562.5 ms RTT, 1.6 Mbps × 0.9 down, 750 kbps × 0.9 up
    if (args.fast3g) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9, uploadThroughput: ((750 * 1024) / 8) * 0.9 })
    // Playwright's request events (unlike this CDP session) include MapLibre's worker, which fetches the tiles
    let bytes = 0
    const pending = new Set<Request>()
    let last = Date.now()
    const byPath = new Map<string, { n: number; bytes: number }>()
    let stationListRequests = 0
    const key = (u: URL) => (u.pathname.startsWith('/api/tiles/') ? u.pathname.replace(/\/\d+\/\d+\/\d+\.mvt$/, '/{z}/{x}/{y}.mvt') : u.pathname.startsWith('/assets/') ? '/assets/*' : u.pathname)
    // /api/changes is polled every 2.5 s for ever: not part of "the network went quiet"; data: and blob: URLs are not on the wire
    const counted = (req: Request) => req.url().startsWith('http') && new URL(req.url()).pathname !== '/api/changes'
    // MapLibre revalidates the tiles in view every 2 s (their max-age): counted in the bytes, not as activity
    const activity = (req: Request) => !new URL(req.url()).pathname.startsWith('/api/tiles/')
    page.on('request', (req) => {
      if (!counted(req)) return
      pending.add(req)
      if (activity(req)) last = Date.now()
      if (new URL(req.url()).pathname === '/api/stations') stationListRequests++
    })
    page.on('requestfailed', (req) => {
      if (!counted(req)) return
      pending.delete(req)
      last = Date.now()
    })
    page.on('requestfinished', async (req) => {
      if (!counted(req)) return
      const sz = await req.sizes().catch(() => null)
      pending.delete(req)
      if (activity(req)) last = Date.now()
      const n = sz ? sz.responseBodySize + sz.responseHeadersSize : 0
      bytes += n
      const k = key(new URL(req.url()))
      const s = byPath.get(k) ?? { n: 0, bytes: 0 }
      s.n++
      s.bytes += n
      byPath.set(k, s)
    })
    const t0 = Date.now()
    void page.goto(`${base}/rider`, { timeout: 300_000 }).catch(() => {})
    await page.waitForFunction(() => (window as any).__atlas?.stops?.length > 0, null, { timeout: 300_000, polling: 50 })
    const listMs = Date.now() - t0
    const listBytes = bytes
    await page.waitForFunction(() => (window as any).__atlas?.idle === true, null, { timeout: 300_000, polling: 100 })
    await quiet(() => last)
    const idleMs = last - t0
    const stuck = [...pending].map((r) => key(new URL(r.url())))
    const totalBytes = bytes
    if (shot) await page.screenshot({ path: `${shot}.png` })
    await page.locator('#search').focus()
    await new Promise((r) => setTimeout(r, 500))
    await quiet(() => last)
    // MapLibre's worker script is fetched by the worker: CDP's page session does not see it, resource timing does
    const workerBytes = await page.evaluate(() => (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => /worker[^/]*\.m?js/.test(e.name)).reduce((a, e) => a + e.transferSize, 0))
    return { listMs, listBytes, idleMs, totalBytes: totalBytes + workerBytes, searchBytes: bytes - totalBytes, stationListRequests, byPath, stuck }
  } finally {
    await context.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const kib = (b: number) => `${(b / 1024).toFixed(0)} KiB`
const results = new Map<string, Visit[]>(bases.map((b) => [b, []]))
for (let run = 0; run < Number(args.runs); run++) {
  for (const base of bases) {
    const v = await visit(base, args.shot && run === 0 ? `${args.shot}-${new URL(base).port}` : undefined)
    results.get(base)!.push(v)
    console.log(`run ${run + 1} ${base}${args.fast3g ? ' (Fast 3G)' : ''}: list after ${v.listMs} ms and ${kib(v.listBytes)}; quiet after ${v.idleMs} ms, ${kib(v.totalBytes)} in all; search focus +${kib(v.searchBytes)}; /api/stations list requests: ${v.stationListRequests}`)
    const top = [...v.byPath].sort((a, b) => b[1].bytes - a[1].bytes).slice(0, 8)
    if (v.stuck.length) console.log(`  still open: ${v.stuck.join(', ')}`)
    console.log(`  largest: ${top.map(([p, s]) => `${p} ×${s.n} ${kib(s.bytes)}`).join(', ')}`)
  }
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log('\nmedians:')
for (const [base, vs] of results) {
  console.log(`  ${base}: list ${median(vs.map((v) => v.listMs))} ms / ${kib(median(vs.map((v) => v.listBytes)))}; visit ${kib(median(vs.map((v) => v.totalBytes)))}, quiet after ${median(vs.map((v) => v.idleMs))} ms; search +${kib(median(vs.map((v) => v.searchBytes)))}`)
}
