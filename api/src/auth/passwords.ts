import { hash, verify } from '@node-rs/argon2'

/** Shorter passwords are refused everywhere (API, start-up, create-user) with a message that says so. */
export const MIN_PASSWORD_LENGTH = 12
/** argon2 reads the whole input; a cap keeps one request from hashing megabytes. */
export const MAX_PASSWORD_LENGTH = 256

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): 0.1–0.2 s on one core of this
 * machine, memory-hard so a GPU farm gains little. Parameters live in the PHC string, so raising them
 * later still verifies old hashes.
 */
// algorithm 2 = Algorithm.Argon2id (a const enum, which verbatimModuleSyntax cannot import)
const PARAMS = { algorithm: 2, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const

/** Why a password is unacceptable, or null. */
export function passwordProblem(password: string): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `must be at least ${MIN_PASSWORD_LENGTH} characters (got ${password.length})`
  if (password.length > MAX_PASSWORD_LENGTH) return `must be at most ${MAX_PASSWORD_LENGTH} characters`
  return null
}

export async function hashPassword(password: string): Promise<string> {
  const problem = passwordProblem(password)
  if (problem) throw new Error(`password ${problem}`)
  return hash(password, PARAMS)
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password)
  } catch {
    return false
  }
}

// Verifying against this when the account does not exist takes as long as a real check, so the
// answer time does not tell an attacker which e-mail addresses have accounts.
let dummy: Promise<string> | undefined
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hash('not-a-real-password-for-timing', PARAMS)
  await verifyPassword(await dummy, password)
  return false
}
