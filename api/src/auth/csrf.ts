import type { MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { requestOrigin } from './client-address.ts'
import { DEFAULT_AUTH } from './config.ts'

const SAFE = /^(GET|HEAD|OPTIONS)$/

/**
 * CSRF guard, the `hono/csrf` Origin check made stricter: hono/csrf only looks at form content types
 * (a cross-site JSON request needs a CORS preflight), but CORS may be opened with CORS_ORIGINS, so
 * here every state-changing request that a session cookie authenticates must come from our own
 * origin — `Origin` equal to it, or `Sec-Fetch-Site: same-origin` — whatever its content type.
 * Sign-in is checked too when the browser sends an Origin (no logging a victim into our account).
 * Bearer-token requests carry no ambient credential and are not checked.
 */
export const csrfGuard: MiddlewareHandler<AppEnv> = async (c, next) => {
  if (SAFE.test(c.req.method)) return next()
  const principal = c.var.principal
  const isLogin = c.req.path.endsWith('/auth/login')
  const origin = c.req.header('origin')
  const cookieAuthenticated = principal?.via === 'session'
  if (!cookieAuthenticated && !(isLogin && origin !== undefined)) return next()
  const own = requestOrigin(c, (c.var.deps.auth ?? DEFAULT_AUTH).trustProxy).origin
  const site = c.req.header('sec-fetch-site')
  if (origin === own || (origin === undefined && site === 'same-origin')) return next()
  throw new ApiError(
    403,
    'forbidden',
    origin === undefined
      ? 'a signed-in browser request that changes something must carry an Origin header (CSRF protection); scripts should use Authorization: Bearer <token>'
      : `Origin ${origin} is not this site (${own}): cross-site requests may not use the session cookie (CSRF protection)`,
  )
}
