import type { Sql } from './connect.ts'

/**
 * Serialises start-up set-up — migrations, seeding, the first admin, loading the bundled demand —
 * across API processes that share one PostgreSQL (and schema): several processes started together
 * would otherwise apply the same migration or load the same layer at once. A session-level advisory
 * lock on one reserved connection; the others wait for it ("waiting for …" is logged), then find
 * everything done. The embedded database is single-process (its directory lock): nothing to take.
 * @returns the release: call once set-up, background demand loading included, has finished
 */
export async function takeSetupLock(sql: Sql, mode: 'embedded' | 'external', schema: string | undefined, log: (msg: string) => void): Promise<() => Promise<void>> {
  if (mode === 'embedded') return async () => {}
  const key = `station-atlas set-up ${schema ?? 'public'}`
  const conn = await sql.reserve()
  try {
    // waiting for another process's set-up may take longer than any one statement is allowed
    await conn`SET statement_timeout = 0`
    const [got] = await conn<{ ok: boolean }[]>`SELECT pg_try_advisory_lock(hashtext(${key})) AS ok`
    if (!got?.ok) {
      log('another API process is setting up this database (migrations, seed data); waiting for it…')
      await conn`SELECT pg_advisory_lock(hashtext(${key}))`
    }
    await conn`RESET statement_timeout`
  } catch (err) {
    conn.release()
    throw err
  }
  let released = false
  return async () => {
    if (released) return
    released = true
    try {
      await conn`SELECT pg_advisory_unlock(hashtext(${key}))`
    } finally {
      conn.release()
    }
  }
}
