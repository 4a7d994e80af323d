import { parentPort, workerData } from 'node:worker_threads'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'
import { serveBackups } from './backup-socket.ts'

/**
 * The embedded database's own thread (started by embedded.ts): PGlite, the loopback socket postgres.js
 * talks to, and the backup socket. PGlite runs every statement synchronously in WebAssembly on the
 * thread that calls it; here that thread is this one, so a 0.4 s statement stalls only this thread and
 * the API thread keeps answering (issue 11 item 6).
 *
 * Messages to the parent: `{type: 'log', msg}`, `{type: 'ready', host, port, backupSocket}`,
 * `{type: 'failed', phase: 'open' | 'serve', name, message}`, `{type: 'stopped'}`.
 * From the parent: `{type: 'stop'}`.
 */
export interface EmbeddedThreadData {
  dataDir: string
  inMemory: boolean
}

const port = parentPort!
const { dataDir, inMemory } = workerData as EmbeddedThreadData
const log = (msg: string) => port.postMessage({ type: 'log', msg })

async function run() {
  let db: PGlite
  try {
    db = await PGlite.create({ dataDir, extensions: { postgis } })
  } catch (err) {
    port.postMessage({ type: 'failed', phase: 'open', ...describe(err) })
    return
  }
  try {
    const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 })
    await server.start()
    const backups = inMemory ? null : await serveBackups(db, dataDir, log)
    const [host, socketPort] = server.getServerConn().split(':')
    port.on('message', async (m: { type: string }) => {
      if (m.type !== 'stop') return
      await backups?.close()
      await server.stop()
      await db.close()
      port.postMessage({ type: 'stopped' })
    })
    port.postMessage({ type: 'ready', host: host ?? '127.0.0.1', port: Number(socketPort), backupSocket: backups?.path ?? null })
  } catch (err) {
    await db.close().catch(() => {})
    port.postMessage({ type: 'failed', phase: 'serve', ...describe(err) })
  }
}

function describe(err: unknown) {
  return err instanceof Error ? { name: err.name, message: err.message } : { name: 'Error', message: String(err) }
}

await run()
