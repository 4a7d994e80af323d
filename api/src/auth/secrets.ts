import { createHash, randomBytes } from 'node:crypto'

/** sha-256, hex: how session ids and API tokens are stored (a table dump cannot be replayed). */
export const sha256 = (s: string) => createHash('sha256').update(s).digest('hex')

/** A session id: 128 random bits, base64url (22 characters). */
export const newSessionId = () => randomBytes(16).toString('base64url')

/** Prefix that lets secret scanners and people recognise an Atlas API token. */
export const TOKEN_PREFIX = 'atlas_'

/** An API token: 256 random bits after the prefix. */
export const newApiToken = () => TOKEN_PREFIX + randomBytes(32).toString('base64url')
