import { randomBytes } from 'node:crypto'
import type { Db as Sql } from './connect.ts'

export interface RateLimitResult {
  ok: boolean
  /** whole seconds until the window ends (when !ok) */
  retryAfterS: number
}

/**
 * Counts one hit for (bucket, key) in a fixed window of `windowMs`; ok while the window holds at
 * most `max`. One statement (INSERT … ON CONFLICT), so concurrent requests in several API processes
 * cannot both take the last hit; kept in PostgreSQL, so a restart resets nothing. Run it inside the
 * write's transaction when a failed write should not use up quota (the rollback takes the hit back).
 */
export async function takeHit(sql: Sql, bucket: string, key: string, max: number, windowMs: number): Promise<RateLimitResult> {
  const windowS = windowMs / 1000
  const [row] = await sql<{ hits: number; retry_s: number }[]>`
    INSERT INTO rate_limit AS r (bucket, key, window_start, hits)
    VALUES (${bucket}, ${key}, now(), 1)
    ON CONFLICT (bucket, key) DO UPDATE SET
      window_start = CASE WHEN r.window_start <= now() - make_interval(secs => ${windowS}) THEN now() ELSE r.window_start END,
      hits = CASE WHEN r.window_start <= now() - make_interval(secs => ${windowS}) THEN 1 ELSE r.hits + 1 END
    RETURNING hits, ceil(extract(epoch FROM (window_start + make_interval(secs => ${windowS}) - now())))::int AS retry_s`
  const ok = row!.hits <= max
  return { ok, retryAfterS: ok ? 0 : Math.max(1, row!.retry_s) }
}

/**
 * The salt client addresses are hashed with: made once per database and kept in `meta`, so limits
 * and stored report keys survive restarts and are shared by every API process.
 */
const salts = new WeakMap<Sql, Promise<string>>()
export function clientSalt(sql: Sql): Promise<string> {
  let salt = salts.get(sql)
  if (!salt) {
    salt = (async () => {
      await sql`INSERT INTO meta (key, value) VALUES ('client_key_salt', ${sql.json(randomBytes(16).toString('hex'))})
                ON CONFLICT (key) DO NOTHING`
      const [row] = await sql<{ value: string }[]>`SELECT value FROM meta WHERE key = 'client_key_salt'`
      return row!.value
    })()
    salt.catch(() => salts.delete(sql))
    salts.set(sql, salt)
  }
  return salt
}

/** Drops windows that ended long ago (start-up housekeeping; the longest window is 15 minutes). */
export async function pruneRateLimits(sql: Sql): Promise<void> {
  await sql`DELETE FROM rate_limit WHERE window_start < now() - interval '1 day'`
}
