import { readdirSync, readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Sql } from './connect.ts'

const MIGRATIONS_DIR = fileURLToPath(new URL('./migrations/', import.meta.url))

/**
 * Applies `migrations/NNN-name.sql` in name order, each once, each in its own transaction,
 * recording it in `schema_migrations`. Safe to run at every start.
 */
export async function migrate(sql: Sql, log: (msg: string) => void = () => {}): Promise<string[]> {
  // PostGIS goes to public whatever the search_path, so per-test schemas share one extension.
  const [installed] = await sql<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_extension WHERE extname = 'postgis'`
  if (!installed?.n) {
    const t0 = performance.now()
    log('installing PostGIS into the new database (first start only)…')
    await sql`CREATE EXTENSION IF NOT EXISTS postgis SCHEMA public`
    log(`PostGIS installed in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
  await sql`CREATE TABLE IF NOT EXISTS schema_migrations (name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`
  const done = new Set((await sql<{ name: string }[]>`SELECT name FROM schema_migrations`).map((r) => r.name))
  const files = readdirSync(MIGRATIONS_DIR).filter((f) => f.endsWith('.sql')).sort()
  const applied: string[] = []
  for (const file of files) {
    if (done.has(file)) continue
    const text = readFileSync(MIGRATIONS_DIR + file, 'utf8')
    await sql.begin(async (tx) => {
      await tx.unsafe(text)
      await tx`INSERT INTO schema_migrations (name) VALUES (${file})`
    })
    log(`migration applied: ${file}`)
    applied.push(file)
  }
  return applied
}
