/**
 * Several API processes against one PostgreSQL (issue 13 item 6): two real server processes on one
 * fresh schema. A station written through one is read through the other at once and found by the
 * other's in-memory nearest index within ~2 s (its change-counter poll); a session created on one
 * works on the other; a move through the second shows in the first's index. Only with DATABASE_URL:
 * the embedded database is single-process by design (its directory lock refuses a second server).
 * Both start together, so the set-up lock (db/setup-lock.ts) is tried too: one migrates, one waits.
 */
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import postgres from 'postgres'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServerProcess, stopProcess, type ServerProcess } from '../test/server-process.ts'

const databaseUrl = process.env.DATABASE_URL || ''
const schema = `test_two_api_${process.pid}_${Math.random().toString(36).slice(2, 6)}`
const ADMIN = { email: 'two-processes@example.cn', password: 'two processes, one database' }
const env = {
  ...process.env, DATABASE_URL: databaseUrl, DATABASE_SCHEMA: schema, HOST: '127.0.0.1', WEB_ROOT: join(tmpdir(), 'atlas-no-web'),
  ADMIN_EMAIL: ADMIN.email, ADMIN_PASSWORD: ADMIN.password,
}

let a: ServerProcess
let b: ServerProcess
beforeAll(async () => {
  if (!databaseUrl) return
  // both at once on the fresh schema: one migrates and seeds it, the other waits (db/setup-lock.ts) and finds it done
  const start = () => startServerProcess(env, ['--demand-in-background'], 'demand layers ready')
  ;[a, b] = await Promise.all([start(), start()])
  expect([a, b].filter((s) => s.log().includes('migration applied')).length).toBe(1)
  expect([a, b].filter((s) => s.log().includes('waiting for it')).length).toBe(1)
}, 180_000)
afterAll(async () => {
  if (!databaseUrl) return
  await Promise.all([a, b].filter(Boolean).map((s) => stopProcess(s.child, 'SIGTERM')))
  const sql = postgres(databaseUrl, { max: 1, onnotice: () => {} })
  await sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
  await sql.end()
})

/** Polls `read` until it returns true or `ms` pass; resolves with the time it took, or null. */
async function within(ms: number, read: () => Promise<boolean>): Promise<number | null> {
  const t0 = performance.now()
  while (performance.now() - t0 < ms) {
    if (await read()) return performance.now() - t0
    await new Promise((r) => setTimeout(r, 50))
  }
  return (await read()) ? performance.now() - t0 : null
}

const nearestIds = async (s: ServerProcess, lon: number, lat: number) => {
  const res = await fetch(`${s.base}/api/nearest?lon=${lon}&lat=${lat}&limit=1`)
  expect(res.headers.get('x-nearest-engine')).toBe('memory')
  return ((await res.json()) as { features: { id: string }[] }).features.map((f) => f.id)
}

describe.skipIf(!databaseUrl)('two API processes on one PostgreSQL', () => {
  let cookie = ''
  let token = ''
  let id = ''

  it('honours a session created on one process on the other', async () => {
    const login = await fetch(`${a.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(ADMIN) })
    expect(login.status).toBe(200)
    cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const me = await fetch(`${b.base}/api/auth/me`, { headers: { cookie } })
    expect(me.status).toBe(200)
    expect(((await me.json()) as { user: { email: string } }).user.email).toBe(ADMIN.email)
    // and a token made through the second works on the first
    const made = await fetch(`${b.base}/api/tokens`, { method: 'POST', headers: { cookie, origin: b.base, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'two processes' }) })
    expect(made.status).toBe(201)
    token = ((await made.json()) as { token: string }).token
  })

  it('shows a station written through one in the other: by id at once, in its nearest index within 2 s', async () => {
    const [lon, lat] = [116.4321, 35.1234]
    const created = await fetch(`${a.base}/api/stations`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'rider_rest', name: '两进程驿站', lon, lat, opening_hours: '24/7' }),
    })
    expect(created.status).toBe(201)
    id = ((await created.json()) as { id: string }).id
    expect(await nearestIds(a, lon, lat)).toEqual([id]) // the writer's own index: at once
    const read = await fetch(`${b.base}/api/stations/${id}`)
    expect(read.status).toBe(200)
    expect(((await read.json()) as { properties: { name: string } }).properties.name).toBe('两进程驿站')
    const took = await within(2000, async () => (await nearestIds(b, lon, lat))[0] === id)
    expect(took, 'the second process’s nearest index did not show the station within 2 s').not.toBeNull()
  })

  it('moves it through the second and the first’s index follows', async () => {
    const [lon, lat] = [116.6543, 35.2345]
    const moved = await fetch(`${b.base}/api/stations/${id}`, {
      method: 'PATCH', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'if-match': '"1"' },
      body: JSON.stringify({ lon, lat }),
    })
    expect(moved.status, await moved.clone().text()).toBe(200)
    expect(await nearestIds(b, lon, lat)).toEqual([id])
    expect(await within(2000, async () => (await nearestIds(a, lon, lat))[0] === id)).not.toBeNull()
    const gone = await within(2000, async () => (await nearestIds(a, 116.4321, 35.1234))[0] !== id)
    expect(gone).not.toBeNull()
  })
})
