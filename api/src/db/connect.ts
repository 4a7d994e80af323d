import postgres from 'postgres'
import { repoPath } from '../paths.ts'
import { startEmbedded, type EmbeddedServer } from './embedded.ts'

export type Sql = postgres.Sql<{}>

export interface Database {
  sql: Sql
  mode: 'embedded' | 'external'
  close(): Promise<void>
}

export interface ConnectOptions {
  /** postgres://… of a server with PostGIS; without it the embedded database is started */
  databaseUrl?: string
  /** where the embedded database keeps its files (default data/.db) */
  dataDir?: string
  /** put every table in this schema (tests isolate themselves this way on a shared server) */
  schema?: string
  log?: (msg: string) => void
}

/** Opens the database: a real PostgreSQL server when `databaseUrl` is given, else embedded PGlite. */
export async function connect(options: ConnectOptions = {}): Promise<Database> {
  const { databaseUrl, dataDir = repoPath('data/.db'), schema, log } = options
  const common = {
    onnotice: () => {},
    // Schema first, then public where PostGIS lives.
    // application_name lets `npm run restore` see whether an API process is connected (to this schema)
    connection: { application_name: applicationName(schema), ...(schema ? { search_path: `${schema},public` } : {}) },
    transform: { undefined: null },
  } satisfies postgres.Options<{}>
  if (databaseUrl) {
    const sql = postgres(databaseUrl, { ...common, max: 10 })
    await ensureSchema(sql, schema)
    return { sql, mode: 'external', close: () => sql.end({ timeout: 5 }) }
  }
  const server: EmbeddedServer = await startEmbedded(dataDir, log)
  // The socket server serves one connection; idle_timeout 0 keeps it for the process's life.
  const sql = postgres({ ...common, host: server.host, port: server.port, user: 'postgres', database: 'postgres', max: 1 })
  await ensureSchema(sql, schema)
  return {
    sql,
    mode: 'embedded',
    async close() {
      await sql.end({ timeout: 5 })
      await server.stop()
    },
  }
}

/** `station-atlas`, or `station-atlas:<schema>` when the tables live in a schema of their own. */
export function applicationName(schema?: string): string {
  return schema ? `station-atlas:${schema}`.slice(0, 63) : 'station-atlas'
}

async function ensureSchema(sql: Sql, schema: string | undefined): Promise<void> {
  if (schema) await sql.unsafe(`CREATE SCHEMA IF NOT EXISTS "${schema.replace(/"/g, '')}"`)
}
