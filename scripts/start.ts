/**
 * `npm start`: the page and the server together. The page is rebuilt only when its sources changed
 * (scripts/build-page.ts); when it must be, the build runs in a child process while the server opens
 * the database (PGlite is single-threaded, the build mostly native and multi-threaded, so they overlap),
 * and page requests wait for it. The "listening on" line comes when both are ready. The bundled demand
 * layers load after the server listens (demand, coverage, gaps, siting and scenario saves wait for them).
 */
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { runServer } from '../api/src/server.ts'
import { staleReason } from './build-page.ts'

function buildInChild(reason: string): Promise<void> {
  const t0 = performance.now()
  console.log(`page: building dist/web (${reason}), while the database starts…`)
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./build-page.ts', import.meta.url)), '--force', '--quiet'], { stdio: 'inherit' })
  return new Promise((resolve, reject) => {
    child.once('error', reject)
    child.once('exit', (code) => {
      if (code !== 0) return reject(new Error(`page build failed (exit ${code})`))
      console.log(`page: built in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
      resolve()
    })
  })
}

const reason = staleReason()
if (reason === null) console.log('page: dist/web is up to date with its sources, not rebuilding')
const pageReady = reason === null ? Promise.resolve() : buildInChild(reason)
pageReady.catch((err: Error) => {
  console.error(err.message)
  process.exit(1)
})
await runServer({ pageReady, demandInBackground: true })
