/**
 * What every browser test shares: the page built once per run, the real server on a fresh embedded database,
 * headless Chromium with the DESIGN §8 flags, and pages that may not leave the app's origin.
 *
 * ATLAS_URL=http://127.0.0.1:PORT skips the build and the server (for a server already running).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core'
import { expect, inject } from 'vitest'

export const OUT = 'test-results'
/** The first admin every test server starts with (ADMIN_EMAIL / ADMIN_PASSWORD; a test-only password ≥ 12 characters). */
export const ADMIN_EMAIL = 'admin@atlas.test'
export const ADMIN_PASSWORD = 'test-admin-password-2026'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export interface Watched {
  page: Page
  /** requests that tried to leave the app's origin */
  offOrigin: string[]
  /** uncaught page errors and Content-Security-Policy violations */
  errors: string[]
}

export interface Harness {
  base: string
  context: BrowserContext
  /** opens a page at `path` with off-origin requests blocked; `before` runs before navigation; waits for nothing else */
  open(path: string, viewport?: { width: number; height: number }, before?: (page: Page) => void | Promise<void>): Promise<Watched>
  /** a second browser context (own storage, geolocation, network) on the same server */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>
  /** signs `context` in (POST /api/auth/login from the page's origin, so the session cookie lands in it) */
  signIn(context: BrowserContext, email?: string, password?: string): Promise<void>
  /** creates an account through the API as the admin (no-op if it exists) */
  createUser(user: { email: string; password: string; role: 'admin' | 'editor'; regions?: string[] }): Promise<void>
  close(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number }
      s.close(() => resolve(port))
    })
  })
}

/** This environment minus anything that would point the page at an online basemap or database. */
function offlineEnv(): NodeJS.ProcessEnv {
  const { BASEMAP_STYLE_URL: _s, BASEMAP_ATTRIBUTION: _a, DATABASE_URL: _d, TIANDITU_KEY: _t, ROADS_FILE: _r, ...env } = process.env
  return env
}

/** Builds the page into `outDir` (never the shared dist/, so builds may run side by side). */
export function buildPage(outDir: string): void {
  execFileSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build', '--logLevel', 'warn', '--outDir', outDir, '--emptyOutDir'], { stdio: 'inherit' })
}

/** Starts the real server on a built page and a fresh embedded database; resolves with its URL. `args`: the server's flags (api/src/server.ts). */
export function startServer(webRoot: string, dataDir: string, extraEnv: NodeJS.ProcessEnv = {}, args: string[] = []): Promise<{ url: string; child: ChildProcess }> {
  return freePort().then((port) => {
    // node itself (not npx) in its own process group, so the whole tree stops with one signal
    const child = spawn(process.execPath, ['--import', 'tsx', 'api/src/server.ts', ...args], {
      env: { ...offlineEnv(), PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, WEB_ROOT: webRoot, ADMIN_EMAIL, ADMIN_PASSWORD, ...extraEnv },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    })
    let log = ''
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`server did not start in 180 s:\n${log}`)), 180_000)
      const onData = (chunk: Buffer) => {
        log += chunk.toString()
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(log)
        if (m) {
          clearTimeout(timer)
          resolve({ url: m[1]!, child })
        }
      }
      child.stdout!.on('data', onData)
      child.stderr!.on('data', onData)
      child.once('exit', (code) => reject(new Error(`server exited (${code}):\n${log}`)))
    })
  })
}

/** Opens `path` on a new page of `context`, blocking (and recording) every request that leaves the app's origin. */
export async function watch(
  context: BrowserContext,
  base: string,
  path: string,
  viewport?: { width: number; height: number },
  before?: (page: Page) => void | Promise<void>,
): Promise<Watched> {
  const page = await context.newPage()
  if (viewport) await page.setViewportSize(viewport)
  const origin = new URL(base).origin
  const offOrigin: string[] = []
  const errors: string[] = []
  await page.route('**/*', (route) => {
    const url = route.request().url()
    if (url.startsWith('data:') || url.startsWith('blob:') || new URL(url).origin === origin) return route.continue()
    offOrigin.push(url)
    return route.abort('blockedbyclient')
  })
  page.on('pageerror', (e) => errors.push(e.message))
  // Every CSP violation fails the page's test: reported by the page itself, and by Chromium's console
  // (which also sees the workers and the service worker).
  await page.exposeFunction('__atlasCspViolation', (v: string) => errors.push(`CSP: ${v}`))
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      (window as unknown as { __atlasCspViolation(v: string): void }).__atlasCspViolation(`${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`),
    )
  })
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(`CSP (console): ${m.text()}`)
  })
  await before?.(page)
  await page.goto(base + path)
  return { page, offOrigin, errors }
}

/**
 * Signs `context` in as `email`: the login request goes through the context's own request API with
 * the app's Origin, as the sign-in page's would, so the http-only session cookie is the context's.
 */
export async function signIn(context: BrowserContext, base: string, email = ADMIN_EMAIL, password = ADMIN_PASSWORD): Promise<void> {
  const res = await context.request.post(`${base}/api/auth/login`, { data: { email, password }, headers: { Origin: new URL(base).origin } })
  if (!res.ok()) throw new Error(`sign-in as ${email}: HTTP ${res.status()} ${await res.text()}`)
}

/** Creates an account as the admin (an existing e-mail is left as it is). */
export async function createUser(base: string, user: { email: string; password: string; role: 'admin' | 'editor'; regions?: string[] }): Promise<void> {
  const origin = new URL(base).origin
  const login = await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ email: ADMIN_EMAIL, password: ADMIN_PASSWORD }) })
  if (!login.ok) throw new Error(`admin sign-in: HTTP ${login.status} ${await login.text()}`)
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
  const res = await fetch(`${base}/api/users`, { method: 'POST', headers: { 'content-type': 'application/json', origin, cookie }, body: JSON.stringify({ regions: [], ...user }) })
  if (!res.ok && res.status !== 409) throw new Error(`create ${user.email}: HTTP ${res.status} ${await res.text()}`)
}

/** Starts the server on the page built for this run (a fresh embedded database) and launches Chromium. Call in beforeAll. */
export async function startHarness(options: { env?: NodeJS.ProcessEnv } = {}): Promise<Harness> {
  mkdirSync(OUT, { recursive: true })
  const tmpDirs: string[] = []
  const tmp = (prefix: string) => {
    const dir = mkdtempSync(join(tmpdir(), prefix))
    tmpDirs.push(dir)
    return dir
  }
  let base = process.env.ATLAS_URL ?? ''
  let child: ChildProcess | undefined
  if (!base) {
    // built once per run by web/test/global-setup.ts
    const started = await startServer(inject('webRoot'), tmp('atlas-db-'), options.env)
    base = started.url
    child = started.child
  }
  const contexts: BrowserContext[] = []
  const newContext = async (options: BrowserContextOptions = {}) => {
    const ctx = await chromium.launchPersistentContext(tmp('atlas-chromium-'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, ...options })
    contexts.push(ctx)
    return ctx
  }
  const context = await newContext()
  return {
    base,
    context,
    open: (path, viewport, before) => watch(context, base, path, viewport, before),
    newContext,
    signIn: (ctx, email, password) => signIn(ctx, base, email, password),
    createUser: (user) => createUser(base, user),
    async close() {
      for (const ctx of contexts) await ctx.close().catch(() => {})
      if (child?.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM')
        } catch {
          /* already gone */
        }
      }
      for (const dir of tmpDirs) rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Waits until the page's `window.__atlas.idle` is true (or it reports an error, which fails the test). */
export async function waitIdle(page: Page, timeout = 60_000): Promise<void> {
  await page.waitForFunction(() => (window as any).__atlas?.idle === true || !!(window as any).__atlas?.error, null, { timeout })
  const error = await page.evaluate(() => (window as any).__atlas.error)
  expect(error).toBeNull()
}
