import { existsSync, mkdirSync } from 'node:fs'
import { basename } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { serveBackups } from './backup-socket.ts'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'

export interface EmbeddedServer {
  host: string
  port: number
  /** the Unix socket `npm run backup` asks for a dump (none for memory://) */
  backupSocket: string | null
  stop(): Promise<void>
}

/** The directory exists but PGlite cannot open it: say where it is and how to get the data back. */
export class DataDirUnreadableError extends Error {
  constructor(dataDir: string, cause: unknown) {
    super(
      `the embedded database in ${dataDir} cannot be opened (${cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause)}). ` +
        `Its files are damaged — e.g. two processes wrote to it at once, or the disk filled up. To get the data back: ` +
        `npm run restore -- <backup .tar.gz> (with DATA_DIR=${dataDir}; it keeps the damaged directory aside). ` +
        `Without a backup: move ${dataDir} away and start again; the bundled demo data is loaded afresh.`,
      { cause },
    )
  }
}

/**
 * Starts PGlite (Postgres compiled to WASM) with PostGIS and serves it on a loopback port,
 * so the rest of the code talks to it through postgres.js exactly as to a real server.
 * `dataDir` keeps the data between runs; `memory://` keeps nothing.
 * The directory is locked for this process first (a second server or a script refuses, naming the
 * holder), and a backup socket lets `npm run backup` take a consistent copy while it runs.
 * The socket server takes one connection at a time: connect with postgres.js `max: 1`.
 */
export async function startEmbedded(dataDir: string, log: (msg: string) => void = () => {}): Promise<EmbeddedServer> {
  const t0 = performance.now()
  const inMemory = dataDir.startsWith('memory://')
  let lock: DataDirLock | null = null
  if (!inMemory) {
    mkdirSync(dataDir, { recursive: true })
    lock = await lockDataDir(dataDir, basename(process.argv[1] ?? 'node'))
  }
  let db: PGlite
  try {
    const fresh = inMemory || !existsSync(`${dataDir}/PG_VERSION`)
    log(`embedded database: opening ${dataDir}${fresh ? ' (a new database is created first; that start takes longest)' : ''}…`)
    db = await PGlite.create({ dataDir, extensions: { postgis } })
  } catch (err) {
    await lock?.release()
    throw inMemory ? err : new DataDirUnreadableError(dataDir, err)
  }
  log(`embedded database: ready in ${Math.round(performance.now() - t0)} ms`)
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 })
  await server.start()
  const backups = inMemory ? null : await serveBackups(db, dataDir, log)
  if (backups) lock!.update({ backup_socket: backups.path })
  const [host, port] = server.getServerConn().split(':')
  return {
    host: host ?? '127.0.0.1',
    port: Number(port),
    backupSocket: backups?.path ?? null,
    async stop() {
      await backups?.close()
      await server.stop()
      await db.close()
      await lock?.release()
    },
  }
}
