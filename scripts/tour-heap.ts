/**
 * Does the big-screen tour leak? Builds the page, starts the real server (web/test/harness.ts),
 * opens /tour at a short dwell in headless Chromium and, every `--every` loops, forces a garbage
 * collection over CDP and samples the JS heap (Runtime.getHeapUsage after HeapProfiler.collectGarbage,
 * and Performance.getMetrics' JSHeapUsedSize). Prints a table and the least-squares slope.
 *
 *   npm run tour-heap -- --minutes 60 [--dwell 2] [--every 1] [--width 1280 --height 720]
 *
 * ATLAS_URL=http://127.0.0.1:PORT uses a server already running (no build). Otherwise the page is
 * built into a temp folder and served, like the browser tests do, on a fresh embedded database.
 */
import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { buildPage, startHarness, startServer } from '../web/test/harness.ts'

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    dwell: { type: 'string', default: '2' },
    every: { type: 'string', default: '1' },
    width: { type: 'string', default: '1280' },
    height: { type: 'string', default: '720' },
    path: { type: 'string', default: '' },
  },
})
const minutes = Number(values.minutes)
const every = Math.max(1, Number(values.every))
const path = values.path || `/tour?dwell=${Number(values.dwell)}`

interface Sample {
  minute: number
  loops: number
  step: number
  usedMB: number
  totalMB: number
  metricMB: number
  cache: number
  nodes: number
}

const mb = (b: number) => b / 1024 / 1024

/** Least-squares slope of y over x. */
function slope(xs: number[], ys: number[]): number {
  const n = xs.length
  if (n < 2) return 0
  const mx = xs.reduce((a, b) => a + b, 0) / n
  const my = ys.reduce((a, b) => a + b, 0) / n
  let num = 0
  let den = 0
  for (let i = 0; i < n; i++) {
    num += (xs[i]! - mx) * (ys[i]! - my)
    den += (xs[i]! - mx) ** 2
  }
  return den ? num / den : 0
}

/** Builds the page and starts the real server on it (outside vitest there is no global setup to do it). */
async function serve(): Promise<{ url: string; child: ChildProcess; dirs: string[] }> {
  const web = mkdtempSync(join(tmpdir(), 'atlas-heap-web-'))
  const db = mkdtempSync(join(tmpdir(), 'atlas-heap-db-'))
  buildPage(web)
  const { url, child } = await startServer(web, db)
  return { url, child, dirs: [web, db] }
}

const server = process.env.ATLAS_URL ? null : await serve()
if (server) process.env.ATLAS_URL = server.url
const h = await startHarness()
let stopping = false
const stop = async (code: number) => {
  if (stopping) return
  stopping = true
  await h.close()
  if (server?.child.pid) {
    try {
      process.kill(-server.child.pid, 'SIGTERM')
    } catch {
      /* already gone */
    }
    await new Promise((r) => setTimeout(r, 1000))
    for (const dir of server.dirs) rmSync(dir, { recursive: true, force: true })
  }
  process.exit(code)
}
process.on('SIGINT', () => void stop(130))
process.on('SIGTERM', () => void stop(143))

try {
  const { page, offOrigin, errors } = await h.open(path, { width: Number(values.width), height: Number(values.height) })
  const cdp = await page.context().newCDPSession(page)
  await cdp.send('Performance.enable')
  await page.waitForFunction(() => (window as any).__atlas?.idle === true || !!(window as any).__atlas?.error, null, { timeout: 120_000 })
  const err = await page.evaluate(() => (window as any).__atlas.error)
  if (err) throw new Error(`tour failed: ${err}`)
  const steps = await page.evaluate(() => (window as any).__atlas.steps as number)
  console.log(`tour-heap: ${h.base}${path}, ${steps} stops, sampling every ${every} loop(s) for ${minutes} min`)
  console.log('minute  loops  step  heap used MB  heap total MB  JSHeapUsedSize MB  cache  DOM nodes')

  const samples: Sample[] = []
  const t0 = Date.now()
  const sample = async (): Promise<Sample> => {
    await cdp.send('HeapProfiler.collectGarbage')
    const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; totalSize: number }
    const { metrics } = (await cdp.send('Performance.getMetrics')) as { metrics: Array<{ name: string; value: number }> }
    const metric = (name: string) => metrics.find((m) => m.name === name)?.value ?? 0
    const st = await page.evaluate(() => ({ loops: (window as any).__atlas.loops as number, step: (window as any).__atlas.step as number, cache: (window as any).__atlas.cacheSize() as number }))
    const s: Sample = {
      minute: (Date.now() - t0) / 60_000,
      ...st,
      usedMB: mb(usage.usedSize),
      totalMB: mb(usage.totalSize),
      metricMB: mb(metric('JSHeapUsedSize')),
      nodes: metric('Nodes'),
    }
    samples.push(s)
    console.log(
      `${s.minute.toFixed(1).padStart(6)}  ${String(s.loops).padStart(5)}  ${String(s.step).padStart(4)}  ${s.usedMB.toFixed(2).padStart(12)}  ${s.totalMB.toFixed(2).padStart(13)}  ${s.metricMB.toFixed(2).padStart(17)}  ${String(s.cache).padStart(5)}  ${String(s.nodes).padStart(9)}`,
    )
    return s
  }

  await sample()
  let nextLoop = every
  while (Date.now() - t0 < minutes * 60_000) {
    // wait for the next sampling loop (or the deadline), polling gently: the machine is shared
    const deadline = t0 + minutes * 60_000
    while (Date.now() < deadline) {
      const loops = await page.evaluate(() => (window as any).__atlas.loops as number)
      if (loops >= nextLoop) break
      await new Promise((r) => setTimeout(r, 2000))
    }
    await sample()
    const loops = samples[samples.length - 1]!.loops
    nextLoop = loops + every
  }

  // the first loop fills caches and JIT; the trend is judged from the second sample on
  const steady = samples.length > 3 ? samples.slice(1) : samples
  const perHour = slope(steady.map((s) => s.minute), steady.map((s) => s.usedMB)) * 60
  const used = samples.map((s) => s.usedMB)
  const first = samples[0]!
  const last = samples[samples.length - 1]!
  console.log('')
  console.log(`samples ${samples.length}, loops ${last.loops}, ${last.minute.toFixed(1)} min`)
  console.log(`heap used: first ${first.usedMB.toFixed(2)} MB, after first loop ${steady[0]!.usedMB.toFixed(2)} MB, last ${last.usedMB.toFixed(2)} MB, min ${Math.min(...used).toFixed(2)} MB, max ${Math.max(...used).toFixed(2)} MB`)
  console.log(`slope (after first loop, least squares): ${perHour >= 0 ? '+' : ''}${perHour.toFixed(3)} MB/hour`)
  console.log(`DOM nodes: first ${first.nodes}, last ${last.nodes}; off-origin requests: ${offOrigin.length}; page errors: ${errors.length}`)
  if (errors.length) console.log(errors.slice(0, 5).join('\n'))
  await stop(0)
} catch (e) {
  console.error(e)
  await stop(1)
}
