/**
 * Screenshots of the edit mode for looking at by eye: the mode on the map, the form with a message,
 * the 409 conflict and the history diff, at 1366×768, 390×844 (phone) and 1024×1366 (tablet), zh and en.
 *
 *   npx tsx web/test/edit-screenshots.ts OUT_DIR            (builds the page, starts a fresh server)
 *   ATLAS_URL=http://127.0.0.1:PORT npx tsx web/test/edit-screenshots.ts OUT_DIR
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Page } from 'playwright-core'
import { emptySpot, openEditing, screenPoint, snap, touchDrag } from './edit-helpers.ts'
import { buildPage, CHROMIUM_ARGS, signIn, startServer } from './harness.ts'

const out = process.argv[2] ?? 'test-results/edit-screens'
mkdirSync(out, { recursive: true })
const tmp = mkdtempSync(join(tmpdir(), 'atlas-edit-screens-'))
let base = process.env.ATLAS_URL ?? ''
let stop = () => {}
if (!base) {
  buildPage(join(tmp, 'web'))
  const started = await startServer(join(tmp, 'web'), join(tmp, 'db'))
  base = started.url
  stop = () => started.child.pid && process.kill(-started.child.pid, 'SIGTERM')
}

const sizes = [
  { name: 'desktop', viewport: { width: 1366, height: 768 }, touch: false },
  { name: 'phone', viewport: { width: 390, height: 844 }, touch: true },
  { name: 'tablet', viewport: { width: 1024, height: 1366 }, touch: true },
]
const tap = (p: Page, touch: boolean, at: { x: number; y: number }) => (touch ? p.touchscreen.tap(at.x, at.y) : p.mouse.click(at.x, at.y))

try {
  for (const size of sizes) {
    for (const lang of ['zh', 'en'] as const) {
      const ctx = await chromium.launchPersistentContext(join(tmp, `chromium-${size.name}-${lang}`), {
        executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: size.viewport, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
        ...(size.touch ? { hasTouch: true, isMobile: true, deviceScaleFactor: size.name === 'phone' ? 2 : 1 } : {}),
      })
      await signIn(ctx, base)
      const page = await openEditing(ctx, base, size.viewport, lang)
      const shot = async (what: string) => {
        await page.waitForTimeout(400)
        await page.screenshot({ path: join(out, `edit-${what}-${size.name}-${lang}.png`) })
      }
      const name = `${lang === 'zh' ? '骑士驿站' : 'Rider stop'} ${size.name} ${Date.now().toString(36).slice(-4)}`
      // add one by tapping, with a message by a field first
      await tap(page, size.touch, await emptySpot(page))
      await page.locator('[data-testid="edit-form"]').waitFor()
      await page.fill('[name="opening_hours"]', 'Mo-Fr 8-20')
      await page.click('[data-testid="edit-save"]')
      await shot('form')
      await page.fill('[name="name"]', name)
      await page.fill('[name="opening_hours"]', 'Mo-Su 08:00-20:00')
      await page.click('[data-testid="edit-save"]')
      await page.waitForFunction((n) => (window as any).__atlas.edit.stations.some((s: { name: string }) => s.name === n), name)
      await shot('mode')
      const st = (await snap(page)).stations.find((s) => s.name === name)!
      // someone else changes it while the form is open
      await tap(page, size.touch, (await screenPoint(page, st.id))!)
      await page.locator('[data-testid="edit-form"]').waitFor()
      await page.fill('[name="opening_hours"]', 'Mo-Fr 09:00-18:00')
      const other = await ctx.request.patch(`${base}/api/stations/${st.id}`, { headers: { Origin: new URL(base).origin }, data: { phone: '0537-8721234', lat: st.lat + 0.002, lon: st.lon, version: st.version } })
      if (!other.ok()) throw new Error(`the other write: HTTP ${other.status()} ${await other.text()}`)
      await page.click('[data-testid="edit-save"]')
      await page.locator('[data-testid="edit-conflict"]').waitFor({ timeout: 10_000 }).catch(async (err) => {
        await page.screenshot({ path: join(out, `failed-${size.name}-${lang}.png`) })
        throw err
      })
      await shot('conflict')
      await page.click('[data-testid="conflict-redo"]')
      await page.locator('[data-testid="edit-sheet"]').waitFor({ state: 'hidden' })
      // move it: a mouse drag on the desktop, a finger on the phone and tablet
      const from = (await screenPoint(page, st.id))!
      if (size.touch) await touchDrag(page, from, { x: from.x + 40, y: from.y + 30 })
      else {
        await page.mouse.move(from.x, from.y)
        await page.mouse.down()
        await page.mouse.move(from.x + 40, from.y + 30, { steps: 6 })
        await page.mouse.up()
      }
      await page.waitForFunction(([n, v]) => (window as any).__atlas.edit.stations.some((s: { name: string; version: number }) => s.name === n && s.version === v), [name, st.version + 3] as const)
      const now = (await snap(page)).stations.find((s) => s.name === name)!
      await tap(page, size.touch, (await screenPoint(page, now.id))!)
      await page.click('[data-testid="edit-history"]')
      await page.locator('[data-testid="history-list"]').waitFor()
      await shot('history')
      console.log(size.name, lang, 'done')
      await ctx.close()
    }
  }
} finally {
  stop()
  rmSync(tmp, { recursive: true, force: true })
}
