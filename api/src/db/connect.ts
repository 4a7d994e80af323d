import postgres from 'postgres'
import { envMilliseconds } from '../env-milliseconds.ts'
import { repoPath } from '../paths.ts'
import { startEmbedded, type EmbeddedServer } from './embedded.ts'

export type Sql = postgres.Sql<{}>
/** A connection or a transaction: what db/ functions that may run inside `sql.begin` accept. */
export type Db = Sql | postgres.TransactionSql<{}>

export interface Database {
  sql: Sql
  mode: 'embedded' | 'external'
  /** false once the database is known to be gone (the embedded database's thread ended) */
  alive(): boolean
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
  /** longest a statement may run before PostgreSQL cancels it, ms (0: no limit; default STATEMENT_TIMEOUT_MS or 15000) */
  statementTimeoutMs?: number
}

/** STATEMENT_TIMEOUT_MS from the environment, else 15 s: longer than any indexed query at 10^6 stations. */
export const DEFAULT_STATEMENT_TIMEOUT_MS = 15_000

/** Opens the database: a real PostgreSQL server when `databaseUrl` is given, else embedded PGlite. */
export async function connect(options: ConnectOptions = {}): Promise<Database> {
  const { databaseUrl, dataDir = repoPath('data/.db'), schema, log } = options
  const statementTimeoutMs = options.statementTimeoutMs ?? envMilliseconds('STATEMENT_TIMEOUT_MS') ?? DEFAULT_STATEMENT_TIMEOUT_MS
  const common = {
    onnotice: () => {},
    connection: {
      // application_name lets `npm run restore` see whether an API process is connected (to this schema)
      application_name: applicationName(schema),
      // Schema first, then public where PostGIS lives.
      ...(schema ? { search_path: `${schema},public` } : {}),
      // Every statement is bounded (PostgreSQL cancels it after this long). PGlite accepts the setting
      // but cannot enforce it: a WebAssembly statement runs to its end.
      statement_timeout: statementTimeoutMs,
    },
    transform: { undefined: null },
  } satisfies postgres.Options<{}>
  if (databaseUrl) {
    const sql = postgres(databaseUrl, { ...common, max: 10 })
    await ensureSchema(sql, schema)
    return { sql, mode: 'external', alive: () => true, close: () => sql.end({ timeout: 5 }) }
  }
  const server: EmbeddedServer = await startEmbedded(dataDir, log)
  // The socket server serves one connection; idle_timeout 0 keeps it for the process's life.
  const sql = postgres({ ...common, host: server.host, port: server.port, user: 'postgres', database: 'postgres', max: 1 })
  await ensureSchema(sql, schema)
  return {
    sql,
    mode: 'embedded',
    alive: server.alive,
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
