import { createHash } from 'node:crypto'
import { chmodSync, mkdirSync, rmSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { PGlite } from '@electric-sql/pglite'

/**
 * How `npm run backup` gets a consistent copy of an embedded database that a server holds open.
 *
 * Why a local socket: only the process that has the directory open may read it (a second PGlite on
 * the same files is what lost writes and broke directories), and an HTTP endpoint would need
 * authentication. A Unix socket in a directory only the server's OS user can enter (mode 0700)
 * gives exactly the access the data files themselves have: whoever may read `DATA_DIR` may ask for
 * a backup, nobody else, and nothing listens on the network.
 *
 * Protocol: the client writes `dump\n`; the server answers one JSON line
 * `{"ok":true,"bytes":N,"file":"…"}` followed by N bytes of `.tar.gz` (PGlite `dumpDataDir`), or
 * `{"ok":false,"error":"…"}`.
 */
export function backupSocketPath(dataDir: string): string {
  const beside = join(`${dataDir}.admin`, 'backup.sock')
  // Unix socket paths are limited to ~107 bytes; a deep DATA_DIR gets a private folder in the temp dir
  if (Buffer.byteLength(beside) < 100) return beside
  return join(tmpdir(), `atlas-admin-${createHash('sha256').update(dataDir).digest('hex').slice(0, 12)}`, 'backup.sock')
}

/**
 * A consistent snapshot of the data directory: CHECKPOINT (so recovery on load has little WAL to
 * replay), then PGlite's dumpDataDir, which reads every file of the directory in one synchronous
 * pass while no query can run (the query mutex is held) — a point-in-time copy, like a filesystem
 * snapshot, that PostgreSQL opens as after a clean stop or a crash.
 */
export async function dumpConsistent(db: PGlite): Promise<Blob> {
  await db.exec('CHECKPOINT')
  return db._runExclusiveQuery(() => db.dumpDataDir('gzip'))
}

export async function serveBackups(db: PGlite, dataDir: string, log: (msg: string) => void): Promise<{ path: string; close(): Promise<void> }> {
  const path = backupSocketPath(dataDir)
  const dir = join(path, '..')
  mkdirSync(dir, { recursive: true, mode: 0o700 })
  chmodSync(dir, 0o700)
  rmSync(path, { force: true }) // left by a killed server (its lock was taken over, so nobody listens there)
  const server: Server = createServer((socket) => {
    let asked = ''
    socket.on('error', () => socket.destroy())
    socket.on('data', async (chunk) => {
      asked += chunk.toString()
      if (!asked.includes('\n')) return
      if (asked.trim() !== 'dump') {
        socket.end(JSON.stringify({ ok: false, error: `unknown request "${asked.trim().slice(0, 40)}"; send "dump"` }) + '\n')
        return
      }
      try {
        const t0 = performance.now()
        const blob = await dumpConsistent(db)
        const bytes = Buffer.from(await blob.arrayBuffer())
        socket.write(JSON.stringify({ ok: true, bytes: bytes.length, file: (blob as File).name ?? 'pgdata.tar.gz' }) + '\n')
        socket.end(bytes)
        log(`backup: ${(bytes.length / 1e6).toFixed(1)} MB dump served in ${Math.round(performance.now() - t0)} ms`)
      } catch (err) {
        socket.end(JSON.stringify({ ok: false, error: `the dump failed: ${(err as Error).message}` }) + '\n')
      }
    })
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(path, () => resolve())
  })
  chmodSync(path, 0o600)
  return {
    path,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
