import type { Db as Sql } from './connect.ts'
import type { Holder } from './sessions.ts'

export interface TokenInfo {
  id: string
  name: string
  created_at: string
  last_used_at: string | null
}

type Row = { id: string; name: string; created_at: Date; last_used_at: Date | null }
const toInfo = (r: Row): TokenInfo => ({ ...r, created_at: r.created_at.toISOString(), last_used_at: r.last_used_at?.toISOString() ?? null })

export async function createToken(sql: Sql, userId: string, name: string, tokenHash: string): Promise<TokenInfo> {
  const [row] = await sql<Row[]>`
    INSERT INTO api_token (user_id, name, token_hash) VALUES (${userId}, ${name}, ${tokenHash})
    RETURNING id, name, created_at, last_used_at`
  return toInfo(row!)
}

/** An account's tokens that still work, newest first. */
export async function listTokens(sql: Sql, userId: string): Promise<TokenInfo[]> {
  const rows = await sql<Row[]>`
    SELECT id, name, created_at, last_used_at FROM api_token
     WHERE user_id = ${userId} AND revoked_at IS NULL ORDER BY created_at DESC, id LIMIT 1000`
  return rows.map(toInfo)
}

/** Revokes a token of this account; false when it has no such live token. */
export async function revokeToken(sql: Sql, userId: string, id: string): Promise<boolean> {
  const rows = await sql`UPDATE api_token SET revoked_at = now() WHERE id = ${id} AND user_id = ${userId} AND revoked_at IS NULL RETURNING id`
  return rows.length > 0
}

/** The holder of a live (unrevoked) token of an enabled account; marks it used (at most once a minute). */
export async function findToken(sql: Sql, tokenHash: string): Promise<(Holder & { token_name: string }) | null> {
  const [row] = await sql<(Holder & { token_name: string })[]>`
    WITH live AS (
      SELECT t.id, t.user_id, t.name AS token_name, u.email, u.role, t.last_used_at
        FROM api_token t JOIN app_user u ON u.id = t.user_id
       WHERE t.token_hash = ${tokenHash} AND t.revoked_at IS NULL AND NOT u.disabled
    ), touch AS (
      UPDATE api_token SET last_used_at = now()
       WHERE id IN (SELECT id FROM live WHERE last_used_at IS NULL OR last_used_at < now() - interval '1 minute')
    )
    SELECT user_id, email, role, token_name FROM live`
  return row ?? null
}
