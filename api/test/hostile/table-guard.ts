/**
 * Did a request write anything? Checked two ways, so the cheap way is itself checked:
 * - per request, one read of a counter that row-level triggers on every table bump in the writer's
 *   transaction (an UPDATE that changes nothing but bookkeeping columns does not count);
 * - per batch, an md5 of every row of every table: a table whose md5 changed without a counted
 *   write means a trigger missed it (a new table, a write path the counter does not see).
 * Rows are compared as jsonb without the bookkeeping columns, so a read that touches
 * `last_seen_at` is not a write.
 */
import type { Sql } from '../../src/db/connect.ts'

/**
 * Written by reads or refused requests on purpose, so left out (each with its reason):
 * rate_limit counts every attempt, refused or not (that is what makes it a limit).
 */
export const IGNORED_TABLES: Record<string, string> = {
  rate_limit: 'counts every sign-in and report attempt by design, including refused ones',
}
/** Columns a read refreshes by design. */
export const IGNORED_COLUMNS: Record<string, string[]> = {
  user_session: ['last_seen_at'],
  api_token: ['last_used_at'],
}

const COUNTER = 'hostile_write_count'

export interface TableGuard {
  /** total counted writes so far */
  count(): Promise<number>
  /** counted writes per table so far */
  perTable(): Promise<Record<string, number>>
  /** md5 of every table's rows (bookkeeping columns left out) */
  checksums(): Promise<Record<string, string>>
  tables: string[]
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`

/** Installs the counting triggers on every table of the current schema (and PostGIS's spatial_ref_sys where it lives there). */
export async function installTableGuard(sql: Sql): Promise<TableGuard> {
  await sql.unsafe(`CREATE TABLE IF NOT EXISTS ${COUNTER} (tbl text PRIMARY KEY, n bigint NOT NULL)`)
  await sql.unsafe(`
    CREATE OR REPLACE FUNCTION hostile_count_write() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      -- TG_ARGV: the columns whose change alone is bookkeeping, not a write
      IF TG_OP = 'UPDATE' THEN
        IF (to_jsonb(OLD) - TG_ARGV) = (to_jsonb(NEW) - TG_ARGV) THEN RETURN NULL; END IF;
      END IF;
      INSERT INTO ${COUNTER} VALUES (TG_TABLE_NAME, 1) ON CONFLICT (tbl) DO UPDATE SET n = ${COUNTER}.n + 1;
      RETURN NULL;
    END $$`)
  const rows = await sql<{ table_name: string }[]>`
    SELECT table_name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> ${COUNTER}
     ORDER BY table_name`
  const tables = rows.map((r) => r.table_name).filter((t) => !(t in IGNORED_TABLES))
  for (const t of tables) {
    const args = (IGNORED_COLUMNS[t] ?? []).map((c) => `'${c}'`).join(', ')
    await sql.unsafe(`DROP TRIGGER IF EXISTS hostile_count ON ${ident(t)}`)
    await sql.unsafe(`CREATE TRIGGER hostile_count AFTER INSERT OR UPDATE OR DELETE ON ${ident(t)} FOR EACH ROW EXECUTE FUNCTION hostile_count_write(${args})`)
    await sql.unsafe(`DROP TRIGGER IF EXISTS hostile_count_truncate ON ${ident(t)}`)
    await sql.unsafe(`CREATE TRIGGER hostile_count_truncate AFTER TRUNCATE ON ${ident(t)} FOR EACH STATEMENT EXECUTE FUNCTION hostile_count_write()`)
  }
  const md5 = tables
    .map((t) => {
      const drop = (IGNORED_COLUMNS[t] ?? []).map((c) => ` - '${c}'`).join('')
      return `SELECT '${t}' AS t, md5(coalesce(string_agg(h, '' ORDER BY h), '')) AS h FROM (SELECT md5((to_jsonb(r)${drop})::text) AS h FROM ${ident(t)} r) s`
    })
    .join(' UNION ALL ')
  return {
    tables,
    async count() {
      const [row] = await sql.unsafe<{ n: number }[]>(`SELECT coalesce(sum(n), 0)::int AS n FROM ${COUNTER}`)
      return row!.n
    },
    async perTable() {
      const r = await sql.unsafe<{ tbl: string; n: number }[]>(`SELECT tbl, n::int AS n FROM ${COUNTER}`)
      return Object.fromEntries(r.map((x) => [x.tbl, x.n]))
    },
    async checksums() {
      const r = await sql.unsafe<{ t: string; h: string }[]>(md5)
      return Object.fromEntries(r.map((x) => [x.t, x.h]))
    },
  }
}
