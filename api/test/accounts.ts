import { hashPassword } from '../src/auth/passwords.ts'
import { createUser, type Role, type User } from '../src/db/users.ts'
import type { startTestApi } from './test-app.ts'

type Api = Awaited<ReturnType<typeof startTestApi>>

export const PASSWORD = 'correct horse battery staple'

/** The origin app.request() requests have (http://localhost/…): what a same-site browser sends. */
export const OWN_ORIGIN = 'http://localhost'

/** Makes an account straight in the database (as create-user does). */
export async function addAccount(api: Api, email: string, role: Role = 'editor', regions: string[] = [], password = PASSWORD): Promise<User> {
  return createUser(api.sql, { email, passwordHash: await hashPassword(password), role, regions })
}

/** Signs in through the API and returns the session cookie ("atlas_session=…"). */
export async function signIn(api: Api, email: string, password = PASSWORD, headers: Record<string, string> = {}): Promise<string> {
  const res = await api.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ email, password }),
  })
  if (res.status !== 200) throw new Error(`sign-in of ${email} answered ${res.status}: ${await res.text()}`)
  return res.headers.get('set-cookie')!.split(';')[0]!
}

/** Headers of a signed-in browser on our own page. */
export const asSession = (cookie: string, extra: Record<string, string> = {}) => ({ cookie, origin: OWN_ORIGIN, 'content-type': 'application/json', ...extra })

/** Headers of a script with an API token. */
export const asToken = (token: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${token}`, 'content-type': 'application/json', ...extra })

/** Makes an API token for the signed-in account. */
export async function makeToken(api: Api, cookie: string, name = 'script'): Promise<{ id: string; token: string }> {
  const res = await api.request('/api/tokens', { method: 'POST', headers: asSession(cookie), body: JSON.stringify({ name }) })
  if (res.status !== 201) throw new Error(`POST /api/tokens answered ${res.status}: ${await res.text()}`)
  return (await res.json()) as { id: string; token: string }
}
