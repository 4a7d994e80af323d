/**
 * Editing on the map (issue 11, "Done when"), in real browsers against the real server: the admin
 * creates an editor of 金乡县 on /admin; the editor, on a tablet-sized touch screen, adds a rider stop
 * by tapping, drags it by touch, edits its hours, meets another editor's change (409) and redoes on top
 * of it, opens the history with its diff and restores version 1, then retires it after a confirmation;
 * an editor of 南城县 gets no handle on it and a 403 from the API; a second, anonymous page shows each
 * change within 5 s. Screenshots: test-results/edit-*.png.
 */
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { emptySpot, openEditing as openEditingAt, screenPoint, snap, touchDrag } from './edit-helpers.ts'
import { OUT, startHarness, watch, waitIdle, type Harness } from './harness.ts'

let h: Harness
const RUN = Date.now().toString(36).slice(-5)
const EDITOR = { email: `jx-${RUN}@atlas.test`, password: 'jinxiang-editor-pw' }
const NANCHENG = { email: `nc-${RUN}@atlas.test`, password: 'nancheng-editor-pw', role: 'editor' as const, regions: ['361021'] }
const NAME = `蒜都骑士驿站 ${RUN}`
const TABLET = { width: 1024, height: 1366 }

const ours = async (p: Page) => (await snap(p)).stations.find((s) => s.name === NAME)
const openEditing = (ctx: BrowserContext, viewport: { width: number; height: number }) => openEditingAt(ctx, h.base, viewport)

/** Waits until the anonymous page's display layer shows `check` true of the station; returns the milliseconds it took. */
async function seenWithin(viewer: Page, id: string, check: (props: any) => boolean, what: string): Promise<number> {
  const t0 = Date.now()
  while (Date.now() - t0 < 5000) {
    if (check(await viewer.evaluate((i) => (window as any).__atlas.stationProps(i), id))) return Date.now() - t0
    await viewer.waitForTimeout(100)
  }
  throw new Error(`the second page did not show "${what}" within 5 s`)
}

beforeAll(async () => {
  h = await startHarness()
  await h.createUser(NANCHENG)
})

afterAll(async () => {
  await h?.close()
})

describe('editing on the map', () => {
  test('admin grants 金乡县; the editor adds, drags, edits, meets a conflict, restores v1 and retires on a tablet; 南城县 cannot; others see it in 5 s', async () => {
    // --- the admin creates the editor and grants 金乡县 on /admin ---
    const admin = await h.newContext({ viewport: { width: 1366, height: 768 } })
    await h.signIn(admin)
    const adminPage = (await watch(admin, h.base, '/admin')).page
    await waitIdle(adminPage)
    await adminPage.locator('[data-testid="user-email"]').fill(EDITOR.email)
    await adminPage.locator('[data-testid="user-password"]').fill(EDITOR.password)
    await adminPage.selectOption('[data-testid="user-role"]', 'editor')
    await adminPage.locator('[data-testid="user-regions"] label', { hasText: '金乡县' }).locator('input').check()
    await adminPage.click('[data-testid="user-submit"]')
    await expect.poll(() => adminPage.locator(`tr[data-user="${EDITOR.email}"]`).textContent()).toContain('金乡县')

    // --- a second, anonymous page: the display layer of the station map ---
    const viewerCtx = await h.newContext({ viewport: { width: 1366, height: 768 } })
    const viewer = (await watch(viewerCtx, h.base, '/')).page
    await waitIdle(viewer)
    expect(await viewer.locator('[data-testid="edit-toggle"]').isVisible()).toBe(false) // anonymous: no edit mode
    const seen: Record<string, number> = {}

    // --- the editor, on a tablet with touch ---
    const ed = await h.newContext({ viewport: TABLET, hasTouch: true, isMobile: true })
    await h.signIn(ed, EDITOR.email, EDITOR.password)
    const page = await openEditing(ed, TABLET)
    await page.screenshot({ path: `${OUT}/edit-mode-tablet.png` })

    // tap an empty spot: the form, with every field
    const spot = await emptySpot(page)
    await page.touchscreen.tap(spot.x, spot.y)
    const form = page.locator('[data-testid="edit-form"]')
    await form.waitFor()
    for (const f of ['kind', 'name', 'address', 'opening_hours', 'phone', 'operator', 'capacity', 'status', 'radius_m', 'lon', 'lat']) expect(await form.locator(`[name="${f}"]`).count()).toBe(1)
    expect(await form.locator('[name="amenities"]').count()).toBe(12)
    expect(await form.locator('[name="kind"]').inputValue()).toBe('rider_rest')
    // the page's own rules, naming the field
    await form.locator('[name="opening_hours"]').fill('8点到20点')
    await page.locator('[data-testid="edit-save"]').click()
    expect(await page.textContent('[data-testid="edit-error-name"]')).toBe('名称：必填')
    expect(await page.textContent('[data-testid="edit-error-opening_hours"]')).toMatch(/^开放时间：无法按 OpenStreetMap opening_hours 解析：/)
    await page.screenshot({ path: `${OUT}/edit-form-errors.png` })
    // the server's rule (a point in no county), shown by its field
    await form.locator('[name="name"]').fill(NAME)
    await form.locator('[name="opening_hours"]').fill('Mo-Su 08:00-20:00')
    const lon = await form.locator('[name="lon"]').inputValue()
    await form.locator('[name="lon"]').fill('100')
    await page.locator('[data-testid="edit-save"]').click()
    await expect.poll(() => page.locator('[data-testid="edit-error-lon"]').textContent()).toContain('lies in no region')
    await form.locator('[name="lon"]').fill(lon)
    await form.locator('[data-field="amenities"] label', { hasText: '饮水' }).click()
    await page.locator('[data-testid="edit-save"]').click()
    await expect.poll(async () => (await ours(page))?.version).toBe(1)
    const v1 = (await ours(page))!
    expect(v1.editable).toBe(true)
    seen.add = await seenWithin(viewer, v1.id, (p) => p?.name?.startsWith('蒜都骑士驿站') && p.version === 1, 'the new station')

    // drag it by touch
    const at = (await screenPoint(page, v1.id))!
    await touchDrag(page, at, { x: at.x + 70, y: at.y + 40 })
    await expect.poll(async () => (await ours(page))?.version, { timeout: 10_000 }).toBe(2)
    const v2 = (await ours(page))!
    expect(v2.lon).toBeGreaterThan(v1.lon)
    expect(v2.lat).toBeLessThan(v1.lat)
    seen.move = await seenWithin(viewer, v1.id, (p) => p?.version === 2, 'the move')
    expect(await page.textContent('[data-testid="edit-msg"]')).toContain('已移动')

    // edit its hours
    const at2 = (await screenPoint(page, v1.id))!
    await page.touchscreen.tap(at2.x, at2.y)
    await form.waitFor()
    await form.locator('[name="opening_hours"]').fill('Mo-Fr 09:00-18:00')
    await page.locator('[data-testid="edit-save"]').click()
    await expect.poll(async () => (await ours(page))?.opening_hours).toBe('Mo-Fr 09:00-18:00')
    seen.hours = await seenWithin(viewer, v1.id, (p) => p?.opening_hours === 'Mo-Fr 09:00-18:00', 'the new hours')

    // someone else writes while the form is open: saving shows their change and lets us redo on top
    await page.touchscreen.tap(at2.x, at2.y)
    await form.waitFor()
    await form.locator('[name="operator"]').fill('金乡县总工会')
    const other = await admin.request.patch(`${h.base}/api/stations/${v1.id}`, { headers: { Origin: new URL(h.base).origin }, data: { phone: '0537-8721234', version: 3 } })
    expect(other.status()).toBe(200)
    await page.locator('[data-testid="edit-save"]').click()
    const conflict = page.locator('[data-testid="edit-conflict"]')
    await conflict.waitFor()
    expect(await conflict.textContent()).toContain('第 3 版')
    expect(await conflict.locator('tr[data-field="phone"] td.now').textContent()).toContain('0537-8721234')
    expect(await conflict.locator('tr[data-field="operator"] td.mine').textContent()).toBe('金乡县总工会')
    await page.screenshot({ path: `${OUT}/edit-conflict-tablet.png` })
    await page.locator('[data-testid="conflict-redo"]').click()
    await expect.poll(async () => (await ours(page))?.version).toBe(5)
    const v5 = await (await ed.request.get(`${h.base}/api/stations/${v1.id}`)).json()
    expect(v5.properties).toMatchObject({ phone: '0537-8721234', operator: '金乡县总工会', opening_hours: 'Mo-Fr 09:00-18:00' })

    // the history, field by field, and restore version 1
    const at5 = (await screenPoint(page, v1.id))!
    await page.touchscreen.tap(at5.x, at5.y)
    await form.waitFor()
    await page.locator('[data-testid="edit-history"]').click()
    const v2row = page.locator('[data-testid="history-v2"]')
    await v2row.waitFor()
    expect(await v2row.locator('tr[data-field="position"]').textContent()).toMatch(/→.*移动了 \d+/)
    expect(await page.locator('[data-testid="history-v3"] tr[data-field="opening_hours"]').textContent()).toContain('Mo-Su 08:00-20:00→Mo-Fr 09:00-18:00')
    expect(await page.locator('[data-testid="history-v4"] .history-by').textContent()).toContain('admin@atlas.test')
    await page.screenshot({ path: `${OUT}/edit-history-tablet.png` })
    await page.locator('[data-testid="restore-v1"]').click()
    await page.locator('[data-testid="restore-dialog"] [data-testid="confirm-yes"]').click()
    await expect.poll(async () => (await ours(page))?.version).toBe(6)
    const v6 = (await ours(page))!
    expect([v6.lon, v6.lat, v6.opening_hours]).toEqual([v1.lon, v1.lat, 'Mo-Su 08:00-20:00'])
    await page.locator('[data-testid="history-v6"]').waitFor() // the history shows the restore at once
    seen.restore = await seenWithin(viewer, v1.id, (p) => p?.version === 6 && p.opening_hours === 'Mo-Su 08:00-20:00', 'the restore')

    // --- an editor of 南城县 gets no handle on it, and the API says 403 ---
    const nc = await h.newContext({ viewport: { width: 1366, height: 768 } })
    await h.signIn(nc, NANCHENG.email, NANCHENG.password)
    const ncPage = await openEditing(nc, { width: 1366, height: 768 })
    await expect.poll(async () => (await ours(ncPage))?.editable).toBe(false)
    const ncAt = (await screenPoint(ncPage, v1.id))!
    await ncPage.mouse.move(ncAt.x, ncAt.y)
    await ncPage.mouse.down()
    await ncPage.mouse.move(ncAt.x + 80, ncAt.y + 30, { steps: 5 })
    await ncPage.mouse.up()
    await ncPage.mouse.click(ncAt.x, ncAt.y)
    await expect.poll(() => ncPage.textContent('[data-testid="edit-msg"]')).toContain('没有该地区的编辑权限')
    expect((await ours(ncPage))!.version).toBe(6) // not moved
    expect(await ncPage.locator('[data-testid="edit-form"]').count()).toBe(0)
    const refused = await nc.request.patch(`${h.base}/api/stations/${v1.id}`, { headers: { Origin: new URL(h.base).origin }, data: { name: 'x', version: 6 } })
    expect(refused.status()).toBe(403)

    // --- retire, after a confirmation ---
    await page.touchscreen.tap(at.x, at.y)
    await form.waitFor()
    await page.locator('[data-testid="edit-retire"]').click()
    await page.locator('[data-testid="retire-dialog"]').waitFor()
    await page.screenshot({ path: `${OUT}/edit-retire-tablet.png` })
    await page.locator('[data-testid="retire-dialog"] [data-testid="confirm-yes"]').click()
    await expect.poll(async () => (await ours(page))?.status).toBe('retired')
    seen.retire = await seenWithin(viewer, v1.id, (p) => p === null, 'the retirement')

    console.log('second page saw each change after (ms):', JSON.stringify(seen))
    for (const ms of Object.values(seen)) expect(ms).toBeLessThan(5000)
    for (const c of [admin, viewerCtx, ed, nc]) await c.close()
  })
})
