import type { Db as Sql } from './connect.ts'
import type { Role } from './users.ts'

/** Who a session or token belongs to, as the authentication middleware needs it. */
export interface Holder {
  user_id: string
  email: string
  role: Role
}

export async function createSession(sql: Sql, idHash: string, userId: string, absoluteMs: number): Promise<void> {
  await sql`
    INSERT INTO user_session (id_hash, user_id, expires_at)
    VALUES (${idHash}, ${userId}, now() + make_interval(secs => ${absoluteMs / 1000}))`
}

/**
 * The holder of a live session: not past its absolute expiry, used within the idle time, its
 * account enabled. Marks it used (at most once a minute, so reads do not turn into writes).
 */
export async function findSession(sql: Sql, idHash: string, idleMs: number): Promise<Holder | null> {
  const [row] = await sql<Holder[]>`
    WITH live AS (
      SELECT s.id_hash, s.user_id, u.email, u.role, s.last_seen_at
        FROM user_session s JOIN app_user u ON u.id = s.user_id
       WHERE s.id_hash = ${idHash} AND NOT u.disabled
         AND s.expires_at > now() AND s.last_seen_at > now() - make_interval(secs => ${idleMs / 1000})
    ), touch AS (
      UPDATE user_session SET last_seen_at = now()
       WHERE id_hash IN (SELECT id_hash FROM live WHERE last_seen_at < now() - interval '1 minute')
    )
    SELECT user_id, email, role FROM live`
  return row ?? null
}

/** Ends every session of an account (sign-out everywhere, password change). */
export async function endUserSessions(sql: Sql, userId: string): Promise<number> {
  const rows = await sql`DELETE FROM user_session WHERE user_id = ${userId} RETURNING 1`
  return rows.length
}

/** Drops sessions that can no longer be used (called at start-up and now and then). */
export async function pruneSessions(sql: Sql, idleMs: number): Promise<void> {
  await sql`DELETE FROM user_session WHERE expires_at <= now() OR last_seen_at <= now() - make_interval(secs => ${idleMs / 1000})`
}
