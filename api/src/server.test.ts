import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { repoPath } from './paths.ts'
import { listeningLine } from './server.ts'
import { readsDemand } from './start.ts'

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })

describe('listeningLine', () => {
  it('names the loopback address the server is bound to, in the form the browser-test harness waits for', () => {
    const line = listeningLine({ address: '127.0.0.1', family: 'IPv4', port: 8080 })
    expect(line).toBe('listening on http://127.0.0.1:8080')
    expect(/listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(line)?.[1]).toBe('http://127.0.0.1:8080')
  })

  it('says a wildcard address is every address, and lists this machine’s', () => {
    const line = listeningLine({ address: '0.0.0.0', family: 'IPv4', port: 9000 })
    expect(line).toMatch(/^listening on http:\/\/0\.0\.0\.0:9000 — every network address of this machine: http:\/\/127\.0\.0\.1:9000/)
    expect(listeningLine({ address: '::1', family: 'IPv6', port: 9000 })).toBe('listening on http://[::1]:9000')
  })
})

describe('readsDemand', () => {
  it('holds demand, coverage, gaps, siting and scenario saves, nothing else', () => {
    expect(['/api/demand', '/api/demand/layers', '/api/coverage', '/api/gaps', '/api/siting'].every((p) => readsDemand('GET', p))).toBe(true)
    expect(readsDemand('POST', '/api/scenarios')).toBe(true)
    expect(['/api/health', '/api/stations', '/api/regions', '/api/scenarios', '/api/demandx', '/'].some((p) => readsDemand('GET', p))).toBe(false)
  })
})

// The real server process on a fresh embedded database (DATABASE_URL would point it at the shared public schema).
describe.skipIf(Boolean(process.env.DATABASE_URL))('the server process, loading demand in the background as npm start does', () => {
  let child: ChildProcess
  let log = ''
  let base = ''
  let dataDir = ''
  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'atlas-server-test-'))
    cpSync(inject('pgTemplateDir'), dataDir, { recursive: true })
    const port = await freePort()
    const { HOST: _h, DATABASE_URL: _d, BASEMAP_STYLE_URL: _s, ...env } = process.env
    child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts', '--demand-in-background'], {
      env: { ...env, PORT: String(port), DATA_DIR: dataDir, WEB_ROOT: join(dataDir, 'no-page') },
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    base = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no listening line in 100 s:\n${log}`)), 100_000)
      const onData = (b: Buffer) => {
        log += b.toString()
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
        if (m) {
          clearTimeout(timer)
          resolve(m[1]!)
        }
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)))
    })
  }, 120_000)
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r))
      child.kill('SIGTERM')
      await exited
    }
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('listens on 127.0.0.1 when HOST is unset, and says so', async () => {
    expect(log).toMatch(/listening on http:\/\/127\.0\.0\.1:\d+ \(/)
    expect(log).not.toContain('0.0.0.0')
    expect((await fetch(`${base}/api/health`)).status).toBe(200)
  })

  it('answers /favicon.ico with the pages’ SVG icon', async () => {
    const res = await fetch(`${base}/favicon.ico`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/svg+xml')
    expect(Buffer.from(await res.arrayBuffer()).equals(readFileSync(repoPath('web/public/favicon.svg')))).toBe(true)
  })

  it('loads the demand layers after listening, and demand requests wait for them', async () => {
    // a fresh database: the layers are loaded in the background; this answer must still be complete
    const res = await fetch(`${base}/api/demand/layers`)
    const layers = ((await res.json()) as { layers: { id: string; item_count: number }[] }).layers
    const rows = readFileSync(repoPath('data/demand/layers.json'), 'utf8')
    expect(layers.map((l) => l.id).sort()).toEqual((JSON.parse(rows) as { id: string }[]).map((l) => l.id).sort())
    const coverage = await fetch(`${base}/api/coverage?region=361021`)
    expect(coverage.status).toBe(200)
    const [stored] = (await (await fetch(`${base}/api/demand/layers`)).json() as any).layers.filter((l: any) => l.id === 'population')
    expect(layers.find((l) => l.id === 'population')!.item_count).toBe(stored.item_count)
    expect(log).toMatch(/demand layers load in the background/)
    expect(log).toMatch(/demand layers ready/)
  }, 180_000)
})
