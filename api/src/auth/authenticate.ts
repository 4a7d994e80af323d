import type { MiddlewareHandler } from 'hono'
import { findSession } from '../db/sessions.ts'
import { findToken } from '../db/tokens.ts'
import { writableRegions } from '../db/users.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { DEFAULT_AUTH } from './config.ts'
import type { Principal } from './principal.ts'
import { sha256 } from './secrets.ts'
import { sessionCookieOf } from './session-cookie.ts'

/**
 * Sets `c.var.principal` for every request: from `Authorization: Bearer <token>` (an unknown or
 * revoked token is a 401 — a script should hear its token is dead, not be served as anonymous),
 * else from the session cookie (an expired one just means anonymous, so public pages keep working).
 */
export const authenticate: MiddlewareHandler<AppEnv> = async (c, next) => {
  const { sql } = c.var.deps
  const auth = c.var.deps.auth ?? DEFAULT_AUTH
  let principal: Principal | null = null
  const header = c.req.header('authorization')
  if (header !== undefined) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
    if (!m) throw new ApiError(401, 'unauthorized', 'Authorization: expected "Bearer <token>" (POST /api/tokens makes one)')
    const holder = await findToken(sql, sha256(m[1]!))
    if (!holder) throw new ApiError(401, 'unauthorized', 'Authorization: this API token is unknown, revoked, or its account is disabled')
    principal = {
      userId: holder.user_id,
      email: holder.email,
      role: holder.role,
      writable: new Set(holder.role === 'admin' ? [] : await writableRegions(sql, holder.user_id)),
      via: 'token',
      tokenName: holder.token_name,
    }
  } else {
    const id = sessionCookieOf(c)
    if (id && id.length <= 64) {
      const sessionHash = sha256(id)
      const holder = await findSession(sql, sessionHash, auth.sessionIdleMs)
      if (holder) {
        principal = {
          userId: holder.user_id,
          email: holder.email,
          role: holder.role,
          writable: new Set(holder.role === 'admin' ? [] : await writableRegions(sql, holder.user_id)),
          via: 'session',
          sessionHash,
        }
      }
    }
  }
  c.set('principal', principal)
  await next()
}
