/**
 * The authorisation matrix, generated: every write route (auth/authorize.ts WRITE_ROUTES, checked
 * against every non-GET operation of the OpenAPI document) × {anonymous, expired session, revoked
 * token, editor of another region, editor of the region, admin}. A new write route fails here until
 * it is a writeRoute with a fixture below; a new public write until it is listed in PUBLIC_WRITES.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { PUBLIC_WRITES, WRITE_ROUTES, type WriteRouteEntry } from '../auth/authorize.ts'
import { DEFAULT_AUTH } from '../auth/config.ts'
import { newApiToken, newSessionId, sha256 } from '../auth/secrets.ts'
import { createSession } from '../db/sessions.ts'
import { createToken, revokeToken } from '../db/tokens.ts'
import type { User } from '../db/users.ts'
import { addAccount, asToken, OWN_ORIGIN, PASSWORD } from '../../test/accounts.ts'
import { startTestApi } from '../../test/test-app.ts'
import { importForm } from '../../test/import-helpers.ts'
import { readFileSync } from 'node:fs'
import { repoPath } from '../paths.ts'

const REGION = '370828' // 金乡县
const OTHER = '361021' // 南城县
const IN_REGION = { lon: 116.28149, lat: 35.04432 }

let api: Awaited<ReturnType<typeof startTestApi>>
let admin: User
let editor: User
let outsider: User
let adminToken: string
let n = 0

beforeAll(async () => {
  api = await startTestApi({ auth: { ...DEFAULT_AUTH, trustProxy: true } })
  admin = await addAccount(api, 'matrix-admin@example.org', 'admin')
  editor = await addAccount(api, 'matrix-editor@example.org', 'editor', [REGION])
  outsider = await addAccount(api, 'matrix-outsider@example.org', 'editor', [OTHER])
  adminToken = newApiToken()
  await createToken(api.sql, admin.id, 'fixtures', sha256(adminToken))
})
afterAll(async () => {
  await api?.close()
})

/** A fresh session cookie for an account, made in the database (a case may end its sessions). */
async function sessionOf(user: User): Promise<string> {
  const id = newSessionId()
  await createSession(api.sql, sha256(id), user.id, DEFAULT_AUTH.sessionAbsoluteMs)
  return `atlas_session=${id}`
}

async function adminCall(method: string, path: string, body?: unknown) {
  const res = await api.request(path, { method, headers: asToken(adminToken), body: body === undefined ? undefined : JSON.stringify(body) })
  if (res.status >= 300) throw new Error(`fixture ${method} ${path} answered ${res.status}: ${await res.text()}`)
  return res.status === 204 ? null : ((await res.json()) as any)
}

const newStation = async () => (await adminCall('POST', '/api/stations', { kind: 'rider_rest', name: `矩阵站 ${++n}`, ...IN_REGION })).id as string
const scenarioBody = () => ({ name: `矩阵方案 ${++n}`, kind: 'rider_rest', region: REGION, edits: { added: [{ id: 'x', ...IN_REGION }] } })

interface Call {
  path: string
  body?: unknown
  /** a multipart body (imports) instead of JSON */
  form?: () => FormData
}

/** A one-row station CSV in REGION at a fresh point (imports refuse a second station within 50 m). */
const truth = JSON.parse(readFileSync(repoPath('api/test/fixtures/import/truth.json'), 'utf8')) as { lon: number; lat: number }[]
const importCsv = () => {
  const p = truth[++n % truth.length]!
  return importForm('matrix.csv', new TextEncoder().encode(`name,kind,lon,lat\r\n矩阵导入 ${n},worksite,${p.lon},${p.lat}\r\n`), { dry_run: 'false' })
}

/**
 * How to exercise each write route on a fresh target in REGION. `who` is the account the request
 * will act as (account-scoped routes act on the caller's own account).
 */
const FIXTURES: Record<string, (who: User | null) => Promise<Call>> = {
  'POST /stations': async () => ({ path: '/api/stations', body: { kind: 'rider_rest', name: `矩阵站 ${++n}`, ...IN_REGION } }),
  'PATCH /stations/{id}': async () => ({ path: `/api/stations/${await newStation()}`, body: { name: `改名 ${++n}`, version: 1 } }),
  'DELETE /stations/{id}': async () => ({ path: `/api/stations/${await newStation()}` }),
  'POST /stations/{id}/restore': async () => {
    const id = await newStation()
    await adminCall('PATCH', `/api/stations/${id}`, { name: 'changed', version: 1 })
    return { path: `/api/stations/${id}/restore`, body: { version: 1 } }
  },
  'POST /scenarios': async () => ({ path: '/api/scenarios', body: scenarioBody() }),
  'DELETE /scenarios/{id}': async () => ({ path: `/api/scenarios/${(await adminCall('POST', '/api/scenarios', scenarioBody())).id}` }),
  'PATCH /reports/{id}': async () => {
    const station = await newStation()
    const res = await api.request(`/api/stations/${station}/reports`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': `10.1.${Math.floor(++n / 250)}.${n % 250}` }, body: JSON.stringify({ problem: 'closed' }),
    })
    return { path: `/api/reports/${((await res.json()) as any).id}`, body: { status: 'resolved' } }
  },
  'POST /import': async () => ({ path: '/api/import', form: importCsv }),
  'POST /import/demand': async () => ({
    path: '/api/import/demand',
    form: () => importForm('matrix-demand.csv', new TextEncoder().encode(`lon,lat,weight\r\n${IN_REGION.lon},${IN_REGION.lat},12\r\n`), {
      layer: `matrix-demand-${++n}`, name: '矩阵需求', source: 'matrix test', dry_run: 'false',
    }),
  }),
  'POST /demand/default': async () => ({ path: '/api/demand/default', body: { region: REGION, layer: 'population' } }),
  'POST /imports/{id}/undo': async () => {
    const res = await api.request('/api/import', { method: 'POST', headers: { authorization: `Bearer ${adminToken}` }, body: importCsv() })
    if (res.status !== 200) throw new Error(`fixture import answered ${res.status}: ${await res.text()}`)
    return { path: `/api/imports/${((await res.json()) as any).import_id}/undo` }
  },
  'POST /auth/logout': async () => ({ path: '/api/auth/logout' }),
  'POST /auth/password': async () => ({ path: '/api/auth/password', body: { current_password: PASSWORD, new_password: PASSWORD } }),
  'POST /tokens': async () => ({ path: '/api/tokens', body: { name: `t${++n}` } }),
  'DELETE /tokens/{id}': async (who) => {
    const info = who ? await createToken(api.sql, who.id, `doomed ${++n}`, sha256(newApiToken())) : { id: '00000000-0000-4000-8000-000000000000' }
    return { path: `/api/tokens/${info.id}` }
  },
  'POST /users': async () => ({ path: '/api/users', body: { email: `new${++n}@example.org`, password: PASSWORD, role: 'editor', regions: [REGION] } }),
  'PATCH /users/{id}': async () => {
    const target = await adminCall('POST', '/api/users', { email: `target${++n}@example.org`, password: PASSWORD, role: 'editor', regions: [] })
    return { path: `/api/users/${target.id}`, body: { regions: [REGION] } }
  },
}

const key = (r: { method: string; path: string }) => `${r.method.toUpperCase()} ${r.path}`
const routes: WriteRouteEntry[] = [...new Map(WRITE_ROUTES.map((r) => [key(r), r])).values()]

type Case = 'anonymous' | 'expired session' | 'revoked token' | 'editor of another region' | 'editor of the region' | 'admin'
const CASES: Case[] = ['anonymous', 'expired session', 'revoked token', 'editor of another region', 'editor of the region', 'admin']

/** What each case must get, by the route's scope. */
function expected(scope: WriteRouteEntry['scope'], c: Case): '401' | '403' | '2xx' {
  if (c === 'anonymous' || c === 'expired session' || c === 'revoked token') return '401'
  if (c === 'admin') return '2xx'
  if (scope === 'admin') return '403'
  if (scope === 'account') return '2xx'
  return c === 'editor of the region' ? '2xx' : '403'
}

/** Headers (and the acting account) for a case; sessions come from our own page (Origin), as a browser sends. */
async function credentials(c: Case): Promise<{ headers: Record<string, string>; who: User | null }> {
  const json = { 'content-type': 'application/json' }
  switch (c) {
    case 'anonymous':
      return { headers: json, who: null }
    case 'expired session': {
      const cookie = await sessionOf(editor)
      await api.sql`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE id_hash = ${sha256(cookie.split('=')[1]!)}`
      return { headers: { ...json, cookie, origin: OWN_ORIGIN }, who: null }
    }
    case 'revoked token': {
      const token = newApiToken()
      const info = await createToken(api.sql, editor.id, `revoked ${++n}`, sha256(token))
      await revokeToken(api.sql, editor.id, info.id)
      return { headers: asToken(token), who: null }
    }
    case 'editor of another region':
      return { headers: { ...json, cookie: await sessionOf(outsider), origin: OWN_ORIGIN }, who: outsider }
    case 'editor of the region':
      return { headers: { ...json, cookie: await sessionOf(editor), origin: OWN_ORIGIN }, who: editor }
    case 'admin':
      return { headers: { ...json, cookie: await sessionOf(admin), origin: OWN_ORIGIN }, who: admin }
  }
}

/** Everything a write could change, as one hash: a refused write must leave it as it was. */
async function checksum(): Promise<string> {
  const [row] = await api.sql<{ h: string }[]>`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(id || ':' || version || ':' || status, ',' ORDER BY id) FROM station),
      (SELECT string_agg(id::text, ',' ORDER BY id) FROM scenario),
      (SELECT string_agg(id || ':' || status, ',' ORDER BY id) FROM station_report),
      (SELECT string_agg(id || ':' || role || ':' || disabled || ':' || password_hash, ',' ORDER BY id) FROM app_user),
      (SELECT string_agg(user_id || ':' || region_code, ',' ORDER BY user_id, region_code) FROM user_region),
      (SELECT string_agg(id || ':' || coalesce(revoked_at::text, '-'), ',' ORDER BY id) FROM api_token),
      (SELECT count(*) FROM change_log)::text)) AS h`
  return row!.h
}

describe('the write route table', () => {
  it('covers every state-changing operation of the OpenAPI document (or it is a listed public write)', async () => {
    const { body } = await api.get('/api/openapi.json')
    const ops = Object.entries(body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods).filter((m) => !['get', 'head', 'options'].includes(m)).map((m) => `${m.toUpperCase()} ${path}`),
    )
    const declared = new Set([...routes.map(key), ...Object.keys(PUBLIC_WRITES)])
    expect(ops.filter((op) => !declared.has(op))).toEqual([])
    expect([...declared].filter((d) => !ops.includes(d))).toEqual([])
  })

  it('has a matrix fixture for every write route', () => {
    expect(routes.map(key).sort()).toEqual(Object.keys(FIXTURES).sort())
  })
})

describe.each(routes.map((r) => [key(r), r] as const))('%s', (name, route) => {
  it.each(CASES)('%s', async (c) => {
    const { headers, who } = await credentials(c)
    const call = await FIXTURES[name]!(who)
    const before = await checksum()
    const { 'content-type': _json, ...formHeaders } = headers
    const res = call.form
      ? await api.request(call.path, { method: route.method, headers: formHeaders, body: call.form() })
      : await api.request(call.path, { method: route.method, headers, body: call.body === undefined ? undefined : JSON.stringify(call.body) })
    const want = expected(route.scope, c)
    const text = await res.text()
    if (want === '2xx') {
      expect(res.status, text).toBeGreaterThanOrEqual(200)
      expect(res.status, text).toBeLessThan(300)
    } else {
      expect(res.status, text).toBe(Number(want))
      expect(JSON.parse(text).error.code).toBe(want === '401' ? 'unauthorized' : 'forbidden')
      expect(await checksum()).toBe(before)
    }
  })
})
