import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { requestOrigin } from './client-address.ts'

export const SESSION_COOKIE = 'atlas_session'

/** http-only (scripts cannot read it), SameSite=Lax, Secure when the client came over HTTPS. */
export function setSessionCookie(c: Context, id: string, maxAgeMs: number, trustProxy: boolean) {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    sameSite: 'Lax',
    secure: requestOrigin(c, trustProxy).https,
    path: '/',
    maxAge: Math.floor(maxAgeMs / 1000),
  })
}

export function clearSessionCookie(c: Context, trustProxy: boolean) {
  deleteCookie(c, SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'Lax', secure: requestOrigin(c, trustProxy).https })
}

export const sessionCookieOf = (c: Context) => getCookie(c, SESSION_COOKIE)
