/**
 * Screenshots of every page in zh and en at the sizes they are made for (DESIGN §8), for comparing a
 * change's before and after by eye: `npx tsx web/test/screenshots.ts OUT_DIR` builds the page, starts
 * the real server on a fresh embedded database and writes OUT_DIR/<page>-<lang>.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { buildPage, CHROMIUM_ARGS, signIn, startServer } from './harness.ts'

const out = process.argv[2] ?? 'test-results/screens'
mkdirSync(out, { recursive: true })
const tmp = mkdtempSync(join(tmpdir(), 'atlas-screens-'))
const webRoot = join(tmp, 'web')
buildPage(webRoot)
const { url: base, child } = await startServer(webRoot, join(tmp, 'db'))

// Predicates are functions, not strings: the pages' CSP has no 'unsafe-eval', so a string predicate
// (evaluated with eval in the page) never runs and the wait times out.
type Atlas = { idle?: boolean; error?: string; step?: number; planReady?: boolean; gapsReady?: boolean }
const idle = (page: Page, plan = false) =>
  page.waitForFunction(
    (p) => {
      const a = (window as unknown as { __atlas?: Atlas }).__atlas
      return (a?.idle === true && (!p || (a.planReady === true && a.gapsReady === true))) || !!a?.error
    },
    plan,
    { timeout: 180_000, polling: 250 },
  )
const statusHasNumber = (page: Page, signedIn: boolean) =>
  page.waitForFunction(
    (s) => /\d/.test(document.getElementById('status')?.textContent ?? '') && (!s || !!document.querySelector('[data-testid="account-button"]')),
    signedIn,
    { timeout: 60_000 },
  )

interface Shot {
  name: string
  path: string
  viewport: { width: number; height: number }
  phone?: boolean
  /** signed in as the test admin first */
  admin?: boolean
  ready(page: Page): Promise<unknown>
}
const shots: Shot[] = [
  { name: 'planner', path: '/', viewport: { width: 1366, height: 768 }, ready: (p) => idle(p) },
  { name: 'planner-plan', path: '/?tab=plan&region=370828&kind=rider_rest', viewport: { width: 1366, height: 768 }, ready: (p) => idle(p, true) },
  { name: 'rider', path: '/rider', viewport: { width: 390, height: 844 }, phone: true, ready: (p) => idle(p) },
  {
    name: 'tour',
    path: '/tour?dwell=600',
    viewport: { width: 1920, height: 1080 },
    ready: (p) =>
      p.waitForFunction(() => {
        const a = (window as unknown as { __atlas?: Atlas }).__atlas
        return (a?.step === 0 && a.idle === true) || !!a?.error
      }, null, { timeout: 240_000, polling: 250 }),
  },
  {
    name: 'reports',
    path: '/reports',
    viewport: { width: 1366, height: 768 },
    ready: (p) => statusHasNumber(p, false),
  },
  {
    name: 'reports-admin',
    path: '/reports',
    viewport: { width: 1366, height: 768 },
    admin: true,
    ready: (p) => statusHasNumber(p, true),
  },
  { name: 'signin', path: '/signin?next=/reports', viewport: { width: 1366, height: 768 }, ready: (p) => idle(p) },
  { name: 'signin-phone', path: '/signin', viewport: { width: 390, height: 844 }, phone: true, ready: (p) => idle(p) },
  { name: 'admin', path: '/admin', viewport: { width: 1366, height: 768 }, admin: true, ready: (p) => idle(p) },
  { name: 'admin-phone', path: '/admin', viewport: { width: 390, height: 844 }, phone: true, admin: true, ready: (p) => idle(p) },
  { name: 'planner-plan-admin', path: '/?tab=plan&region=370828&kind=rider_rest', viewport: { width: 1366, height: 768 }, admin: true, ready: (p) => idle(p, true) },
]
// only these: `npx tsx web/test/screenshots.ts OUT signin admin`
const only = process.argv.slice(3)

// one report, so /reports shows a row
const station = ((await (await fetch(`${base}/api/stations?region=370828&limit=1`)).json()) as { features: { id: string }[] }).features[0]!
await fetch(`${base}/api/stations/${station.id}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem: 'no_water', note: '饮水机坏了 / water dispenser broken', lon: 116.311, lat: 35.067 }) })

try {
  for (const shot of shots.filter((x) => !only.length || only.includes(x.name))) {
    for (const lang of ['zh', 'en'] as const) {
      const ctx = await chromium.launchPersistentContext(join(tmp, `chromium-${shot.name}-${lang}`), {
        executablePath: '/usr/bin/chromium',
        args: CHROMIUM_ARGS,
        viewport: shot.viewport,
        locale: 'zh-CN',
        timezoneId: 'Asia/Shanghai',
        ...(shot.phone ? { deviceScaleFactor: 2, isMobile: true, hasTouch: true, geolocation: { longitude: 116.311, latitude: 35.067 }, permissions: ['geolocation'] } : {}),
      })
      if (shot.admin) await signIn(ctx, base)
      const page = await ctx.newPage()
      const sep = shot.path.includes('?') ? '&' : '?'
      await page.goto(`${base}${shot.path}${sep}lang=${lang}`)
      await shot.ready(page)
      await page.waitForTimeout(500)
      const file = join(out, `${shot.name}-${lang}.png`)
      await page.screenshot({ path: file })
      console.log(file, await page.evaluate(() => (window as unknown as { __atlas?: Atlas }).__atlas?.error ?? ''))
      await ctx.close()
    }
  }
} finally {
  if (child.pid) process.kill(-child.pid, 'SIGTERM')
  // Chromium's helpers may still be writing their profile as the context closes: retry the removal
  rmSync(tmp, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 })
}
