import type { Sql } from '../db/connect.ts'
import { adminExists, createUser, DuplicateEmailError, findUserForLogin, updateUser } from '../db/users.ts'
import { email as emailSchema } from '../schemas/auth.ts'
import { hashPassword, MIN_PASSWORD_LENGTH, passwordProblem } from './passwords.ts'

/** The exact command that makes the first admin (the password comes from a prompt or the env, never argv). */
export const CREATE_ADMIN_COMMAND = 'npm run create-user -- --admin --email you@example.org'

/**
 * With no enabled admin: ADMIN_EMAIL + ADMIN_PASSWORD create one (an existing account with that
 * e-mail is made admin, with the given password); without them the server starts read-only —
 * nobody can sign in to write — and says how to make one. There is never a default password.
 */
export async function ensureFirstAdmin(sql: Sql, given: { email?: string; password?: string }, log: (m: string) => void): Promise<void> {
  if (await adminExists(sql)) return
  if (!given.email || !given.password) {
    log(
      `no admin account yet: the API is read-only (nobody can sign in to write). Create the first admin with\n` +
        `  ${CREATE_ADMIN_COMMAND}\n` +
        `(it asks for the password, or reads CREATE_USER_PASSWORD), or start once with ADMIN_EMAIL and ADMIN_PASSWORD set.`,
    )
    return
  }
  const email = emailSchema.safeParse(given.email)
  if (!email.success) throw new Error(`ADMIN_EMAIL must be an e-mail address, got ${JSON.stringify(given.email)}`)
  const problem = passwordProblem(given.password)
  if (problem) throw new Error(`ADMIN_PASSWORD ${problem}: choose one of at least ${MIN_PASSWORD_LENGTH} characters`)
  const passwordHash = await hashPassword(given.password)
  try {
    await createUser(sql, { email: email.data, passwordHash, role: 'admin', regions: [] })
  } catch (err) {
    if (!(err instanceof DuplicateEmailError)) throw err
    const existing = (await findUserForLogin(sql, email.data))!
    await updateUser(sql, existing.id, { role: 'admin', disabled: false, passwordHash })
  }
  log(`first admin created: ${email.data} (from ADMIN_EMAIL / ADMIN_PASSWORD)`)
}
