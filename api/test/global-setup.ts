import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { PGlite } from '@electric-sql/pglite'
import { postgis } from '@electric-sql/pglite-postgis'

declare module 'vitest' {
  export interface ProvidedContext {
    /** an embedded data directory with PostGIS already unpacked, to copy per test file */
    pgTemplateDir: string
  }
}

/**
 * Unpacking PostGIS into a fresh PGlite takes ~10 s; do it once and let each test file copy the
 * directory (~2 s to open). Against an external server (DATABASE_URL) there is nothing to prepare.
 */
export default async function setup(project: TestProject) {
  if (process.env.DATABASE_URL) {
    project.provide('pgTemplateDir', '')
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'atlas-pg-template-'))
  const db = await PGlite.create({ dataDir: dir, extensions: { postgis } })
  await db.exec('CREATE EXTENSION IF NOT EXISTS postgis')
  await db.close()
  project.provide('pgTemplateDir', dir)
  return () => rmSync(dir, { recursive: true, force: true })
}
