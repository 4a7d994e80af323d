/**
 * Load test for GET /api/nearest (issue 13), with the code to compare side by side in one run:
 *
 *   npm run load-nearest -- [--baseline /tmp/old-checkout] [--clients 50] [--seconds 10] [--query limit=5] [--engines memory,knn] [--driver wrk|node] [--identity]
 *
 * For each server — the old checkout given by --baseline (e.g. `git archive main | tar -x -C /tmp/old`,
 * with node_modules linked), then this working tree — it starts `api/src/server.ts` on a loopback port
 * (9180 up) against the database the server would use (DATABASE_URL, else the embedded DATA_DIR; one at a
 * time, so the embedded database works too), waits for /api/health and for its nearest index (both
 * times are rows of the table), and
 * 1. fires GET /api/nearest at random points of the pilot counties (a uniformly drawn H3 cell of the bundled
 *    population layer, jittered; the same seeded sequence for every server) from --clients concurrent
 *    clients for --seconds (at most --max-requests requests), printing req/s, p50 and p99 — with `wrk`
 *    (--driver wrk, the default when it is on PATH: scripts/wrk-load.ts says why; it sends Accept-Encoding:
 *    gzip, as phones do, unless --identity) or with Node fetch clients in this process (--driver node) — on this tree once
 *    per --engines entry (`engine=memory`: the in-memory index, `engine=knn`: PostGIS KNN; the response
 *    header X-Nearest-Engine is checked, so a run cannot be mislabelled), on the baseline as it answers;
 * 2. times each --time path (default /api/coverage?region=370828&kind=rider_rest and /api/regions)
 *    --repeat times one after the other, after one warm-up request.
 * Then it stops the server and prints one table with after/baseline ratios. Loopback only: the servers are
 * its own children. Fixed sizes and a warm-up; it informs, it does not gate CI.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { cellToLatLng } from 'h3-js'
import seedrandom from 'seedrandom'
import { readPopulationCells } from './scale-data.ts'
import { runWrk, wrkAvailable, writePaths } from './wrk-load.ts'

interface Args {
  baseline?: string
  clients: number
  seconds: number
  maxRequests: number
  query: string
  time: string[]
  repeat: number
  port: number
  engines: ('memory' | 'knn')[]
  driver: 'wrk' | 'node'
  identity: boolean
}

function parse(argv: string[]): Args {
  const { values } = parseArgs({
    args: argv,
    options: {
      baseline: { type: 'string' }, clients: { type: 'string', default: '50' }, seconds: { type: 'string', default: '10' },
      'max-requests': { type: 'string', default: '200000' }, query: { type: 'string', default: 'limit=5' },
      time: { type: 'string', multiple: true }, repeat: { type: 'string', default: '5' }, port: { type: 'string', default: '9180' },
      engines: { type: 'string', default: 'memory,knn' }, driver: { type: 'string' }, identity: { type: 'boolean', default: false },
    },
  })
  const int = (name: string, v: string | undefined, lo: number, hi: number) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < lo || n > hi) throw new Error(`--${name}: must be a whole number from ${lo} to ${hi}`)
    return n
  }
  return {
    baseline: values.baseline,
    clients: int('clients', values.clients, 1, 500),
    seconds: int('seconds', values.seconds, 1, 300),
    maxRequests: int('max-requests', values['max-requests'], 1, 10_000_000),
    query: values.query!,
    time: values.time ?? ['/api/coverage?region=370828&kind=rider_rest', '/api/regions'],
    repeat: int('repeat', values.repeat, 1, 100),
    port: int('port', values.port, 1024, 65535),
    identity: values.identity!,
    driver: (() => {
      const d = values.driver ?? (wrkAvailable() ? 'wrk' : 'node')
      if (d !== 'wrk' && d !== 'node') throw new Error(`--driver: wrk or node, got "${d}"`)
      return d
    })(),
    engines: values.engines!.split(',').map((e) => {
      if (e !== 'memory' && e !== 'knn') throw new Error(`--engines: a comma-separated list of memory and knn, got "${e}"`)
      return e
    }),
  }
}

/**
 * Starts a server and waits for /api/health, then for its nearest index (`nearest_index` not `loading`:
 * a tree before 2026-12 listened only once the index was loaded, and has no such field). Returns the
 * seconds to each, so the table shows start-up at the data set's size.
 */
async function startServer(dir: string, port: number): Promise<{ child: ChildProcess; listenS: number; indexS: number }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    cwd: dir,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout!.on('data', (d) => (output += d))
  child.stderr!.on('data', (d) => (output += d))
  // 10^6 stations: the nearest index loads for a minute or more
  const deadline = Date.now() + 600_000
  let listenS: number | undefined
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server in ${dir} exited:\n${output}`)
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/health`)
      const body = (await res.json()) as { nearest_index?: string }
      if (res.ok) {
        listenS ??= (performance.now() - t0) / 1000
        if (body.nearest_index !== 'loading') {
          const indexS = (performance.now() - t0) / 1000
          // the station tile index is built once at start-up from the whole table (tens of seconds at
          // 10^6, in the request thread); a load measured meanwhile measures that, so wait for its line
          while (!/station tiles: (index of [\d,]+ stations ready|the first index failed)/.test(output) && Date.now() < deadline) {
            if (child.exitCode !== null) throw new Error(`server in ${dir} exited:\n${output}`)
            await new Promise((r) => setTimeout(r, 250))
          }
          return { child, listenS, indexS }
        }
      }
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  child.kill('SIGTERM')
  throw new Error(`server in ${dir} did not answer /api/health within 600 s:\n${output}`)
}

async function stopServer(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))])
  if (child.exitCode === null) child.kill('SIGKILL')
}

/** A child's resident set in MiB (Linux /proc; NaN elsewhere). */
function rssMiB(pid: number | undefined): number {
  try {
    return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024
  } catch {
    return NaN
  }
}

/** CPU seconds (user + system) a process has used so far (Linux /proc; NaN elsewhere). */
function cpuSeconds(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100 // utime, stime in clock ticks (USER_HZ 100)
  } catch {
    return NaN
  }
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN

interface LoadResult {
  requests: number
  errors: number
  reqPerS: number
  p50: number
  p99: number
}

/** `engine`: ask for it with engine=… and count an answer from another engine as an error. */
async function loadNearest(base: string, a: Args, points: [number, number][], engine?: 'memory' | 'knn'): Promise<LoadResult> {
  if (a.driver === 'wrk') {
    const extra = engine ? `&engine=${engine}` : ''
    // the engine asked for must be the one answering (the header), checked once: wrk only counts statuses
    const probe = await fetch(`${base}/api/nearest?lon=${points[0]![0]}&lat=${points[0]![1]}&${a.query}${extra}`)
    await probe.arrayBuffer()
    if (!probe.ok || (engine && probe.headers.get('x-nearest-engine') !== engine)) throw new Error(`${base}: /api/nearest${extra} answered ${probe.status} from ${probe.headers.get('x-nearest-engine')}`)
    const file = join(tmpdir(), `load-nearest-${process.pid}.txt`)
    writePaths(file, points.map(([lon, lat]) => `/api/nearest?lon=${lon}&lat=${lat}&${a.query}`))
    try {
      return await runWrk(base, file, { clients: a.clients, seconds: a.seconds, suffix: extra, identity: a.identity })
    } finally {
      rmSync(file, { force: true })
    }
  }
  const latencies: number[] = []
  let errors = 0
  const extra = engine ? `&engine=${engine}` : ''
  let next = 0
  const t0 = performance.now()
  const end = t0 + a.seconds * 1000
  const client = async () => {
    while (performance.now() < end && next < a.maxRequests) {
      const [lon, lat] = points[next++ % points.length]!
      const t = performance.now()
      try {
        const res = await fetch(`${base}/api/nearest?lon=${lon}&lat=${lat}&${a.query}${extra}`, { signal: AbortSignal.timeout(60_000), headers: a.identity ? { 'Accept-Encoding': 'identity' } : {} })
        await res.arrayBuffer()
        if (res.ok && (!engine || res.headers.get('x-nearest-engine') === engine)) latencies.push(performance.now() - t)
        else errors++
      } catch {
        errors++
      }
    }
  }
  await Promise.all(Array.from({ length: a.clients }, client))
  const seconds = (performance.now() - t0) / 1000
  latencies.sort((x, y) => x - y)
  return { requests: latencies.length, errors, reqPerS: latencies.length / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) }
}

async function timePath(base: string, path: string, repeat: number): Promise<{ median: number; status: number }> {
  await (await fetch(base + path)).arrayBuffer() // warm-up
  const times: number[] = []
  let status = 0
  for (let i = 0; i < repeat; i++) {
    const t = performance.now()
    const res = await fetch(base + path)
    await res.arrayBuffer()
    status = res.status
    times.push(performance.now() - t)
  }
  times.sort((x, y) => x - y)
  return { median: quantile(times, 0.5), status }
}

async function main(argv: string[]) {
  const a = parse(argv)
  const cells = readPopulationCells()
  const rng = seedrandom('load-nearest')
  const points = Array.from({ length: 100_000 }, (): [number, number] => {
    const [lat, lon] = cellToLatLng(cells[Math.floor(rng() * cells.length)]!.h3)
    return [Number((lon + (rng() - 0.5) * 0.004).toFixed(6)), Number((lat + (rng() - 0.5) * 0.004).toFixed(6))]
  })
  const servers = [
    ...(a.baseline ? [{ name: 'baseline', dir: resolve(a.baseline) }] : []),
    { name: 'this tree', dir: resolve(fileURLToPath(new URL('..', import.meta.url))) },
  ]
  const db = process.env.DATABASE_URL ? 'PostgreSQL (DATABASE_URL)' : `embedded (${process.env.DATA_DIR ?? 'data/.db'})`
  console.error(`database: ${db}; ${a.clients} clients × ${a.seconds} s of /api/nearest?…&${a.query}, driven by ${a.driver}`)
  const results: { name: string; load: LoadResult; rss: number; cpuMs: number; listenS: number; indexS: number; times: { path: string; median: number; status: number }[] }[] = []
  for (const s of servers) {
    console.error(`${s.name}: starting ${s.dir} on 127.0.0.1:${a.port}`)
    const { child, listenS, indexS } = await startServer(s.dir, a.port)
    console.error(`${s.name}: /api/health answered ${listenS.toFixed(1)} s after start, nearest index ready at ${indexS.toFixed(1)} s`)
    try {
      const base = `http://127.0.0.1:${a.port}`
      const times = []
      for (const path of a.time) {
        const t = await timePath(base, path, a.repeat)
        console.error(`${s.name}: ${path} median ${t.median.toFixed(1)} ms (status ${t.status})`)
        times.push({ path, ...t })
      }
      // the baseline has one engine (PostGIS KNN); this tree answers with each one asked for
      for (const engine of s.name === 'baseline' ? [undefined] : a.engines) {
        const name = engine ? `${s.name} ${engine === 'knn' ? 'KNN' : 'in-memory'}` : s.name
        // warm-up: caches and the plan cache, a second's worth
        await loadNearest(base, { ...a, seconds: 1, clients: Math.min(a.clients, 5) }, points.slice(-1000), engine)
        const cpu0 = cpuSeconds(child.pid)
        const load = await loadNearest(base, a, points, engine)
        // the server's CPU per request: what the machine's other load does not change much, unlike the tails
        const cpuMs = ((cpuSeconds(child.pid) - cpu0) * 1000) / Math.max(1, load.requests)
        console.error(`${name}: ${load.requests} ok, ${load.errors} errors, ${load.reqPerS.toFixed(1)} req/s, p50 ${load.p50.toFixed(1)} ms, p99 ${load.p99.toFixed(1)} ms`)
        results.push({ name, load, times, rss: rssMiB(child.pid), cpuMs, listenS, indexS })
      }
    } finally {
      await stopServer(child)
    }
  }
  const columns = results.map((r) => r.name)
  const memory = results.find((r) => r.name.endsWith('in-memory'))
  const knn = results.find((r) => r.name.endsWith('KNN'))
  const baseline = results.find((r) => r.name === 'baseline')
  const row = (label: string, f: (r: (typeof results)[number]) => number, digits: number, higherIsBetter = false) => {
    const ratio = (x?: (typeof results)[number], y?: (typeof results)[number]) => {
      if (!x || !y) return '—'
      const r = higherIsBetter ? f(x) / f(y) : f(y) / f(x)
      return Number.isFinite(r) ? `${r.toFixed(1)}×` : '—'
    }
    return `| ${label} | ${results.map((r) => f(r).toFixed(digits)).join(' | ')} | ${ratio(memory, knn)} | ${ratio(memory, baseline)} |`
  }
  console.log(`\n${db}, ${a.clients} clients (${a.driver}, ${a.identity ? 'identity' : 'Accept-Encoding: gzip'}), ${a.seconds} s, query \`${a.query}\`\n`)
  console.log(`| measure | ${columns.join(' | ')} | in-memory better than KNN by | in-memory better than baseline by |`)
  console.log(`|---|${columns.map(() => '---|').join('')}---|---|`)
  console.log(row('/api/nearest req/s', (r) => r.load.reqPerS, 1, true))
  console.log(row('/api/nearest p50 ms', (r) => r.load.p50, 1))
  console.log(row('/api/nearest p99 ms', (r) => r.load.p99, 1))
  console.log(row('/api/nearest errors', (r) => r.load.errors, 0))
  console.log(row('server CPU ms per request (all its threads)', (r) => r.cpuMs, 3))
  console.log(row('server RSS MiB after the load', (r) => r.rss, 0))
  console.log(row('s from start to /api/health', (r) => r.listenS, 1))
  console.log(row('s from start to the nearest index in memory', (r) => r.indexS, 1))
  a.time.forEach((path, i) => console.log(row(`${path} ms (median of ${a.repeat})`, (r) => r.times[i]!.median, 1)))
}
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err instanceof Error ? err.message : err)
    process.exit(1)
  })
}
