import type { Context } from 'hono'
import { sha256 } from './secrets.ts'

/**
 * The client's address: the socket's peer, or — only with TRUST_PROXY — the last X-Forwarded-For
 * entry (the address our own proxy saw; entries before it are whatever the client claimed).
 * Headers a client chooses (User-Agent, …) never enter it, so changing them buys no new quota.
 */
export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')
    const last = forwarded?.split(',').map((s) => s.trim()).filter(Boolean).at(-1)
    if (last) return last
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming
  return incoming?.socket?.remoteAddress ?? 'local'
}

/** The stored form of a client address: salted sha-256, enough to count requests, not to find anyone. */
export const clientKey = (salt: string, address: string) => sha256(`${salt}|${address}`).slice(0, 32)

/** The scheme and host the client used (for Secure cookies and the CSRF origin check). */
export function requestOrigin(c: Context, trustProxy: boolean): { origin: string; https: boolean } {
  const url = new URL(c.req.url)
  let proto = url.protocol.replace(':', '')
  let host = c.req.header('host') ?? url.host
  if (trustProxy) {
    proto = c.req.header('x-forwarded-proto')?.split(',')[0]?.trim() || proto
    host = c.req.header('x-forwarded-host')?.split(',')[0]?.trim() || host
  }
  return { origin: `${proto}://${host}`, https: proto === 'https' }
}
