/**
 * `npm run measure`: what a user waits for. Starts the real server twice on a fresh embedded
 * database (cold: PostGIS unpacked, migrated, seeded; warm: reopened), then times GET /api/stations.
 * Timings on this shared machine are noisy: compare ratios and repeat the run.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

const PORT = Number(process.env.MEASURE_PORT ?? 18080)
const dataDir = mkdtempSync(join(tmpdir(), 'atlas-measure-'))

async function startServer(): Promise<{ ms: number; stop: () => Promise<void> }> {
  const t0 = performance.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts'], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR: dataDir, DATABASE_URL: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (b: Buffer) => { if (b.toString().includes('listening on')) resolve() })
    child.on('exit', (code) => reject(new Error(`server exited with ${code}`)))
  })
  const ms = performance.now() - t0
  return {
    ms,
    stop: () => new Promise((resolve) => { child.on('exit', () => resolve()); child.kill('SIGTERM') }),
  }
}

async function timeGet(path: string, runs: number, headers: Record<string, string> = {}) {
  const times: number[] = []
  let body = ''
  let wire = 0
  for (let i = 0; i < runs + 3; i++) {
    const t0 = performance.now()
    const res = await fetch(`http://127.0.0.1:${PORT}${path}`, { headers })
    const buf = Buffer.from(await res.arrayBuffer())
    if (i >= 3) times.push(performance.now() - t0) // three warm-up requests
    wire = Number(res.headers.get('content-length') ?? buf.length)
    body = buf.toString()
  }
  times.sort((a, b) => a - b)
  return { median: times[Math.floor(times.length / 2)]!, p90: times[Math.floor(times.length * 0.9)]!, body, wire }
}

const cold = await startServer()
await cold.stop()
const warm = await startServer()
const all = await timeGet('/api/stations', 30)
const features = JSON.parse(all.body).features.length
const raw = Buffer.byteLength(all.body)
const gz = gzipSync(all.body).length
const health = await timeGet('/api/health', 30)
const nearest = await timeGet('/api/nearest?lon=116.31&lat=35.07&kind=rider_rest&limit=5&open_at=now', 30)
await warm.stop()
rmSync(dataDir, { recursive: true, force: true })

const f = (n: number) => n.toFixed(1)
console.log(`cold start (fresh embedded DB → listening): ${f(cold.ms / 1000)} s`)
console.log(`warm start (same DB reopened → listening): ${f(warm.ms / 1000)} s   (warm/cold ${f((warm.ms / cold.ms) * 100)} %)`)
console.log(`GET /api/stations: ${features} features, ${(raw / 1024).toFixed(0)} KiB JSON, ${(gz / 1024).toFixed(0)} KiB gzip; median ${f(all.median)} ms, p90 ${f(all.p90)} ms`)
console.log(`GET /api/health (baseline, one trivial query): median ${f(health.median)} ms   (stations/health ${f(all.median / health.median)}×)`)
console.log(`GET /api/nearest (5 open rider stops): median ${f(nearest.median)} ms`)
