import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'
import { buildPage } from './harness.ts'

declare module 'vitest' {
  export interface ProvidedContext {
    /** the page built once for every browser test file (empty with ATLAS_URL: nothing to build) */
    webRoot: string
  }
}

/** One `vite build` for all browser test files, into a folder of its own (never the shared dist/). */
export default function setup(project: TestProject) {
  if (process.env.ATLAS_URL) {
    project.provide('webRoot', '')
    return
  }
  const dir = mkdtempSync(join(tmpdir(), 'atlas-web-'))
  buildPage(dir)
  project.provide('webRoot', dir)
  return () => rmSync(dir, { recursive: true, force: true })
}
