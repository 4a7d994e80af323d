import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { startApi, type StartOptions } from '../src/start.ts'

/**
 * Starts the real API on a fresh database for one test file: a copy of the embedded template,
 * or — with DATABASE_URL — a schema of its own on that server, dropped afterwards.
 */
export async function startTestApi(options: Pick<StartOptions, 'seedFiles' | 'limits' | 'auth' | 'firstAdmin' | 'work' | 'http'> & { inMemory?: boolean } = {}) {
  const { inMemory, ...startOptions } = options
  const databaseUrl = process.env.DATABASE_URL
  let dataDir: string | undefined
  let schema: string | undefined
  if (databaseUrl) {
    schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  } else if (inMemory) {
    // memory://: PostGIS is installed afresh (≈ 5 s more at start), but no statement waits for the disk
    dataDir = 'memory://'
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'atlas-test-db-'))
    cpSync(inject('pgTemplateDir'), dataDir, { recursive: true })
  }
  const api = await startApi({ databaseUrl, dataDir, schema, ...startOptions })
  const request = (path: string, init?: RequestInit) => api.app.request(path, init)
  return {
    ...api,
    request,
    /** GET a path and parse its JSON body */
    async get<T = any>(path: string): Promise<{ status: number; body: T; headers: Headers }> {
      const res = await request(path)
      return { status: res.status, body: (await res.json()) as T, headers: res.headers }
    },
    async close() {
      if (schema) await api.sql.unsafe(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`)
      await api.close()
      if (dataDir && !inMemory) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
