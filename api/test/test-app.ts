import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { startApi, type StartOptions } from '../src/start.ts'

/**
 * Starts the real API on a fresh database for one test file: a copy of the embedded template,
 * or — with DATABASE_URL — a schema of its own on that server, dropped afterwards.
 */
export async function startTestApi(options: Pick<StartOptions, 'seedFiles' | 'limits' | 'auth' | 'firstAdmin' | 'work' | 'http'> = {}) {
  const databaseUrl = process.env.DATABASE_URL
  let dataDir: string | undefined
  let schema: string | undefined
  if (databaseUrl) {
    schema = `test_${process.pid}_${Math.random().toString(36).slice(2, 8)}`
  } else {
    dataDir = mkdtempSync(join(tmpdir(), 'atlas-test-db-'))
    cpSync(inject('pgTemplateDir'), dataDir, { recursive: true })
  }
  const api = await startApi({ databaseUrl, dataDir, schema, ...options })
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
      if (dataDir) rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
