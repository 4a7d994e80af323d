import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { TestProject } from 'vitest/node'

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
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', dir, '--emptyOutDir'], { stdio: 'inherit' })
  project.provide('webRoot', dir)
  return () => rmSync(dir, { recursive: true, force: true })
}
