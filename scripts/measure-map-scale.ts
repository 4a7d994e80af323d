/**
 * `npm run measure-map-scale`: a page on whatever data set a running server holds (e.g. 10^6 stations:
 * `npm run scale-data -- --stations 1000000`, then `npm run serve`), in headless Chromium as a user opens
 * it: the time to the first drawn station tile and to the map's idle, every API response's bytes on the
 * wire listed in order, and where the page's first seconds go. A script, not a test (the CI browser test
 * stays at 10^4 stations).
 *
 *   ATLAS_URL=http://127.0.0.1:8080 npm run measure-map-scale -- [--runs 2] [--path '/?lang=zh'] [--shot /tmp/map.png] [--trace /tmp/trace.json]
 *   ATLAS_URL=… BASELINE_URL=http://127.0.0.1:8081 npm run measure-map-scale   # two servers, runs alternate
 *
 * "first drawn station tile" is the page's `atlas:station-tile-drawn` mark (the first map frame after a
 * station tile loaded; pages without it — older builds — fall back to the first station tile's response).
 * The phases come from the page's Performance timeline (marks `atlas:*`, resource timing); `--trace`
 * also records a Chromium trace (open it in chrome://tracing or Perfetto) and prints main-thread time by
 * kind up to the first drawn tile, and the GPU process's busy time (headless Chromium draws WebGL in
 * software, SwiftShader, so that is CPU time here).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { chromium, type Page } from 'playwright-core'

const { values: args } = parseArgs({ options: { runs: { type: 'string', default: '2' }, shot: { type: 'string' }, trace: { type: 'string' }, path: { type: 'string', default: '/?lang=zh' } } })
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
const servers = [['new', process.env.ATLAS_URL ?? 'http://127.0.0.1:8080'], ...(process.env.BASELINE_URL ? [['baseline', process.env.BASELINE_URL]] : [])] as [string, string][]

interface Run {
  firstTileMs: number
  /** the first station tile's response (both builds have it: the like-for-like figure) */
  tileResponseMs: number
  drawnMark: boolean
  idleMs: number
  apiBytes: number
  allBytes: number
}

/** What the page's Performance timeline says about its start-up (ms since navigation start). */
async function phases(page: Page): Promise<[string, number][]> {
  return page.evaluate(() => {
    const out: [string, number][] = []
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined
    if (nav) out.push(['HTML response', nav.responseEnd], ['DOMContentLoaded', nav.domContentLoadedEventEnd])
    const res = performance.getEntriesByType('resource') as PerformanceResourceTiming[]
    const js = res.filter((r) => /\/assets\/.*\.js$/.test(r.name) && r.startTime < 1e4)
    if (js.length) out.push([`start-up scripts loaded (${js.length}, ${(js.reduce((n, r) => n + r.encodedBodySize, 0) / 1024).toFixed(0)} KiB)`, Math.max(...js.map((r) => r.responseEnd))])
    const firstApi = res.find((r) => new URL(r.name).pathname.startsWith('/api/'))
    if (firstApi) out.push([`first API request sent (${new URL(firstApi.name).pathname})`, firstApi.startTime])
    const tile = res.find((r) => new URL(r.name).pathname.startsWith('/api/tiles/stations/'))
    if (tile) out.push(['first station tile requested', tile.startTime], ['first station tile received', tile.responseEnd])
    for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('atlas:')) out.push([m.name, m.startTime])
    return out.sort((a, b) => a[1] - b[1])
  })
}

interface TraceEvent { name: string; ph: string; ts: number; dur?: number; pid: number; tid: number; args?: { name?: string } }

/** Main-thread time by event kind and the GPU process's busy time, from navigation to `untilMs`. */
function traceSummary(events: TraceEvent[], untilMs: number): string[] {
  const threadName = new Map<string, string>()
  const processName = new Map<number, string>()
  for (const e of events) {
    if (e.name === 'thread_name') threadName.set(`${e.pid}:${e.tid}`, e.args?.name ?? '')
    if (e.name === 'process_name') processName.set(e.pid, e.args?.name ?? '')
  }
  const nav = events.find((e) => e.name === 'navigationStart' || e.name === 'NavigationStartToFirstContentfulPaint')
  const t0 = nav?.ts ?? Math.min(...events.filter((e) => e.ts > 0).map((e) => e.ts))
  const t1 = t0 + untilMs * 1000
  const main = events.filter((e) => e.ph === 'X' && e.ts >= t0 && e.ts <= t1 && threadName.get(`${e.pid}:${e.tid}`) === 'CrRendererMain')
  const kinds: Record<string, string[]> = {
    'script compile/parse': ['v8.compile', 'v8.compileModule', 'V8.CompileCode', 'v8.parseOnBackground'],
    'script run (incl. WebGL calls)': ['FunctionCall', 'EvaluateScript', 'v8.evaluateModule', 'TimerFire', 'FireAnimationFrame', 'EventDispatch', 'v8.callFunction'],
    'garbage collection': ['MajorGC', 'MinorGC', 'V8.GC_SCAVENGER', 'BlinkGC.AtomicPhase'],
    'style, layout, paint': ['UpdateLayoutTree', 'Layout', 'Paint', 'PrePaint', 'Layerize', 'UpdateLayer', 'ParseAuthorStyleSheet'],
    'HTML parse': ['ParseHTML'],
  }
  const lines: string[] = []
  const busy = main.filter((e) => e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask').reduce((n, e) => n + (e.dur ?? 0), 0)
  lines.push(`renderer main thread busy ${(busy / 1000).toFixed(0)} ms of ${untilMs} ms`)
  for (const [kind, names] of Object.entries(kinds)) {
    const ms = main.filter((e) => names.includes(e.name)).reduce((n, e) => n + (e.dur ?? 0), 0) / 1000
    lines.push(`  ${kind}: ${ms.toFixed(0)} ms (events overlap: nested script time counts once per level)`)
  }
  const gpuPids = new Set([...processName].filter(([, n]) => /GPU/i.test(n)).map(([p]) => p))
  const gpu = events.filter((e) => e.ph === 'X' && gpuPids.has(e.pid) && e.ts >= t0 && e.ts <= t1 && threadName.get(`${e.pid}:${e.tid}`) === 'CrGpuMain' && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask'))
  lines.push(`GPU process main thread (SwiftShader) busy ${(gpu.reduce((n, e) => n + (e.dur ?? 0), 0) / 1000).toFixed(0)} ms`)
  const workers = [...threadName].filter(([, n]) => /Worker/i.test(n)).map(([k]) => k)
  const workerBusy = events.filter((e) => e.ph === 'X' && e.ts >= t0 && e.ts <= t1 && workers.includes(`${e.pid}:${e.tid}`) && (e.name === 'RunTask' || e.name === 'ThreadControllerImpl::RunTask' || e.name === 'FunctionCall')).reduce((n, e) => n + (e.dur ?? 0), 0)
  lines.push(`web workers (MapLibre tile parsing) busy ${(workerBusy / 1000).toFixed(0)} ms`)
  return lines
}

async function measure(label: string, base: string, run: number): Promise<Run> {
  // a fresh profile each run: nothing cached, as a first visit
  const dir = mkdtempSync(join(tmpdir(), 'measure-map-'))
  const context = await chromium.launchPersistentContext(dir, { executablePath: '/usr/bin/chromium', args: ARGS, viewport: { width: 1366, height: 768 } })
  try {
    const page = await context.newPage()
    const origin = new URL(base).origin
    await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort()))
    const cdp = args.trace ? await context.newCDPSession(page) : null
    if (cdp) await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'v8.execute', 'disabled-by-default-devtools.timeline', 'blink.user_timing', 'gpu', '__metadata'] } })
    const seen: { path: string; status: number; wire: number; at: number }[] = []
    let firstResponse = Infinity
    const t0 = Date.now()
    page.on('requestfinished', async (req) => {
      const res = await req.response()
      const sizes = await req.sizes().catch(() => null)
      const url = new URL(req.url())
      const at = Date.now() - t0
      if (url.pathname.startsWith('/api/tiles/stations/') && res?.status() === 200) firstResponse = Math.min(firstResponse, at)
      seen.push({ path: url.pathname + url.search, status: res?.status() ?? 0, wire: (sizes?.responseBodySize ?? 0) + (sizes?.responseHeadersSize ?? 0), at })
    })
    await page.goto(base + args.path)
    await page.waitForFunction(() => (window as any).__atlas?.idle === true || !!(window as any).__atlas?.error, null, { timeout: 180_000, polling: 50 })
    const idle = Date.now() - t0
    const error = await page.evaluate(() => (window as any).__atlas.error as string | null)
    if (error) throw new Error(`${label}: the page reported ${error}`)
    const marks = await phases(page)
    const drawn = marks.find(([name]) => name === 'atlas:station-tile-drawn')?.[1]
    const firstTileMs = Math.round(drawn ?? firstResponse)
    const api = seen.filter((r) => r.path.startsWith('/api/'))
    const apiBytes = api.reduce((n, r) => n + r.wire, 0)
    const allBytes = seen.reduce((n, r) => n + r.wire, 0)
    console.log(`\n${label} run ${run + 1}: first drawn station tile ${firstTileMs} ms${drawn === undefined ? ' (no mark: first tile response)' : ''}, first tile response ${firstResponse} ms, map idle ${idle} ms; API ${api.length} responses ${(apiBytes / 1024).toFixed(1)} KiB (${(apiBytes / stations).toFixed(3)} B per station), everything ${(allBytes / 1024).toFixed(0)} KiB`)
    for (const [name, at] of marks) console.log(`  ${String(Math.round(at)).padStart(6)} ms  ${name}`)
    console.log('  API responses:')
    for (const r of api.sort((a, b) => a.at - b.at)) console.log(`  ${String(r.at).padStart(6)} ms  ${r.status}  ${String(r.wire).padStart(7)} B  ${r.path}`)
    if (cdp) {
      const stream = await new Promise<string>((resolve, reject) => {
        cdp.once('Tracing.tracingComplete', (e) => (e.stream ? resolve(e.stream) : reject(new Error('Tracing: no stream'))))
        void cdp.send('Tracing.end')
      })
      let text = ''
      for (;;) {
        const chunk = await cdp.send('IO.read', { handle: stream })
        text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString() : chunk.data
        if (chunk.eof) break
      }
      const file = args.trace!.replace(/(\.json)?$/, `-${label}-${run + 1}.json`)
      writeFileSync(file, text)
      const parsed = JSON.parse(text) as { traceEvents: TraceEvent[] } | TraceEvent[]
      for (const line of traceSummary(Array.isArray(parsed) ? parsed : parsed.traceEvents, firstTileMs)) console.log(`  ${line}`)
      console.log(`  trace: ${file}`)
    }
    if (args.shot && run === 0) await page.screenshot({ path: args.shot.replace(/(\.png)?$/, `-${label}.png`) })
    return { firstTileMs, tileResponseMs: firstResponse, drawnMark: drawn !== undefined, idleMs: idle, apiBytes, allBytes }
  } finally {
    await context.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

const summary = (await (await fetch(`${servers[0]![1]}/api/regions/summary`)).json()) as { features: { properties: { own_station_counts: Record<string, number> } }[] }
const stations = summary.features.reduce((n, f) => n + Object.values(f.properties.own_station_counts).reduce((a, b) => a + b, 0), 0)
console.log(`${servers.map(([l, u]) => `${l} ${u}`).join(', ')}: ${stations.toLocaleString('en')} planned/active stations, page ${args.path}`)

const results = new Map<string, Run[]>(servers.map(([l]) => [l, []]))
for (let run = 0; run < Number(args.runs); run++) {
  // alternate which server goes first, so neither always meets the colder machine
  for (const [label, base] of run % 2 ? [...servers].reverse() : servers) results.get(label)!.push(await measure(label, base, run))
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
console.log('\nmedians:')
for (const [label, runs] of results) console.log(`  ${label}: first drawn station tile ${median(runs.map((r) => r.firstTileMs))} ms${runs.every((r) => r.drawnMark) ? '' : ' (response time)'}, first tile response ${median(runs.map((r) => r.tileResponseMs))} ms, idle ${median(runs.map((r) => r.idleMs))} ms, API ${(median(runs.map((r) => r.apiBytes)) / 1024).toFixed(1)} KiB, everything ${(median(runs.map((r) => r.allBytes)) / 1024).toFixed(0)} KiB`)
if (results.size === 2) {
  const [a, b] = [...results.values()].map((runs) => median(runs.map((r) => r.tileResponseMs)))
  const [c, d] = [...results.values()].map((runs) => median(runs.map((r) => r.idleMs)))
  console.log(`  baseline / new: first tile response ${(b! / a!).toFixed(2)}×, idle ${(d! / c!).toFixed(2)}×`)
}
