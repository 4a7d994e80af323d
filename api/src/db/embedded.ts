import { existsSync, mkdirSync } from 'node:fs'
import { basename } from 'node:path'
import { Worker } from 'node:worker_threads'
import type { EmbeddedThreadData } from './embedded-thread.ts'
import { lockDataDir, type DataDirLock } from './data-dir-lock.ts'

export interface EmbeddedServer {
  host: string
  port: number
  /** the Unix socket `npm run backup` asks for a dump (none for memory://) */
  backupSocket: string | null
  /** false once the database thread has ended */
  alive(): boolean
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

/** An error as the database thread reported it (its stack stays there). */
function threadError(name: string, message: string): Error {
  const err = new Error(message)
  err.name = name
  return err
}

/**
 * Starts PGlite (Postgres compiled to WASM) with PostGIS and serves it on a loopback port,
 * so the rest of the code talks to it through postgres.js exactly as to a real server.
 * `dataDir` keeps the data between runs; `memory://` keeps nothing.
 * The directory is locked for this process first (a second server or a script refuses, naming the
 * holder), and a backup socket lets `npm run backup` take a consistent copy while it runs.
 * PGlite, its socket server and the backup socket run in a worker thread of their own
 * (embedded-thread.ts): PGlite executes each statement synchronously, and on the API's thread a long
 * one would stop every other request (issue 11 item 6). This thread keeps only the lock.
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
  const fresh = inMemory || !existsSync(`${dataDir}/PG_VERSION`)
  log(`embedded database: opening ${dataDir}${fresh ? ' (a new database is created first; that start takes longest)' : ''}…`)
  // the thread registers tsx itself; the parent's loader flags (tsx, vitest) are not for it
  const worker = new Worker(new URL('./embedded-worker.mjs', import.meta.url), {
    workerData: { dataDir, inMemory } satisfies EmbeddedThreadData,
    execArgv: [],
  })
  let stopping = false
  let running = true
  const exited = new Promise<number>((resolve) => worker.once('exit', (code) => { running = false; resolve(code) }))
  let ready: { host: string; port: number; backupSocket: string | null }
  try {
    ready = await new Promise((resolve, reject) => {
      worker.on('message', (m: ThreadMessage) => {
        if (m.type === 'log') log(m.msg)
        else if (m.type === 'ready') resolve(m)
        else if (m.type === 'failed') {
          const cause = threadError(m.name, m.message)
          reject(m.phase === 'open' && !inMemory ? new DataDirUnreadableError(dataDir, cause) : cause)
        }
      })
      // an error the thread could not catch while opening (a WebAssembly abort) is the directory's too
      worker.once('error', (err) => reject(inMemory ? err : new DataDirUnreadableError(dataDir, err)))
      void exited.then((code) => reject(new Error(`the embedded database thread ended (exit code ${code}) before it was ready`)))
    })
  } catch (err) {
    await worker.terminate()
    await lock?.release()
    throw err
  }
  log(`embedded database: ready in ${Math.round(performance.now() - t0)} ms`)
  // The database is gone if its thread dies; writing on would fail request after request.
  worker.on('error', (err) => console.error(`the embedded database thread failed: ${err.stack ?? err.message}`))
  void exited.then((code) => {
    if (stopping) return
    console.error(`the embedded database thread ended unexpectedly (exit code ${code}); stopping, restart the server`)
    process.exit(1)
  })
  if (ready.backupSocket) lock!.update({ backup_socket: ready.backupSocket })
  return {
    host: ready.host,
    port: ready.port,
    backupSocket: ready.backupSocket,
    alive: () => running,
    async stop() {
      if (stopping) return
      stopping = true
      const stopped = new Promise<void>((resolve) => worker.on('message', (m: ThreadMessage) => m.type === 'stopped' && resolve()))
      worker.postMessage({ type: 'stop' })
      // a thread that cannot close within 10 s (stuck statement) is ended; the WAL makes that safe
      await Promise.race([stopped, exited, new Promise((r) => setTimeout(r, 10_000).unref())])
      await worker.terminate()
      await lock?.release()
    },
  }
}

type ThreadMessage =
  | { type: 'log'; msg: string }
  | { type: 'ready'; host: string; port: number; backupSocket: string | null }
  | { type: 'failed'; phase: 'open' | 'serve'; name: string; message: string }
  | { type: 'stopped' }
