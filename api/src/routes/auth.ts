import { createRoute } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { clientAddress, clientKey } from '../auth/client-address.ts'
import { DEFAULT_AUTH } from '../auth/config.ts'
import { hashPassword, verifyAgainstDummy, verifyPassword } from '../auth/passwords.ts'
import { newSessionId, sha256 } from '../auth/secrets.ts'
import { clearSessionCookie, setSessionCookie } from '../auth/session-cookie.ts'
import { writeRoute } from '../auth/authorize.ts'
import { clientSalt, takeHit } from '../db/rate-limit.ts'
import { createSession, endUserSessions } from '../db/sessions.ts'
import { findUserForLogin, getUser, passwordHashOf, updateUser } from '../db/users.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError, errorBody } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { LoginBody, MeResponse, PasswordChangeBody } from '../schemas/auth.ts'
import { ErrorSchema } from '../schemas/common.ts'

const login = createRoute({
  method: 'post',
  path: '/auth/login',
  summary: 'Sign in: sets an http-only session cookie (SameSite=Lax; Secure over HTTPS)',
  request: { body: { content: { 'application/json': { schema: LoginBody } }, required: true } },
  responses: {
    200: jsonContent(MeResponse, 'Signed in'),
    400: jsonContent(ErrorSchema, 'The body broke a rule'),
    401: jsonContent(ErrorSchema, 'Wrong e-mail or password, or the account is disabled'),
    403: jsonContent(ErrorSchema, 'Sent from another site (CSRF protection)'),
    429: jsonContent(ErrorSchema, 'Too many sign-in attempts for this account or from this client; see Retry-After'),
  },
})

const logout = writeRoute(
  createRoute({
    method: 'post',
    path: '/auth/logout',
    summary: 'Sign out everywhere: ends every session of this account',
    responses: { 204: { description: 'Signed out' }, 401: jsonContent(ErrorSchema, 'Not signed in') },
  }),
  { kind: 'account' },
)

const me = createRoute({
  method: 'get',
  path: '/auth/me',
  summary: 'Who is signed in (user null when nobody)',
  responses: { 200: jsonContent(MeResponse, 'The account, or null') },
})

const password = writeRoute(
  createRoute({
    method: 'post',
    path: '/auth/password',
    summary: 'Change your password: ends every session of the account (this client gets a fresh one)',
    request: { body: { content: { 'application/json': { schema: PasswordChangeBody } }, required: true } },
    responses: {
      204: { description: 'Changed' },
      400: jsonContent(ErrorSchema, 'The new password broke a rule (at least 12 characters)'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'current_password is wrong'),
      429: jsonContent(ErrorSchema, 'Too many attempts; see Retry-After'),
    },
  }),
  { kind: 'account' },
)

function tooMany(c: Context<AppEnv>, retryAfterS: number, what: string) {
  const message = `too many sign-in attempts ${what}; try again in ${retryAfterS} s (Retry-After)`
  return c.json(errorBody('rate_limited', message), 429, { 'Retry-After': String(retryAfterS) })
}

async function startSession(c: Context<AppEnv>, userId: string) {
  const auth = c.var.deps.auth ?? DEFAULT_AUTH
  const id = newSessionId()
  await createSession(c.var.deps.sql, sha256(id), userId, auth.sessionAbsoluteMs)
  setSessionCookie(c, id, auth.sessionAbsoluteMs, auth.trustProxy)
}

export const authRoutes = router()
  .openapi(login, async (c) => {
    const { email, password } = c.req.valid('json')
    const { sql } = c.var.deps
    const auth = c.var.deps.auth ?? DEFAULT_AUTH
    const client = clientKey(await clientSalt(sql), clientAddress(c, auth.trustProxy))
    const perClient = await takeHit(sql, 'login-client', client, auth.loginPerClient, auth.loginWindowMs)
    if (!perClient.ok) return tooMany(c, perClient.retryAfterS, `from this client (at most ${auth.loginPerClient} in ${auth.loginWindowMs / 60_000} minutes)`)
    const perAccount = await takeHit(sql, 'login-account', email, auth.loginPerAccount, auth.loginWindowMs)
    if (!perAccount.ok) return tooMany(c, perAccount.retryAfterS, `for this account (at most ${auth.loginPerAccount} in ${auth.loginWindowMs / 60_000} minutes)`)
    const user = await findUserForLogin(sql, email)
    const ok = user && !user.disabled ? await verifyPassword(user.password_hash, password) : await verifyAgainstDummy(password)
    if (!user || !ok) throw new ApiError(401, 'unauthorized', 'e-mail or password is wrong, or the account is disabled')
    await startSession(c, user.id)
    const { password_hash: _, ...shown } = user
    return c.json({ user: shown, via: 'session' as const }, 200)
  })
  .openapi(logout, async (c) => {
    const p = c.var.principal!
    await endUserSessions(c.var.deps.sql, p.userId)
    clearSessionCookie(c, (c.var.deps.auth ?? DEFAULT_AUTH).trustProxy)
    return c.body(null, 204)
  })
  .openapi(me, async (c) => {
    const p = c.var.principal
    const user = p ? await getUser(c.var.deps.sql, p.userId) : null
    return c.json({ user, via: p?.via ?? null }, 200)
  })
  .openapi(password, async (c) => {
    const p = c.var.principal!
    const body = c.req.valid('json')
    const { sql } = c.var.deps
    const auth = c.var.deps.auth ?? DEFAULT_AUTH
    // the account's sign-in limit guards this too: a stolen session must not guess the password
    const limit = await takeHit(sql, 'login-account', p.email, auth.loginPerAccount, auth.loginWindowMs)
    if (!limit.ok) return tooMany(c, limit.retryAfterS, `for this account (at most ${auth.loginPerAccount} in ${auth.loginWindowMs / 60_000} minutes)`)
    const stored = await passwordHashOf(sql, p.userId)
    if (!stored || !(await verifyPassword(stored, body.current_password))) {
      throw new ApiError(403, 'forbidden', 'current_password: is wrong', [{ path: ['current_password'], message: 'is wrong' }])
    }
    // updateUser ends every session of the account in the same transaction
    await updateUser(sql, p.userId, { passwordHash: await hashPassword(body.new_password) })
    if (p.via === 'session') await startSession(c, p.userId)
    return c.body(null, 204)
  })
