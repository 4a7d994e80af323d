/**
 * `npm run load-check`: does heavy work starve the light requests, and what does an oversized body
 * cost? Starts the real server (a fresh embedded database each) from one or more source trees side
 * by side in the same run — e.g. a checkout of main as the baseline and this tree — and measures:
 *
 * - starvation: GET /api/nearest and /api/health latency (p50/p99, timeouts) while one anonymous
 *   POST /api/siting runs over 黑河市 (20,000 random candidates, target_ratio 1, radius 50 km,
 *   resolution 9 — ≈ 0.4 MB of JSON), then again while a `count: 100` siting runs;
 * - body: time to the answer and the server's peak RSS (VmHWM) for a 39 MB body to POST /api/siting.
 *
 *   git archive main | tar -x -C /tmp/atlas-main && ln -s $PWD/node_modules /tmp/atlas-main/
 *   npm run load-check -- --root /tmp/atlas-main --root .            # baseline first, then this tree
 *   npm run load-check -- --part starvation --window 20              # or: body
 *   npm run load-check -- --db embedded --db postgres://postgres@127.0.0.1:5432/test   # both databases
 *
 * `--db` (repeatable): `embedded` (a fresh PGlite directory per server) or a postgres:// URL (a fresh
 * schema per server, dropped after). Probe errors other than timeouts (a reset connection) are counted.
 *
 * Timings on this shared machine are noisy: read them side by side.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import booleanPointInPolygon from '@turf/boolean-point-in-polygon'
import postgres from 'postgres'
import seedrandom from 'seedrandom'

const { values: args } = parseArgs({
  options: {
    root: { type: 'string', multiple: true, default: ['.'] },
    part: { type: 'string', default: 'all' },
    window: { type: 'string', default: '20' },
    port: { type: 'string', default: '9170' },
    timeout: { type: 'string', default: '5000' },
    recover: { type: 'string', default: '120' },
    db: { type: 'string', multiple: true, default: ['embedded'] },
  },
})
const WINDOW_S = Number(args.window)
const PROBE_TIMEOUT_MS = Number(args.timeout)
const NEAREST = '/api/nearest?lon=127.49&lat=50.25&kind=rider_rest&limit=5'

/** 20,000 seeded random points inside 黑河市 (rejection sampling in its bounding box). */
function heiheCandidates(n: number): [number, number][] {
  const regions = JSON.parse(readFileSync(resolve('data/regions.geojson'), 'utf8')) as { features: { properties: { code: string }; geometry: { type: 'MultiPolygon'; coordinates: number[][][][] } }[] }
  const city = regions.features.find((f) => f.properties.code === '231100')!
  let [w, s, e, nn] = [180, 90, -180, -90]
  for (const poly of city.geometry.coordinates) for (const [x, y] of poly[0]!) [w, s, e, nn] = [Math.min(w, x!), Math.min(s, y!), Math.max(e, x!), Math.max(nn, y!)]
  const rng = seedrandom('heihe-siting')
  const out: [number, number][] = []
  while (out.length < n) {
    const p: [number, number] = [w + rng() * (e - w), s + rng() * (nn - s)]
    if (booleanPointInPolygon(p, city.geometry)) out.push([Number(p[0].toFixed(6)), Number(p[1].toFixed(6))])
  }
  return out
}

interface Server {
  root: string
  port: number
  child: ChildProcess
  stop(): Promise<void>
}

let schemaSeq = 0

async function startServer(root: string, port: number, db: string): Promise<Server> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hardening-load-'))
  const external = db !== 'embedded'
  const schema = external ? `load_check_${process.pid}_${schemaSeq++}` : ''
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, DATABASE_URL: external ? db : '', DATABASE_SCHEMA: schema, WEB_ROOT: join(dataDir, 'no-web') },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let err = ''
  child.stderr!.on('data', (b: Buffer) => { err += b.toString() })
  await new Promise<void>((ok, fail) => {
    child.stdout!.on('data', (b: Buffer) => { if (b.toString().includes('listening on')) ok() })
    child.on('exit', (code) => fail(new Error(`server in ${root} exited with ${code}: ${err.slice(-2000)}`)))
  })
  return {
    root,
    port,
    child,
    stop: () =>
      new Promise((done) => {
        child.once('exit', async () => {
          rmSync(dataDir, { recursive: true, force: true })
          if (external) {
            const sql = postgres(db, { max: 1, onnotice: () => {} })
            await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
            await sql.end()
          }
          done()
        })
        child.kill('SIGKILL')
      }),
  }
}

/** Peak and current resident memory of a process, MiB (Linux /proc). */
function memoryMiB(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8')
  const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
  return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 }
}

function quantile(sorted: number[], q: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]! : NaN
}

interface ProbeStats {
  n: number
  timeouts: number
  /** probes that failed otherwise (e.g. a reset connection), left out of the quantiles */
  errors: number
  p50: number
  p99: number
  max: number
}

/** GETs `path` every `everyMs` until `stop` resolves; each probe gives up after PROBE_TIMEOUT_MS. */
async function probe(base: string, path: string, everyMs: number, until: Promise<unknown>): Promise<ProbeStats> {
  const times: number[] = []
  let timeouts = 0
  let errors = 0
  let done = false
  void until.then(() => { done = true })
  const inflight: Promise<void>[] = []
  while (!done) {
    inflight.push(
      (async () => {
        const t0 = performance.now()
        try {
          const res = await fetch(base + path, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
          await res.arrayBuffer()
          if (!res.ok) throw new Error(`${path} answered ${res.status}`)
          times.push(performance.now() - t0)
        } catch (e) {
          if ((e as Error).name === 'TimeoutError') timeouts++
          else errors++
        }
      })(),
    )
    await new Promise((r) => setTimeout(r, everyMs))
  }
  await Promise.all(inflight)
  times.sort((a, b) => a - b)
  // a timed-out probe waited at least PROBE_TIMEOUT_MS: count it at that in the quantiles
  const all = [...times, ...Array(timeouts).fill(PROBE_TIMEOUT_MS)].sort((a, b) => a - b)
  return { n: times.length + timeouts, timeouts, errors, p50: quantile(all, 0.5), p99: quantile(all, 0.99), max: all.at(-1) ?? NaN }
}

/** Runs one heavy siting for at most WINDOW_S seconds while probing nearest and health. */
async function starvation(server: Server, label: string, body: unknown) {
  const base = `http://127.0.0.1:${server.port}`
  // warm the light routes first so their first-call cost is not counted
  for (let i = 0; i < 5; i++) { await (await fetch(base + NEAREST)).arrayBuffer(); await (await fetch(base + '/api/health')).arrayBuffer() }
  const abort = new AbortController()
  const t0 = performance.now()
  let finished = false
  const heavy = fetch(base + '/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), signal: abort.signal })
    .then(async (r) => {
      const answer = { status: r.status, ms: performance.now() - t0, body: (await r.text()).slice(0, 160) }
      finished = true
      return answer
    })
    .catch((e: Error) => ({ status: 0, ms: performance.now() - t0, body: e.name }))
  const windowEnd = new Promise((r) => setTimeout(r, WINDOW_S * 1000))
  const until = Promise.race([heavy, windowEnd])
  await new Promise((r) => setTimeout(r, 300)) // let the siting start
  const [nearest, health] = await Promise.all([probe(base, NEAREST, 100, until), probe(base, '/api/health', 100, until)])
  const h = finished ? await heavy : null
  abort.abort()
  // after the client has gone: does the server answer again, and how soon?
  const t1 = performance.now()
  let recovered = NaN
  const recoverEnd = performance.now() + Number(args.recover) * 1000
  while (performance.now() < recoverEnd) {
    try {
      const res = await fetch(base + '/api/health', { signal: AbortSignal.timeout(1000) })
      await res.arrayBuffer()
      recovered = performance.now() - t1
      break
    } catch { /* still busy */ }
  }
  const f = (s: ProbeStats) => `n ${s.n}, timeouts ${s.timeouts}, errors ${s.errors}, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(0)} ms`
  console.log(`  ${label}: siting ${h ? `answered ${h.status} in ${(h.ms / 1000).toFixed(1)} s ${h.body}` : `had not answered after ${WINDOW_S} s: client aborted`}`)
  console.log(`    GET /api/nearest  ${f(nearest)}`)
  console.log(`    GET /api/health   ${f(health)}`)
  console.log(`    health answered ${Number.isNaN(recovered) ? `not within ${args.recover} s` : `${recovered.toFixed(0)} ms`} after the client aborted`)
  return { nearest, health }
}

async function oversized(server: Server) {
  const base = `http://127.0.0.1:${server.port}`
  const before = memoryMiB(server.child.pid!)
  // 39 MB of candidate points: valid JSON, far more than any limit
  const point = '[127.123456,50.123456],'
  const body = `{"kind":"rider_rest","region":"231100","count":5,"candidates":[${point.repeat(Math.floor(39e6 / point.length))}[127.1,50.1]]}`
  const t0 = performance.now()
  const res = await fetch(base + '/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
  const text = await res.text()
  const ms = performance.now() - t0
  const after = memoryMiB(server.child.pid!)
  console.log(`  39 MB body (${(body.length / 1e6).toFixed(1)} MB): ${res.status} in ${(ms / 1000).toFixed(2)} s; ${text.slice(0, 200)}`)
  console.log(`    server RSS ${before.rss.toFixed(0)} MiB before → ${after.rss.toFixed(0)} MiB after, peak ${after.peak.toFixed(0)} MiB (peak before ${before.peak.toFixed(0)} MiB)`)
}

const candidates = heiheCandidates(20_000)
const bigSiting = { kind: 'rider_rest', region: '231100', target_ratio: 1.0, radius_m: 50_000, resolution: 9, candidates }
// resolution 8: the heaviest read on the request path — the city's 98,125 res-9 demand cells, summed to res 8 —
// before its 27,202 candidate cells exceed maxCandidates and it answers 413 (at res 9 it stops sooner)
const countSiting = { kind: 'rider_rest', region: '231100', count: 100, resolution: 8 }
console.log(`heavy siting body: ${(JSON.stringify(bigSiting).length / 1e6).toFixed(2)} MB; window ${WINDOW_S} s; probes every 100 ms, timeout ${PROBE_TIMEOUT_MS} ms`)

let port = Number(args.port)
const rows: string[] = []
for (const db of args.db!)
for (const root of args.root!) {
  const abs = resolve(root)
  const dbLabel = db === 'embedded' ? 'embedded' : db.replace(/\/\/[^@]*@/, '//')
  console.log(`\n== ${abs} on ${dbLabel}`)
  if (args.part === 'all' || args.part === 'body') {
    const server = await startServer(abs, port++, db)
    await oversized(server)
    await server.stop()
  }
  if (args.part === 'all' || args.part === 'starvation') {
    // a fresh server per heavy request: on the baseline the first one may still be computing
    for (const [label, body] of [['20,000 candidates, target_ratio 1', bigSiting], ['count 100, resolution 8', countSiting]] as const) {
      const server = await startServer(abs, port++, db)
      const r = await starvation(server, label, body)
      await server.stop()
      rows.push(`| ${root} | ${dbLabel === 'embedded' ? 'embedded' : 'PostgreSQL'} | ${label} | ${r.nearest.p50.toFixed(0)} / ${r.nearest.p99.toFixed(0)} | ${r.health.p50.toFixed(0)} / ${r.health.p99.toFixed(0)} | ${r.nearest.timeouts + r.health.timeouts} / ${r.nearest.errors + r.health.errors} |`)
    }
  }
}

if (rows.length) {
  console.log('\n| tree | database | heavy request | nearest p50 / p99 ms | health p50 / p99 ms | timeouts / errors |\n|---|---|---|---|---|---|')
  for (const r of rows) console.log(r)
}
