/** What the edit-mode browser test and its screenshot script share: opening edit mode, finding spots, touch drags. */
import type { BrowserContext, Page } from 'playwright-core'
import { waitIdle, watch } from './harness.ts'

export type Snap = {
  ready: boolean
  sheet: string | null
  message: string | null
  stations: { id: string; name: string; editable: boolean; lon: number; lat: number; version: number; status: string; opening_hours: string | null }[]
}
export const snap = (p: Page) => p.evaluate(() => (window as any).__atlas.edit as Snap)
export const screenPoint = (p: Page, id: string) => p.evaluate((i) => (window as any).__atlas.editScreenPoint(i) as { x: number; y: number } | null, id)
export const waitEditReady = (p: Page) => p.waitForFunction(() => (window as any).__atlas.edit?.ready === true, null, { timeout: 20_000 })

/** Opens the planner, flies to 金乡县, switches edit mode on and zooms in as far as editing needs. */
export async function openEditing(ctx: BrowserContext, base: string, viewport: { width: number; height: number }, lang = 'zh'): Promise<Page> {
  const { page, errors } = await watch(ctx, base, `/?lang=${lang}`, viewport)
  await waitIdle(page)
  await page.locator('[data-fly="370828"]').click()
  await page.locator('[data-testid="edit-toggle"]').click()
  await page.locator('[data-testid="edit-zoom-in"]').click()
  await waitEditReady(page)
  if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`)
  return page
}

/** A point of the map with no station within 40 px (where a tap adds one). */
export async function emptySpot(p: Page): Promise<{ x: number; y: number }> {
  const box = (await p.locator('#map').boundingBox())!
  const s = await snap(p)
  const points = (await Promise.all(s.stations.map((x) => screenPoint(p, x.id)))).filter((x): x is { x: number; y: number } => !!x)
  for (let r = 0; r < 200; r += 20) {
    for (const [dx, dy] of [[0, 0], [1, 0], [0, 1], [-1, 0], [0, -1], [1, 1], [-1, -1]] as const) {
      const c = { x: box.x + box.width / 2 + dx * r, y: box.y + box.height / 2 + dy * r }
      if (points.every((q) => Math.hypot(q.x - c.x, q.y - c.y) > 40)) return c
    }
  }
  throw new Error('no empty spot on the map')
}

/** A touch drag, as a finger makes it (CDP touch events: Chromium turns them into touch and pointer events). */
export async function touchDrag(p: Page, from: { x: number; y: number }, to: { x: number; y: number }): Promise<void> {
  const cdp = await p.context().newCDPSession(p)
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [{ x: from.x, y: from.y }] })
  for (let i = 1; i <= 8; i++) {
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: [{ x: from.x + ((to.x - from.x) * i) / 8, y: from.y + ((to.y - from.y) * i) / 8 }] })
  }
  await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] })
  await cdp.detach()
}
