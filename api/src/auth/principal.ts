import type { Role } from '../db/users.ts'

/** Who is asking: set by `authenticate` on every request (null = anonymous). */
export interface Principal {
  userId: string
  email: string
  role: Role
  /** codes this account may write in (grants plus the counties of granted cities); empty for admins */
  writable: ReadonlySet<string>
  /** how the request proved it: a session cookie (CSRF-checked) or an API token */
  via: 'session' | 'token'
  /** the token's name (via = token) */
  tokenName?: string
  /** the sha-256 of the session id (via = session) */
  sessionHash?: string
}

/** Whether this principal may write in every one of `codes` (an admin always may). */
export function mayWriteIn(p: Principal, codes: readonly (string | null)[]): boolean {
  if (p.role === 'admin') return true
  return codes.every((c) => c !== null && p.writable.has(c))
}

/** How history names the actor: the account, and the token when a script wrote. */
export const actorLabel = (p: Principal) => (p.via === 'token' ? `${p.email} (token ${p.tokenName})` : p.email)
