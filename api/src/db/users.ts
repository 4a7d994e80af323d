import type { Db, Sql } from './connect.ts'

export type Role = 'admin' | 'editor'

export interface User {
  id: string
  email: string
  role: Role
  /** the codes granted (counties or cities); an admin needs none */
  regions: string[]
  disabled: boolean
  created_at: string
  updated_at: string
}

/** Another account already has this e-mail address. */
export class DuplicateEmailError extends Error {
  constructor(readonly email: string) {
    super(`an account with e-mail ${email} already exists`)
  }
}

/** The region codes given do not all exist. */
export class UnknownRegionsError extends Error {
  constructor(readonly codes: string[]) {
    super(`no region has code ${codes.join(', ')}`)
  }
}

/** The change would leave no enabled admin, and nobody could manage accounts any more. */
export class LastAdminError extends Error {
  constructor() {
    super('at least one enabled admin must remain: make another admin first')
  }
}

type Row = Omit<User, 'created_at' | 'updated_at'> & { created_at: Date; updated_at: Date }
const toUser = (r: Row): User => ({ ...r, regions: r.regions ?? [], created_at: r.created_at.toISOString(), updated_at: r.updated_at.toISOString() })

const userColumns = (sql: Db) => sql`
  u.id, u.email, u.role, u.disabled, u.created_at, u.updated_at,
  coalesce((SELECT array_agg(g.region_code ORDER BY g.region_code) FROM user_region g WHERE g.user_id = u.id), '{}') AS regions`

async function checkRegions(sql: Db, codes: string[]) {
  if (codes.length === 0) return
  const found = await sql<{ code: string }[]>`SELECT code FROM region WHERE code = ANY(${codes})`
  const known = new Set(found.map((r) => r.code))
  const unknown = codes.filter((c) => !known.has(c))
  if (unknown.length) throw new UnknownRegionsError(unknown)
}

export interface NewUser {
  email: string
  passwordHash: string
  role: Role
  regions: string[]
}

export async function createUser(sql: Sql, u: NewUser): Promise<User> {
  return sql.begin(async (tx) => {
    await checkRegions(tx, u.regions)
    const [row] = await tx<{ id: string }[]>`
      INSERT INTO app_user (email, password_hash, role) VALUES (${u.email.toLowerCase()}, ${u.passwordHash}, ${u.role})
      ON CONFLICT (email) DO NOTHING RETURNING id`
    if (!row) throw new DuplicateEmailError(u.email.toLowerCase())
    for (const code of new Set(u.regions)) await tx`INSERT INTO user_region (user_id, region_code) VALUES (${row.id}, ${code})`
    return (await getUser(tx, row.id))!
  })
}

export async function getUser(sql: Db, id: string): Promise<User | null> {
  const [row] = await sql<Row[]>`SELECT ${userColumns(sql)} FROM app_user u WHERE u.id = ${id}`
  return row ? toUser(row) : null
}

/** The account and its password hash, for sign-in; null when no account has this address. */
export async function findUserForLogin(sql: Db, email: string): Promise<(User & { password_hash: string }) | null> {
  const [row] = await sql<(Row & { password_hash: string })[]>`
    SELECT ${userColumns(sql)}, u.password_hash FROM app_user u WHERE u.email = ${email.toLowerCase()}`
  return row ? { ...toUser(row), password_hash: row.password_hash } : null
}

export async function passwordHashOf(sql: Db, id: string): Promise<string | null> {
  const [row] = await sql<{ password_hash: string }[]>`SELECT password_hash FROM app_user WHERE id = ${id}`
  return row?.password_hash ?? null
}

/** Every account, ordered by e-mail (bounded: an atlas has dozens of editors, not thousands). */
export async function listUsers(sql: Db, limit = 1000): Promise<User[]> {
  const rows = await sql<Row[]>`SELECT ${userColumns(sql)} FROM app_user u ORDER BY u.email LIMIT ${limit}`
  return rows.map(toUser)
}

export async function adminExists(sql: Db): Promise<boolean> {
  const [row] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM app_user WHERE role = 'admin' AND NOT disabled`
  return row!.n > 0
}

export interface UserPatch {
  role?: Role
  regions?: string[]
  disabled?: boolean
  passwordHash?: string
}

/**
 * Changes an account in one transaction. Disabling it or setting a new password ends its sessions.
 * Null when the account does not exist.
 */
export async function updateUser(sql: Sql, id: string, p: UserPatch): Promise<User | null> {
  return sql.begin(async (tx) => {
    const [cur] = await tx<{ role: Role; disabled: boolean }[]>`SELECT role, disabled FROM app_user WHERE id = ${id} FOR UPDATE`
    if (!cur) return null
    if (p.regions) await checkRegions(tx, p.regions)
    await tx`
      UPDATE app_user SET
        role = ${p.role ?? cur.role},
        disabled = ${p.disabled ?? cur.disabled},
        ${p.passwordHash ? tx`password_hash = ${p.passwordHash},` : tx``}
        updated_at = now()
      WHERE id = ${id}`
    if (cur.role === 'admin' && !cur.disabled && ((p.role && p.role !== 'admin') || p.disabled)) {
      // counted inside the transaction, after the change: the row lock above serialises admins' edits
      if (!(await adminExists(tx))) throw new LastAdminError()
    }
    if (p.regions) {
      await tx`DELETE FROM user_region WHERE user_id = ${id}`
      for (const code of new Set(p.regions)) await tx`INSERT INTO user_region (user_id, region_code) VALUES (${id}, ${code})`
    }
    if (p.disabled || p.passwordHash) await tx`DELETE FROM user_session WHERE user_id = ${id}`
    return getUser(tx, id)
  })
}

/**
 * The codes an account may write in: its grants and, for a city, its counties (region.parent_code).
 */
export async function writableRegions(sql: Db, userId: string): Promise<string[]> {
  const rows = await sql<{ code: string }[]>`
    SELECT DISTINCT r.code FROM user_region g JOIN region r ON r.code = g.region_code OR r.parent_code = g.region_code
     WHERE g.user_id = ${userId}`
  return rows.map((r) => r.code)
}
