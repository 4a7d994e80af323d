/**
 * `npm run bench-province`: one province-size coverage and gaps run through the API (issue 13 item 5)
 * against one PostGIS query computing the same covered total, in the same run, with the server's
 * peak RSS. Load the data set first, into the PostgreSQL the server will use:
 *
 *   DATABASE_URL=postgres://… npm run scale-data -- --stations 100000 --demand-cells 1000000
 *   DATABASE_URL=postgres://… npm run bench-province [-- --port 18150 --region all --memory-mb 1280]
 *
 * The server runs as a child process (node + tsx, one process: its worker threads count in its RSS),
 * so its peak RSS is the kernel's high-water mark (VmHWM in /proc/<pid>/status) — read once after
 * start-up (the baseline) and after each run. Each API run asks with `Accept: text/event-stream` and
 * counts the progress events; the same coverage is asked once more as plain JSON and must be equal.
 * Layer: `demo-scale` (the scale set's 10^6 points); kinds: all; radius: each station's own.
 */
import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import postgres from 'postgres'
import { KIND_INFO, STATION_KINDS } from '../api/src/core/station-kinds.ts'
import { repoPath } from '../api/src/paths.ts'
import { readEventStream } from '../web/src/event-stream.ts'
import { requirePlanningRegion } from '../api/src/db/regions.ts'
import { planningEstimateFor } from '../api/src/planning/planning-inputs.ts'

const { values: args } = parseArgs({
  options: {
    port: { type: 'string', default: '18150' }, region: { type: 'string', default: 'all' }, 'memory-mb': { type: 'string', default: '1280' }, layer: { type: 'string', default: 'demo-scale' }, 'baseline-timeout-s': { type: 'string', default: '900' },
    // memory calibration at several sizes: the API runs alone, without the minutes-long PostGIS query
    'skip-postgis': { type: 'boolean', default: false },
  },
})
const databaseUrl = process.env.DATABASE_URL
if (!databaseUrl) throw new Error('bench-province: set DATABASE_URL to the PostgreSQL that holds the scale data set (npm run scale-data)')
const base = `http://127.0.0.1:${args.port}`
const mib = (kb: number) => Math.round(kb / 1024)
const status = (pid: number, field: 'VmHWM' | 'VmRSS') => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1])

const server = spawn(process.execPath, ['--import', 'tsx', repoPath('api/src/server.ts')], {
  env: { ...process.env, PORT: args.port, PLANNING_MEMORY_MB: args['memory-mb'], WORK_BUDGET_MS: '120000', STATEMENT_TIMEOUT_MS: '120000' },
  stdio: ['ignore', 'pipe', 'inherit'],
})
const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
try {
  await new Promise<void>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`the server exited (${code})`)))
    server.stdout!.on('data', (b: Buffer) => (/listening|http:\/\//i.test(b.toString()) ? resolve() : undefined))
  })
  for (let i = 0; i < 100 && (await fetch(`${base}/api/health`).catch(() => null))?.status !== 200; i++) await new Promise((r) => setTimeout(r, 200))
  const pid = server.pid!
  const startRss = status(pid, 'VmRSS')
  const startHwm = status(pid, 'VmHWM')
  const q = `region=${args.region}&layer=${args.layer}`
  const [{ items }] = (await sql<{ items: number }[]>`SELECT count(*)::int AS items FROM demand_item WHERE layer_id = ${args.layer}`) as unknown as [{ items: number }]
  const [{ stations }] = (await sql<{ stations: number }[]>`SELECT count(*)::int AS stations FROM station WHERE status = 'active'`) as unknown as [{ stations: number }]
  console.log(`server pid ${pid}: RSS ${mib(startRss)} MiB after start-up (peak so far ${mib(startHwm)} MiB); layer ${args.layer}: ${items} items; ${stations} active stations; region=${args.region}`)
  // the estimate the server reserves for this request (the same function), to set against the peak
  const estimate = await planningEstimateFor(sql, args.layer, await requirePlanningRegion(sql, args.region))

  async function streamed(path: string) {
    const t0 = performance.now()
    const res = await fetch(`${base}${path}`, { headers: { accept: 'text/event-stream' } })
    let events = 0
    let firstMs = 0
    let result: any = null
    for await (const e of readEventStream(res.body!)) {
      if (e.event === 'progress' && events++ === 0) firstMs = performance.now() - t0
      if (e.event === 'result') result = JSON.parse(e.data)
      if (e.event === 'error') throw new Error(`${path}: ${e.data}`)
    }
    return { ms: performance.now() - t0, firstMs, events, result, hwm: status(pid, 'VmHWM') }
  }

  // warm-up: the JIT and the worker threads, on a county's own small layer (gaps always run in the
  // pool); what a request adds is measured from here, the server ready with its worker threads started.
  // (A warm-up on the scale layer itself left ~300 MiB of heap behind and hid the next request's growth.)
  await (await fetch(`${base}/api/gaps?region=370828&limit=1`)).arrayBuffer()
  await (await fetch(`${base}/api/coverage?region=370828`)).arrayBuffer()
  const readyRss = status(pid, 'VmRSS')
  const cov = await streamed(`/api/coverage?${q}`)
  const t1 = performance.now()
  const plain = await (await fetch(`${base}/api/coverage?${q}`)).json() as { covered: number; total: number }
  const plainMs = performance.now() - t1
  // gaps also ranks areas and measures each item's nearest station: may exceed the work budget at this size
  const gaps = await streamed(`/api/gaps?${q}&limit=20`).catch((err: Error) => ({ ms: NaN, firstMs: NaN, events: 0, result: null, hwm: status(pid, 'VmHWM'), failed: err.message.slice(0, 160) }))

  // the same covered total in one PostGIS query: demand within each active station's own radius
  // (its kind's default when unset), on the sphere, over the counties the API read
  // A per-station radius is no index condition, so the largest radius in use bounds the search
  // through station_geog_gix first and the station's own radius decides; the query gets a
  // statement timeout so the table prints even when PostGIS takes too long (reported as "> n s").
  const radius = sql.unsafe(`CASE s.kind ${STATION_KINDS.map((k) => `WHEN '${k}' THEN ${KIND_INFO[k].radius_m}`).join(' ')} END`)
  const [{ maxr }] = (await sql<{ maxr: number }[]>`SELECT max(coalesce(s.radius_m, ${radius}))::float8 AS maxr FROM station s WHERE s.status = 'active'`) as unknown as [{ maxr: number }]
  const timeoutS = Number(args['baseline-timeout-s'])
  const t2 = performance.now()
  const pg = args['skip-postgis'] ? null : await sql.begin(async (tx) => {
    await tx.unsafe(`SET LOCAL statement_timeout = ${Math.round(timeoutS * 1000)}`)
    const [row] = await tx<{ covered: number; total: number }[]>`
      SELECT coalesce(sum(d.weight) FILTER (WHERE EXISTS (
               SELECT 1 FROM station s WHERE s.status = 'active'
                  AND ST_DWithin(geography(s.geom), geography(d.geom), ${maxr}, false)
                  AND ST_DWithin(geography(s.geom), geography(d.geom), coalesce(s.radius_m, ${radius}), false))), 0)::float8 AS covered,
             coalesce(sum(d.weight), 0)::float8 AS total
        FROM demand_item d
       WHERE d.layer_id = ${args.layer} AND d.region_code IN (SELECT code FROM region)`
    return row!
  }).catch((err: { code?: string }) => {
    if (err.code === '57014') return null // statement_timeout
    throw err
  })
  const pgMs = performance.now() - t2
  const same = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b))

  console.log('\n| run | time | first progress event | progress events | server peak RSS (start-up → after) | answer |')
  console.log('|---|---|---|---|---|---|')
  console.log(`| coverage, streamed (SSE) | ${(cov.ms / 1000).toFixed(2)} s | ${Math.round(cov.firstMs)} ms | ${cov.events} | ${mib(startHwm)} → ${mib(cov.hwm)} MiB | covered ${cov.result.covered.toFixed(1)} of ${cov.result.total.toFixed(1)} (${(cov.result.ratio * 100).toFixed(2)} %), ${cov.result.stations.counted} stations |`)
  console.log(`| coverage, plain JSON | ${(plainMs / 1000).toFixed(2)} s | – | – | ${mib(status(pid, 'VmHWM'))} MiB | ${JSON.stringify(plain) === JSON.stringify(cov.result) ? 'identical to the streamed result' : 'DIFFERS from the streamed result'} |`)
  console.log(`| gaps, streamed (SSE), limit 20 | ${(gaps.ms / 1000).toFixed(2)} s | ${Math.round(gaps.firstMs)} ms | ${gaps.events} | ${mib(gaps.hwm)} MiB | ${gaps.result ? `${gaps.result.areas} areas, unserved ${gaps.result.unserved.toFixed(1)}` : `failed: ${(gaps as { failed?: string }).failed}`} |`)
  const pgTime = pg ? `${(pgMs / 1000).toFixed(2)} s` : args['skip-postgis'] ? 'not run (--skip-postgis)' : `> ${timeoutS} s (cancelled by its statement timeout)`
  console.log(`| one PostGIS query (baseline) | ${pgTime} | – | – | – | ${pg ? `covered ${pg.covered.toFixed(1)} of ${pg.total.toFixed(1)}` : 'no answer within the timeout'} |`)
  const totals = !pg ? 'not compared (no PostGIS answer)' : same(cov.result.covered, pg.covered) && same(cov.result.total, pg.total) ? 'equal' : `DIFFER: ${cov.result.covered} vs ${pg.covered}`
  console.log(`\ncoverage: API ${(cov.ms / 1000).toFixed(2)} s vs PostGIS ${pgTime}${args['skip-postgis'] ? '' : ` = ${pg ? '' : '> '}${(pgMs / cov.ms).toFixed(1)}× faster`}; covered totals ${totals}; server peak RSS ${mib(status(pid, 'VmHWM'))} MiB (${mib(status(pid, 'VmHWM') - startRss)} MiB over its RSS after start-up; budget ${args['memory-mb']} MB)`)
  // the budget is honest when the estimate bounds what the request really held (VmHWM over start-up)
  // (VmHWM never falls: the gaps figure is the peak of all three runs, garbage of the earlier ones included)
  const overReady = (hwm: number) => mib(hwm - readyRss)
  console.log(`memory: estimate ${Math.ceil(estimate.bytes / 2 ** 20)} MiB (${estimate.items} rows, ${estimate.stations} stations) vs peak over the ready server's RSS (${mib(readyRss)} MiB): coverage ${overReady(cov.hwm)} MiB, all three runs ${overReady(gaps.hwm)} MiB — ${estimate.bytes / 1024 >= gaps.hwm - readyRss ? 'the estimate bounds the peak' : 'ESTIMATE BELOW THE PEAK'}`)
} finally {
  server.kill('SIGTERM')
  await sql.end()
}
