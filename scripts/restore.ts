/**
 * `npm run restore -- <file>`: brings a backup from `npm run backup` back. Refuses while a server
 * uses the database (stop it first), so no running process ever sees its files change under it.
 *
 * - Embedded: the current DATA_DIR is kept aside as `<DATA_DIR>.before-restore-<time>` (delete it
 *   once the restored data looks right), the .tar.gz is unpacked into a fresh DATA_DIR by PGlite
 *   (`loadDataDir`) and opened once to check it.
 * - DATABASE_URL: refuses while any Station Atlas process is connected (pg_stat_activity,
 *   application_name station-atlas[:schema]), then `pg_restore --clean --if-exists --single-transaction`.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs'
import { basename, resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import postgres from 'postgres'
import { applicationName } from '../api/src/db/connect.ts'
import { lockDataDir } from '../api/src/db/data-dir-lock.ts'
import { repoPath } from '../api/src/paths.ts'

const file = process.argv[2]
if (!file) {
  console.error('usage: npm run restore -- <backup file from npm run backup>')
  process.exit(2)
}
const path = resolve(file)
if (!existsSync(path)) {
  console.error(`no such backup file: ${path}`)
  process.exit(2)
}

async function restoreEmbedded(): Promise<string> {
  const dataDir = resolve(process.env.DATA_DIR ?? repoPath('data/.db'))
  const bytes = readFileSync(path)
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) throw new Error(`${path} is not a .tar.gz from npm run backup (an embedded backup); a pg_dump file restores with DATABASE_URL set`)
  mkdirSync(dataDir, { recursive: true })
  const lock = await lockDataDir(dataDir, 'restore')
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
  const aside = `${dataDir}.before-restore-${stamp}`
  try {
    renameSync(dataDir, aside)
    mkdirSync(dataDir)
    try {
      const db = await PGlite.create({ dataDir, extensions: { postgis }, loadDataDir: new File([bytes], basename(path), { type: 'application/x-gzip' }) })
      const [row] = (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM station')).rows
      await db.close()
      return `${row?.n ?? 0} stations in ${dataDir}; the previous directory is kept at ${aside}`
    } catch (err) {
      // put the previous directory back: a failed restore must not leave the user with nothing
      rmSync(dataDir, { recursive: true, force: true })
      renameSync(aside, dataDir)
      throw new Error(`${path} could not be loaded (${(err as Error).message}); ${dataDir} is unchanged`)
    }
  } finally {
    await lock.release()
  }
}

async function restoreExternal(url: string): Promise<string> {
  const sql = postgres(url, { max: 1, onnotice: () => {} })
  try {
    const others = await sql<{ pid: number; client_addr: string | null; backend_start: Date }[]>`
      SELECT pid, client_addr::text, backend_start FROM pg_stat_activity
       WHERE application_name = ${applicationName(process.env.DATABASE_SCHEMA || undefined)} AND datname = current_database() AND pid <> pg_backend_pid()`
    if (others.length) {
      const list = others.map((o) => `pid ${o.pid} from ${o.client_addr ?? 'local socket'} since ${o.backend_start.toISOString()}`).join('; ')
      throw new Error(`Station Atlas is connected to this database (${list}); stop the server(s) first, then run this again`)
    }
  } finally {
    await sql.end()
  }
  const r = spawnSync('pg_restore', ['--clean', '--if-exists', '--no-owner', '--single-transaction', '--dbname', url, path], { stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.error) throw new Error(`pg_restore is needed and could not be run (${r.error.message}); install the PostgreSQL client`)
  if (r.status !== 0) throw new Error(`pg_restore failed with exit code ${r.status}; the single transaction was rolled back`)
  return 'by pg_restore'
}

try {
  const url = process.env.DATABASE_URL || undefined
  const how = url ? await restoreExternal(url) : await restoreEmbedded()
  console.log(`restored ${path}: ${how}`)
} catch (err) {
  console.error(`restore refused: ${(err as Error).message}`)
  process.exit(1)
}
