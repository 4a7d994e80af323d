/**
 * `npm start`'s page build: runs `vite build` into dist/web only when an input of the page changed
 * since the build that is there, so a restart does not spend ~6 s rebuilding the same page.
 *
 * The inputs are what the last build really read, recorded by a small plugin: every module outside
 * node_modules (web/, and the api/src/core and schemas files the page imports), plus web/public/**,
 * vite.config.ts, package-lock.json (which pins everything in node_modules) and this script. Their
 * SHA-256s are stored in dist/web-build.json, beside dist/web rather than in it, so the server never
 * serves the list. Any difference, a missing file or a missing dist/web/index.html means: build.
 *
 *   npm start                       # builds only when needed (scripts/start.ts)
 *   npm run build-page [-- --force] # the same check (or a forced build) on its own
 */
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const ROOT = fileURLToPath(new URL('../', import.meta.url))
const OUT_DIR = join(ROOT, 'dist/web')
const STAMP = join(ROOT, 'dist/web-build.json')
/** Always inputs, whatever the module graph says. */
const FIXED_INPUTS = ['vite.config.ts', 'package-lock.json', 'scripts/build-page.ts']
/** Candidate page entries (vite.config.ts builds those that exist): a new page must trigger a build. */
const ENTRIES = ['web/index.html', 'web/rider/index.html', 'web/tour/index.html', 'web/reports/index.html']

interface Stamp {
  /** repository-relative path → SHA-256 (hex), or null for an entry that did not exist */
  inputs: Record<string, string | null>
  built_at: string
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex')

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return []
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    return statSync(path).isDirectory() ? filesUnder(path) : [path]
  })
}

/** The inputs every build has, module graph aside. */
function fixedInputs(): string[] {
  return [...FIXED_INPUTS, ...ENTRIES, ...filesUnder(join(ROOT, 'web/public')).map((p) => relative(ROOT, p))]
}

/** Why the page must be built, or null when dist/web is up to date. */
export function staleReason(): string | null {
  if (!existsSync(join(OUT_DIR, 'index.html'))) return 'dist/web has no build'
  if (!existsSync(STAMP)) return 'no record of what dist/web was built from'
  let stamp: Stamp
  try {
    stamp = JSON.parse(readFileSync(STAMP, 'utf8')) as Stamp
  } catch {
    return 'dist/web-build.json is unreadable'
  }
  const paths = new Set([...Object.keys(stamp.inputs), ...fixedInputs()])
  for (const path of paths) {
    const abs = join(ROOT, path)
    const now = existsSync(abs) ? sha256(abs) : null
    if (now !== (stamp.inputs[path] ?? null)) return `${path} changed`
  }
  return null
}

/** Records every module the build loads from outside node_modules. */
function recordInputs(into: Set<string>): Plugin {
  return {
    name: 'atlas:record-build-inputs',
    buildEnd() {
      for (const id of this.getModuleIds()) {
        const file = id.split('?')[0]!
        if (file.startsWith('\0') || file.includes('/node_modules/') || !file.startsWith(ROOT) || !existsSync(file)) continue
        into.add(relative(ROOT, file))
      }
    },
  }
}

/** Runs `vite build` (vite.config.ts, into dist/web) and records its inputs. */
export async function buildPage(): Promise<void> {
  const { build } = await import('vite')
  const modules = new Set<string>()
  await build({ configFile: join(ROOT, 'vite.config.ts'), plugins: [recordInputs(modules)], logLevel: 'warn' })
  const inputs: Stamp['inputs'] = {}
  for (const path of [...new Set([...modules, ...fixedInputs()])].sort()) {
    const abs = join(ROOT, path)
    inputs[path] = existsSync(abs) ? sha256(abs) : null
  }
  writeFileSync(STAMP, `${JSON.stringify({ inputs, built_at: new Date().toISOString() } satisfies Stamp, null, 1)}\n`)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const t0 = performance.now()
  const quiet = process.argv.includes('--quiet')
  const reason = process.argv.includes('--force') ? '--force' : staleReason()
  if (reason === null) {
    console.log(`page: dist/web is up to date with its sources (checked in ${Math.round(performance.now() - t0)} ms), not rebuilding`)
  } else {
    if (!quiet) console.log(`page: building dist/web (${reason})…`)
    await buildPage()
    if (!quiet) console.log(`page: built in ${((performance.now() - t0) / 1000).toFixed(1)} s`)
  }
}
