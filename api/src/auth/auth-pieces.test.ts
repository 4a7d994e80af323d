import { describe, expect, it } from 'vitest'
import { Hono } from 'hono'
import { clientAddress, clientKey, requestOrigin } from './client-address.ts'
import { authConfigFromEnv } from './config.ts'
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './passwords.ts'
import { mayWriteIn, type Principal } from './principal.ts'
import { newApiToken, newSessionId, sha256, TOKEN_PREFIX } from './secrets.ts'

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right password', async () => {
    const h = await hashPassword('correct horse battery')
    expect(h).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/)
    expect(await verifyPassword(h, 'correct horse battery')).toBe(true)
    expect(await verifyPassword(h, 'correct horse batterz')).toBe(false)
    expect(await verifyPassword('not a hash', 'x')).toBe(false)
  })
  it('salts: the same password hashes differently each time', async () => {
    expect(await hashPassword('correct horse battery')).not.toBe(await hashPassword('correct horse battery'))
  })
  it(`refuses passwords shorter than ${MIN_PASSWORD_LENGTH} characters, saying so`, async () => {
    expect(passwordProblem('short')).toBe(`must be at least ${MIN_PASSWORD_LENGTH} characters (got 5)`)
    expect(passwordProblem('x'.repeat(12))).toBeNull()
    expect(passwordProblem('x'.repeat(257))).toMatch(/at most 256/)
    await expect(hashPassword('elevenchars')).rejects.toThrow(/at least 12 characters/)
  })
})

describe('secrets', () => {
  it('makes 128-bit session ids and 256-bit tokens, all different', () => {
    const ids = new Set(Array.from({ length: 1000 }, newSessionId))
    expect(ids.size).toBe(1000)
    for (const id of [...ids].slice(0, 5)) expect(Buffer.from(id, 'base64url')).toHaveLength(16)
    const t = newApiToken()
    expect(t.startsWith(TOKEN_PREFIX)).toBe(true)
    expect(Buffer.from(t.slice(TOKEN_PREFIX.length), 'base64url')).toHaveLength(32)
  })
  it('stores sha-256 hex', () => {
    expect(sha256('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
  })
})

describe('client address and origin', () => {
  const probe = (trust: boolean) => {
    const app = new Hono()
    app.get('/', (c) => c.json({ address: clientAddress(c, trust), ...requestOrigin(c, trust) }))
    return app
  }
  const headers = { 'x-forwarded-for': '1.2.3.4, 10.0.0.9', 'x-forwarded-proto': 'https', 'x-forwarded-host': 'atlas.example.org', 'user-agent': 'a' }
  it('ignores forwarded headers unless the proxy is trusted', async () => {
    expect(await (await probe(false).request('/', { headers })).json()).toEqual({ address: 'local', origin: 'http://localhost', https: false })
  })
  it('behind a trusted proxy takes the last X-Forwarded-For entry (the one the proxy added) and the forwarded scheme and host', async () => {
    expect(await (await probe(true).request('/', { headers })).json()).toEqual({ address: '10.0.0.9', origin: 'https://atlas.example.org', https: true })
  })
  it('keys clients by salted address only', () => {
    expect(clientKey('s', '1.2.3.4')).toBe(clientKey('s', '1.2.3.4'))
    expect(clientKey('s', '1.2.3.4')).not.toBe(clientKey('t', '1.2.3.4'))
    expect(clientKey('s', '1.2.3.4')).toMatch(/^[0-9a-f]{32}$/)
  })
})

describe('mayWriteIn', () => {
  const editor: Principal = { userId: 'u', email: 'e', role: 'editor', writable: new Set(['990101']), via: 'session' }
  it('needs every region covered; a station outside every region is only for admins', () => {
    expect(mayWriteIn(editor, ['990101'])).toBe(true)
    expect(mayWriteIn(editor, ['990101', '990102'])).toBe(false)
    expect(mayWriteIn(editor, [null])).toBe(false)
    expect(mayWriteIn({ ...editor, role: 'admin', writable: new Set() }, ['990102', null])).toBe(true)
  })
})

describe('authConfigFromEnv', () => {
  it('reads the documented variables and refuses nonsense', () => {
    expect(authConfigFromEnv({ SESSION_IDLE_MINUTES: '30', SESSION_MAX_HOURS: '12', TRUST_PROXY: '1', LOGIN_MAX_PER_ACCOUNT: '5' })).toEqual({
      sessionIdleMs: 30 * 60_000, sessionAbsoluteMs: 12 * 3600_000, trustProxy: true, loginPerAccount: 5,
    })
    expect(() => authConfigFromEnv({ SESSION_IDLE_MINUTES: 'soon' })).toThrow(/SESSION_IDLE_MINUTES must be a positive number/)
  })
})
