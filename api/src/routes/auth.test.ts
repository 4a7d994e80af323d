import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_AUTH } from '../auth/config.ts'
import { CREATE_ADMIN_COMMAND, ensureFirstAdmin } from '../auth/first-admin.ts'
import { sha256 } from '../auth/secrets.ts'
import { addAccount, asSession, asToken, makeToken, OWN_ORIGIN, PASSWORD, signIn } from '../../test/accounts.ts'
import { startTestApi } from '../../test/test-app.ts'

const FIXTURES = { regions: 'api/test/fixtures/regions.geojson', demoStations: 'api/test/fixtures/rider-stations.geojson' }
const WEST_STATION = { kind: 'rider_rest', name: 'x', lon: 116.05, lat: 35.05 }

let api: Awaited<ReturnType<typeof startTestApi>>
let admin: Record<string, string>
beforeAll(async () => {
  api = await startTestApi({ seedFiles: FIXTURES, auth: { ...DEFAULT_AUTH, trustProxy: true, loginPerAccount: 6, loginPerClient: 8 } })
  await addAccount(api, 'admin@example.org', 'admin')
  admin = asSession(await signIn(api, 'admin@example.org', PASSWORD, { 'x-forwarded-for': '10.0.0.1' }))
})
afterAll(async () => {
  await api?.close()
})

const login = (email: string, password: string, headers: Record<string, string> = {}) =>
  api.request('/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ email, password }) })
const send = async (method: string, path: string, headers: Record<string, string>, body?: unknown) => {
  const res = await api.request(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  return { status: res.status, headers: res.headers, body: res.status === 204 ? null : ((await res.json()) as any) }
}
let clients = 0
const fresh = () => ({ 'x-forwarded-for': `10.2.${Math.floor(++clients / 250)}.${clients % 250}` })

describe('sign-in and sessions', () => {
  it('signs in with an http-only SameSite=Lax cookie, case-insensitive e-mail, and /auth/me names the account', async () => {
    await addAccount(api, 'editor@example.org', 'editor', ['990101'])
    const res = await login('Editor@Example.org', PASSWORD, fresh())
    expect(res.status).toBe(200)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^atlas_session=[A-Za-z0-9_-]{22};/)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Lax/)
    expect(cookie).not.toMatch(/Secure/)
    const me = await send('GET', '/api/auth/me', { cookie: cookie.split(';')[0]! })
    expect(me.body).toMatchObject({ user: { email: 'editor@example.org', role: 'editor', regions: ['990101'] }, via: 'session' })
    expect((await send('GET', '/api/auth/me', {})).body).toEqual({ user: null, via: null })
    // only the hash of the id is stored
    const id = cookie.split(';')[0]!.split('=')[1]!
    expect((await api.sql`SELECT 1 FROM user_session WHERE id_hash = ${id}`).length).toBe(0)
    expect((await api.sql`SELECT 1 FROM user_session WHERE id_hash = ${sha256(id)}`).length).toBe(1)
  })

  it('marks the cookie Secure when the client came over HTTPS through the trusted proxy', async () => {
    await addAccount(api, 'https@example.org', 'editor')
    const res = await login('https@example.org', PASSWORD, { ...fresh(), 'x-forwarded-proto': 'https' })
    expect(res.headers.get('set-cookie')).toMatch(/Secure/)
  })

  it('answers 401 for a wrong password, an unknown account and a disabled one, with one message', async () => {
    await addAccount(api, 'gone@example.org', 'editor')
    const [wrong, unknown] = await Promise.all([login('editor@example.org', 'not the password', fresh()), login('nobody@example.org', PASSWORD, fresh())])
    expect(wrong.status).toBe(401)
    expect(unknown.status).toBe(401)
    expect(((await wrong.json()) as any).error.message).toBe(((await unknown.json()) as any).error.message)
    await api.sql`UPDATE app_user SET disabled = true WHERE email = 'gone@example.org'`
    expect((await login('gone@example.org', PASSWORD, fresh())).status).toBe(401)
  })

  it('ends a session after the idle time and after the absolute lifetime', async () => {
    await addAccount(api, 'sleepy@example.org', 'editor')
    const idle = await signIn(api, 'sleepy@example.org', PASSWORD, fresh())
    const old = await signIn(api, 'sleepy@example.org', PASSWORD, fresh())
    await api.sql`UPDATE user_session SET last_seen_at = now() - make_interval(secs => ${DEFAULT_AUTH.sessionIdleMs / 1000 + 1}) WHERE id_hash = ${sha256(idle.split('=')[1]!)}`
    await api.sql`UPDATE user_session SET expires_at = now() - interval '1 second' WHERE id_hash = ${sha256(old.split('=')[1]!)}`
    for (const cookie of [idle, old]) {
      expect((await send('GET', '/api/auth/me', { cookie })).body.user).toBeNull()
      expect((await send('POST', '/api/tokens', asSession(cookie), { name: 'x' })).status).toBe(401)
    }
  })

  it('signs out everywhere: logout ends every session of the account', async () => {
    await addAccount(api, 'twice@example.org', 'editor')
    const laptop = await signIn(api, 'twice@example.org', PASSWORD, fresh())
    const phone = await signIn(api, 'twice@example.org', PASSWORD, fresh())
    const out = await send('POST', '/api/auth/logout', asSession(laptop))
    expect(out.status).toBe(204)
    expect(out.headers.get('set-cookie')).toMatch(/atlas_session=;.*Max-Age=0/)
    expect((await send('GET', '/api/auth/me', { cookie: phone })).body.user).toBeNull()
  })

  it('changing the password ends every other session, keeps this client signed in, and refuses short ones', async () => {
    await addAccount(api, 'changer@example.org', 'editor')
    const here = await signIn(api, 'changer@example.org', PASSWORD, fresh())
    const elsewhere = await signIn(api, 'changer@example.org', PASSWORD, fresh())
    const short = await send('POST', '/api/auth/password', asSession(here), { current_password: PASSWORD, new_password: 'short' })
    expect(short.status).toBe(400)
    expect(short.body.error.message).toMatch(/new_password: must be at least 12 characters/)
    const wrong = await send('POST', '/api/auth/password', asSession(here), { current_password: 'wrong password!', new_password: 'a brand new password' })
    expect(wrong.status).toBe(403)
    const ok = await send('POST', '/api/auth/password', asSession(here), { current_password: PASSWORD, new_password: 'a brand new password' })
    expect(ok.status).toBe(204)
    const renewed = ok.headers.get('set-cookie')!.split(';')[0]!
    expect((await send('GET', '/api/auth/me', { cookie: renewed })).body.user.email).toBe('changer@example.org')
    for (const cookie of [here, elsewhere]) expect((await send('GET', '/api/auth/me', { cookie })).body.user).toBeNull()
    expect((await login('changer@example.org', PASSWORD, fresh())).status).toBe(401)
    expect((await login('changer@example.org', 'a brand new password', fresh())).status).toBe(200)
  })
})

describe('sign-in throttle (kept in PostgreSQL)', () => {
  it('answers 429 with Retry-After after too many attempts for one account, from any client', async () => {
    await addAccount(api, 'target@example.org', 'editor')
    for (let i = 0; i < 6; i++) expect((await login('target@example.org', `guess number ${i}`, fresh())).status).toBe(401)
    const res = await login('target@example.org', PASSWORD, fresh())
    expect(res.status).toBe(429)
    const retry = Number(res.headers.get('retry-after'))
    expect(retry).toBeGreaterThan(0)
    expect(retry).toBeLessThanOrEqual(DEFAULT_AUTH.loginWindowMs / 1000)
    const err = ((await res.json()) as any).error
    expect(err.code).toBe('rate_limited')
    expect(err.message).toMatch(/for this account.*Retry-After/)
    const [row] = await api.sql<{ hits: number }[]>`SELECT hits FROM rate_limit WHERE bucket = 'login-account' AND key = 'target@example.org'`
    expect(row!.hits).toBe(7)
  })

  it('answers 429 after too many attempts from one client, whatever the accounts', async () => {
    const client = { 'x-forwarded-for': '10.66.0.1' }
    for (let i = 0; i < 8; i++) expect((await login(`spray${i}@example.org`, 'whatever password', client)).status).toBe(401)
    const res = await login('spray-last@example.org', 'whatever password', client)
    expect(res.status).toBe(429)
    expect(((await res.json()) as any).error.message).toMatch(/from this client/)
    expect(res.headers.get('retry-after')).toMatch(/^\d+$/)
  })
})

describe('CSRF', () => {
  let cookie: string
  beforeAll(async () => {
    await addAccount(api, 'csrf@example.org', 'editor', ['990101'])
    cookie = await signIn(api, 'csrf@example.org', PASSWORD, fresh())
  })

  it('refuses a cookie-authenticated write from a foreign Origin, whatever the content type', async () => {
    for (const type of ['application/json', 'text/plain']) {
      const r = await send('POST', '/api/stations', { cookie, origin: 'https://evil.example', 'content-type': type }, WEST_STATION)
      expect(r.status).toBe(403)
      expect(r.body.error).toMatchObject({ code: 'forbidden', message: expect.stringContaining('CSRF') })
    }
    expect((await api.sql`SELECT 1 FROM station WHERE name = 'x'`).length).toBe(0)
  })

  it('refuses one without Origin, accepts Sec-Fetch-Site same-origin and our own Origin', async () => {
    expect((await send('POST', '/api/tokens', { cookie, 'content-type': 'application/json' }, { name: 'a' })).status).toBe(403)
    expect((await send('POST', '/api/tokens', { cookie, 'sec-fetch-site': 'same-origin', 'content-type': 'application/json' }, { name: 'b' })).status).toBe(201)
    expect((await send('POST', '/api/tokens', { cookie, origin: OWN_ORIGIN, 'content-type': 'application/json' }, { name: 'c' })).status).toBe(201)
  })

  it('needs no Origin or cookie for a Bearer token, and refuses a sign-in posted from another site', async () => {
    const { token } = await makeToken(api, cookie)
    expect((await send('POST', '/api/stations', asToken(token, { origin: 'https://evil.example' }), { ...WEST_STATION, name: 'by script' })).status).toBe(201)
    expect((await login('csrf@example.org', PASSWORD, { ...fresh(), origin: 'https://evil.example' })).status).toBe(403)
  })
})

describe('API tokens', () => {
  it('shows a token once, stores only its hash, lists it by name and stops it working when revoked', async () => {
    await addAccount(api, 'script@example.org', 'editor', ['990101'])
    const cookie = await signIn(api, 'script@example.org', PASSWORD, fresh())
    const made = await send('POST', '/api/tokens', asSession(cookie), { name: '夜间导入' })
    expect(made.status).toBe(201)
    expect(made.body.token).toMatch(/^atlas_[A-Za-z0-9_-]{43}$/)
    expect((await api.sql`SELECT 1 FROM api_token WHERE token_hash = ${sha256(made.body.token)}`).length).toBe(1)
    expect((await api.sql`SELECT 1 FROM api_token WHERE token_hash = ${made.body.token}`).length).toBe(0)
    const list = await send('GET', '/api/tokens', asSession(cookie))
    expect(list.body.tokens).toEqual([expect.objectContaining({ id: made.body.id, name: '夜间导入' })])
    expect(JSON.stringify(list.body)).not.toContain(made.body.token)
    expect((await send('GET', '/api/auth/me', asToken(made.body.token))).body).toMatchObject({ user: { email: 'script@example.org' }, via: 'token' })
    expect((await send('DELETE', `/api/tokens/${made.body.id}`, asSession(cookie))).status).toBe(204)
    const dead = await send('GET', '/api/auth/me', asToken(made.body.token))
    expect(dead.status).toBe(401)
    expect(dead.body.error.message).toMatch(/revoked/)
    expect((await send('DELETE', `/api/tokens/${made.body.id}`, asSession(cookie))).status).toBe(404)
    expect((await send('GET', '/api/auth/me', { authorization: 'Basic abc' })).status).toBe(401)
  })

  it('refuses a token name with NUL, naming the field', async () => {
    const r = await send('POST', '/api/tokens', admin, { name: 'a\u0000' })
    expect(r.status).toBe(400)
    expect(r.body.error.issues[0].path).toEqual(['name'])
  })
})

describe('accounts (admin)', () => {
  it('creates editors with grants, refuses short passwords, duplicates and unknown regions', async () => {
    const made = await send('POST', '/api/users', admin, { email: 'New.Editor@example.org', password: PASSWORD, role: 'editor', regions: ['990102'] })
    expect(made.status).toBe(201)
    expect(made.body).toMatchObject({ email: 'new.editor@example.org', role: 'editor', regions: ['990102'], disabled: false })
    expect(made.body).not.toHaveProperty('password_hash')
    const short = await send('POST', '/api/users', admin, { email: 'b@example.org', password: 'elevenchars', role: 'editor' })
    expect(short.status).toBe(400)
    expect(short.body.error.message).toBe('password: must be at least 12 characters')
    expect((await send('POST', '/api/users', admin, { email: 'new.editor@example.org', password: PASSWORD, role: 'editor' })).status).toBe(409)
    const unknown = await send('POST', '/api/users', admin, { email: 'c@example.org', password: PASSWORD, role: 'editor', regions: ['123456'] })
    expect(unknown.status).toBe(400)
    expect(unknown.body.error.issues[0].path).toEqual(['regions'])
    const list = await send('GET', '/api/users', admin)
    expect(list.body.users.map((u: any) => u.email)).toContain('new.editor@example.org')
    expect((await send('GET', '/api/users', {})).status).toBe(401)
  })

  it('changes grants, disables an account (ending its sessions) and never leaves no admin', async () => {
    const u = (await send('POST', '/api/users', admin, { email: 'temp@example.org', password: PASSWORD, role: 'editor', regions: [] })).body
    const cookie = await signIn(api, 'temp@example.org', PASSWORD, fresh())
    expect((await send('POST', '/api/stations', asSession(cookie), WEST_STATION)).status).toBe(403)
    const granted = await send('PATCH', `/api/users/${u.id}`, admin, { regions: ['990100'] })
    expect(granted.body.regions).toEqual(['990100'])
    // a city grant covers its counties, from the next request on
    expect((await send('POST', '/api/stations', asSession(cookie), { ...WEST_STATION, name: 'granted' })).status).toBe(201)
    expect((await send('PATCH', `/api/users/${u.id}`, admin, { disabled: true })).body.disabled).toBe(true)
    expect((await send('GET', '/api/auth/me', { cookie })).body.user).toBeNull()
    const me = (await send('GET', '/api/auth/me', admin)).body.user
    const last = await send('PATCH', `/api/users/${me.id}`, admin, { role: 'editor' })
    expect(last.status).toBe(409)
    expect(last.body.error.message).toMatch(/at least one enabled admin/)
    expect((await send('PATCH', `/api/users/${u.id}`, admin, { colour: 'red' })).status).toBe(400)
    expect((await send('PATCH', '/api/users/00000000-0000-4000-8000-000000000000', admin, { disabled: true })).status).toBe(404)
  })
})

describe('the first admin', () => {
  it('is created from ADMIN_EMAIL + ADMIN_PASSWORD only when no admin exists, else the log names the command', async () => {
    const logs: string[] = []
    await api.sql`UPDATE app_user SET role = 'editor' WHERE role = 'admin'`
    try {
      await ensureFirstAdmin(api.sql, {}, (m) => logs.push(m))
      expect(logs.join('\n')).toContain(CREATE_ADMIN_COMMAND)
      await expect(ensureFirstAdmin(api.sql, { email: 'root@example.org', password: 'short' }, () => {})).rejects.toThrow(/ADMIN_PASSWORD must be at least 12 characters/)
      await ensureFirstAdmin(api.sql, { email: 'root@example.org', password: 'the first admin password' }, (m) => logs.push(m))
      expect((await login('root@example.org', 'the first admin password', fresh())).status).toBe(200)
      const [n] = await api.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin'`
      expect(n!.n).toBe(1)
      await ensureFirstAdmin(api.sql, { email: 'second@example.org', password: 'the first admin password' }, () => {})
      expect((await api.sql`SELECT 1 FROM app_user WHERE email = 'second@example.org'`).length).toBe(0)
    } finally {
      await api.sql`UPDATE app_user SET role = 'admin' WHERE email = 'admin@example.org'`
    }
  })
})
