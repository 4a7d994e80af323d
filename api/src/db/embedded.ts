import { mkdirSync } from 'node:fs'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'
import { PGLiteSocketServer } from '@electric-sql/pglite-socket'

export interface EmbeddedServer {
  host: string
  port: number
  stop(): Promise<void>
}

/**
 * Starts PGlite (Postgres compiled to WASM) with PostGIS and serves it on a loopback port,
 * so the rest of the code talks to it through postgres.js exactly as to a real server.
 * `dataDir` keeps the data between runs; `memory://` keeps nothing.
 * The socket server takes one connection at a time: connect with postgres.js `max: 1`.
 */
export async function startEmbedded(dataDir: string, log: (msg: string) => void = () => {}): Promise<EmbeddedServer> {
  const t0 = performance.now()
  if (!dataDir.startsWith('memory://')) mkdirSync(dataDir, { recursive: true })
  log(`embedded database: opening ${dataDir} (a new database is created first; that start takes longest)…`)
  const db = await PGlite.create({ dataDir, extensions: { postgis } })
  log(`embedded database: ready in ${Math.round(performance.now() - t0)} ms`)
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: 1 })
  await server.start()
  const [host, port] = server.getServerConn().split(':')
  return {
    host: host ?? '127.0.0.1',
    port: Number(port),
    async stop() {
      await server.stop()
      await db.close()
    },
  }
}
