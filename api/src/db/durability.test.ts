/**
 * Durability, on the database this run uses (embedded PGlite, or PostgreSQL with DATABASE_URL):
 * the real server process acknowledges a write, is killed with kill -9, restarts, and the write is
 * there. Then backup while the server runs, restore refused while it runs, restore after it stops.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, describe, expect, inject, it } from 'vitest'
import { startServerProcess, stopProcess } from '../../test/server-process.ts'

const databaseUrl = process.env.DATABASE_URL || ''
const schema = `test_durable_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const work = mkdtempSync(join(tmpdir(), 'atlas-durable-'))
const dataDir = join(work, 'db')
if (!databaseUrl) cpSync(inject('pgTemplateDir'), dataDir, { recursive: true })
let server: { base: string; child: ChildProcess } | null = null
const env = { ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: databaseUrl ? schema : '', DATA_DIR: dataDir, HOST: '127.0.0.1', WEB_ROOT: join(work, 'no-web') }

afterAll(async () => {
  if (server) await stop(server.child, 'SIGKILL')
  if (databaseUrl) {
    const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
    await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
    await sql.end()
  }
  rmSync(work, { recursive: true, force: true })
})

async function startServer(): Promise<{ base: string; child: ChildProcess }> {
  // Listen before the bundled demand layers load (as `npm start` does): this test needs stations and reports,
  // and two full seedings of the population layer took over 90 s on a loaded machine.
  return startServerProcess(env, ['--demand-in-background'])
}

const stop = stopProcess

/** Runs `npm run <name>` as its own process, without blocking this one's event loop (its keep-alive sockets stay honest). */
function script(name: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((ok) => {
    const child = spawn(process.execPath, ['--import', 'tsx', `scripts/${name}.ts`, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout!.on('data', (b: Buffer) => { stdout += b.toString() })
    child.stderr!.on('data', (b: Buffer) => { stderr += b.toString() })
    child.once('exit', (status) => ok({ status, stdout, stderr }))
  })
}

const notesOf = async (base: string): Promise<string[]> =>
  ((await (await fetch(`${base}/api/reports?limit=1000`)).json()) as { features: { properties: { note: string | null } }[] }).features.map((f) => f.properties.note ?? '')

const note = `durable ${Date.now()}`

describe(`durability on the ${databaseUrl ? 'PostgreSQL server' : 'embedded database'}`, () => {
  it('keeps an acknowledged write through kill -9 of the server and a restart', async () => {
    const first = await startServer()
    try {
      const station = ((await (await fetch(`${first.base}/api/stations?limit=1`)).json()) as { features: { id: string }[] }).features[0]!.id
      const res = await fetch(`${first.base}/api/stations/${station}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem: 'no_water', note }) })
      expect(res.status).toBe(201) // acknowledged
    } finally {
      await stop(first.child, 'SIGKILL') // no shutdown, no flush, no lock release
    }
    server = await startServer() // the embedded lock of the killed process is taken over
    expect(await notesOf(server.base)).toContain(note)
  }, 180_000)

  it('backs up while the server runs, refuses to restore under it, and restores once it stops', async () => {
    expect(server).not.toBeNull()
    const file = join(work, databaseUrl ? 'atlas.dump' : 'atlas.tar.gz')
    const backup = await script('backup', '--out', file)
    expect(backup.status, backup.stderr).toBe(0)
    expect(backup.stdout).toContain(`backup written: ${file}`)
    if (!databaseUrl) expect(backup.stdout).toContain(`pid ${server!.child.pid}`) // asked the server, did not open its directory

    const refused = await script('restore', file)
    expect(refused.status).toBe(1)
    expect(refused.stderr).toMatch(databaseUrl ? /Station Atlas is connected to this database \(pid \d+/ : new RegExp(`in use by process ${server!.child.pid}`))

    // a write after the backup, which the restore must take away again
    const station = ((await (await fetch(`${server!.base}/api/stations?limit=1`)).json()) as { features: { id: string }[] }).features[0]!.id
    await fetch(`${server!.base}/api/stations/${station}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem: 'other', note: 'after the backup' }) })
    await stop(server!.child, 'SIGTERM')
    server = null

    const restored = await script('restore', file)
    expect(restored.status, restored.stderr).toBe(0)
    const again = await startServer()
    try {
      const notes = await notesOf(again.base)
      expect(notes).toContain(note)
      expect(notes).not.toContain('after the backup')
    } finally {
      await stop(again.child, 'SIGTERM')
    }
  }, 180_000)
})
