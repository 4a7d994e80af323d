/**
 * `npm run backup [-- --out file]`: a consistent copy of the database, taken while the server runs.
 *
 * - Embedded (no DATABASE_URL): the server that holds DATA_DIR is asked for the copy over its local
 *   backup socket (api/src/db/backup-socket.ts: CHECKPOINT, then PGlite dumpDataDir in one pass while
 *   no query runs); this script never opens the directory beside it. With no server running, it takes
 *   the directory's lock itself and dumps it the same way. Output: a .tar.gz of the data directory.
 * - DATABASE_URL: `pg_dump --format=custom` (the schema DATABASE_SCHEMA only, when set), which reads
 *   one consistent snapshot while the server keeps writing.
 *
 * Restore with `npm run restore -- <file>`.
 */
import { spawnSync } from 'node:child_process'
import { mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs'
import { connect as connectSocket } from 'node:net'
import { dirname, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { dumpConsistent } from '../api/src/db/backup-socket.ts'
import { lockDataDir, lockHolder } from '../api/src/db/data-dir-lock.ts'
import { repoPath } from '../api/src/paths.ts'

const { values: args } = parseArgs({ options: { out: { type: 'string' } } })
const databaseUrl = process.env.DATABASE_URL || undefined
const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')
const out = resolve(args.out ?? repoPath(`backups/atlas-${stamp}.${databaseUrl ? 'dump' : 'tar.gz'}`))
mkdirSync(dirname(out), { recursive: true })
const partial = `${out}.partial`

/** Asks the running server for a dump over its backup socket. */
function askServer(socketPath: string): Promise<Buffer> {
  return new Promise((ok, fail) => {
    const socket = connectSocket(socketPath)
    const chunks: Buffer[] = []
    socket.on('connect', () => socket.write('dump\n'))
    socket.on('data', (c) => chunks.push(c))
    socket.on('error', (e) => fail(new Error(`cannot reach the server's backup socket ${socketPath}: ${e.message}`)))
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const nl = all.indexOf(10)
      if (nl < 0) return fail(new Error('the server closed the backup socket without an answer'))
      const head = JSON.parse(all.subarray(0, nl).toString()) as { ok: boolean; bytes?: number; error?: string }
      if (!head.ok) return fail(new Error(`the server could not dump: ${head.error}`))
      const body = all.subarray(nl + 1)
      if (body.length !== head.bytes) return fail(new Error(`the dump arrived incomplete: ${body.length} of ${head.bytes} bytes`))
      ok(body)
    })
  })
}

async function backupEmbedded(): Promise<string> {
  const dataDir = resolve(process.env.DATA_DIR ?? repoPath('data/.db'))
  const holder = await lockHolder(dataDir)
  if (holder) {
    if (!holder.backup_socket) throw new Error(`${dataDir} is held by process ${holder.pid} (${holder.command}), which offers no backup socket; stop it and run this again`)
    writeFileSync(partial, await askServer(holder.backup_socket))
    return `from the running ${holder.purpose} (pid ${holder.pid}) over ${holder.backup_socket}`
  }
  const lock = await lockDataDir(dataDir, 'backup')
  try {
    const db = await PGlite.create({ dataDir, extensions: { postgis } })
    try {
      writeFileSync(partial, Buffer.from(await (await dumpConsistent(db)).arrayBuffer()))
    } finally {
      await db.close()
    }
  } finally {
    await lock.release()
  }
  return `from ${dataDir} (no server was running)`
}

function backupExternal(url: string): string {
  const schema = process.env.DATABASE_SCHEMA
  const r = spawnSync('pg_dump', ['--format=custom', '--no-owner', ...(schema ? ['--schema', schema] : []), '--file', partial, url], { stdio: ['ignore', 'inherit', 'inherit'] })
  if (r.error) throw new Error(`pg_dump is needed for a PostgreSQL backup and could not be run (${r.error.message}); install the PostgreSQL client (apt-get install postgresql-client)`)
  if (r.status !== 0) throw new Error(`pg_dump failed with exit code ${r.status}`)
  return `by pg_dump${schema ? ` (schema ${schema})` : ''}`
}

try {
  const how = databaseUrl ? backupExternal(databaseUrl) : await backupEmbedded()
  renameSync(partial, out)
  console.log(`backup written: ${out} (${(statSync(out).size / 1e6).toFixed(1)} MB), ${how}`)
  console.log(`restore with: npm run restore -- ${out}`)
} catch (err) {
  console.error(`backup failed: ${(err as Error).message}`)
  process.exit(1)
}
