/**
 * The import page in a real browser against the real server: an editor of 金乡县 signs in, picks the
 * GCJ-02 workbook with Chinese headers (api/test/fixtures/import/), reads the dry run (28 new, 2 to
 * place, on the map and in the table), places both address-only rows by clicking the map, applies,
 * sees the 30 stations on the map and in /api/stations, and exports .xlsx holding them.
 * Screenshots: test-results/import-*.png (1366×768 and 390×844, zh and en).
 */
import ExcelJS from 'exceljs'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { ImportHooks } from '../src/import/main.ts'
import type { StationCollection } from '../src/types.ts'
import { OUT, startHarness, waitIdle, type Harness } from './harness.ts'

let h: Harness
const EDITOR = { email: 'import-editor@atlas.test', password: 'import-editor-password', role: 'editor' as const, regions: ['370828'] }
const XLSX = 'api/test/fixtures/import/jinxiang-gcj02.xlsx'

const hooks = (page: Page) => page.evaluate(() => {
  const a = (window as unknown as { __atlas: ImportHooks }).__atlas
  return { counts: a.counts, applied: a.applied, idle: a.idle, error: a.error, points: a.mapPoints() }
})

async function settled(page: Page, ok: (x: Awaited<ReturnType<typeof hooks>>) => boolean) {
  await page.waitForFunction(() => (window as any).__atlas?.idle === true || !!(window as any).__atlas?.error, null, { timeout: 30_000 })
  for (let i = 0; i < 200; i++) {
    const x = await hooks(page)
    expect(x.error).toBeNull()
    if (x.idle && ok(x)) return x
    await page.waitForTimeout(100)
  }
  throw new Error(`page did not settle: ${JSON.stringify(await hooks(page)).slice(0, 300)}`)
}

beforeAll(async () => {
  h = await startHarness()
  await h.createUser(EDITOR)
})
afterAll(async () => {
  await h?.close()
})

describe('import page', () => {
  test('asks for a sign-in when nobody is signed in', async () => {
    const ctx = await h.newContext()
    const page = await ctx.newPage()
    await page.goto(`${h.base}/import`)
    await page.locator('[data-testid="import-gate"] [data-testid="signin-link"]').waitFor({ timeout: 30_000 })
    await ctx.close()
  })

  test('dry run, place, apply, see on the map, export', async () => {
    await h.signIn(h.context, EDITOR.email, EDITOR.password)
    const { page, errors, offOrigin } = await h.open('/import', { width: 1366, height: 768 })
    await waitIdle(page)
    await page.locator('[data-testid="import-crs"]').selectOption('gcj02')
    await page.locator('[data-testid="import-file"]').setInputFiles(XLSX)
    const dry = await settled(page, (x) => x.counts !== null)
    expect(dry.counts).toEqual({ create: 28, update: 0, unchanged: 0, reject: 0, to_place: 2 })
    expect(dry.points.filter((p) => p.action === 'create').length).toBe(28)
    await expect.poll(() => page.locator('[data-testid="import-rows"] tbody tr').count()).toBe(30)
    expect(await page.locator('[data-testid="import-sheet"]').inputValue()).toBe('驿站台账')
    expect(await page.locator('[data-testid="import-apply"]').isDisabled()).toBe(true)
    await page.screenshot({ path: `${OUT}/import-dry-run-1366-zh.png` })

    // place both address-only rows: the finder opens pre-filled with the township of the address,
    // flies the map there, and a click (away from any station) places the row
    const box = (await page.locator('#map').boundingBox())!
    const addresses = ['金乡县王丕街道建设路38号', '金乡县鱼山街道建设路39号']
    for (const [i, btn] of (await page.locator('[data-testid^="place-"]').all()).entries()) {
      await btn.click()
      await page.locator('#maphint').waitFor({ state: 'visible' })
      expect(await page.locator('.im-find-address').textContent()).toBe(addresses[i])
      expect(await page.locator('[data-testid="place-search"]').inputValue()).toBe(addresses[i]!.slice(3, 7))
      await page.locator('[data-testid="place-hit"]').first().waitFor()
      const first = page.locator('[data-testid="place-hit"]').first()
      expect(await first.textContent()).toContain(addresses[i]!.slice(3, 7))
      if (i === 0) await page.screenshot({ path: `${OUT}/import-place-search-1366-zh.png` })
      // a township only known by its county's centre says so
      await page.locator('[data-testid="place-search"]').fill('鸡黍')
      await expect.poll(() => page.locator('[data-testid="place-hit"]').first().getAttribute('data-approx')).toBe('true')
      expect(await page.locator('[data-testid="place-approx"]').first().textContent()).toMatch(/大致位置/)
      await page.locator('[data-testid="place-hit"]').first().click()
      await settled(page, () => true)
      const there = await page.evaluate(() => (window as any).__atlas.view())
      const jishu = JSON.parse(readFileSync('data/places.json', 'utf8')).places.find((p: { name: string }) => p.name === '鸡黍镇')
      expect(Math.abs(there.center[0] - jishu.lon) + Math.abs(there.center[1] - jishu.lat)).toBeLessThan(1e-3)
      expect(there.zoom).toBeCloseTo(11, 1)
      // a click at least 80 m from every station (a duplicate within 50 m would be refused)
      let at: [number, number] | null = null
      for (let k = 0; k < 20 && !at; k++) {
        const x = box.width / 2 + 40 + k * 25 + i * 12
        const y = box.height / 2 + 20 + i * 20
        const ll = await page.evaluate(([px, py]) => (window as any).__atlas.lngLatAt(px, py), [x, y])
        const near = await (await fetch(`${h.base}/api/nearest?lon=${ll[0]}&lat=${ll[1]}&limit=1`)).json() as { features: Array<{ properties: { distance_m: number } }> }
        if ((near.features[0]?.properties.distance_m ?? Infinity) > 80) at = [x, y]
      }
      await page.mouse.click(box.x + at![0], box.y + at![1])
      await settled(page, (x) => x.counts!.to_place === 1 - i)
    }
    const placed = await hooks(page)
    expect(placed.counts).toMatchObject({ create: 30, to_place: 0 })
    expect(await page.locator('[data-testid="import-apply"]').isDisabled()).toBe(false)

    await page.evaluate(() => void ((window as any).__atlas.progressSeen.length = 0))
    await page.locator('[data-testid="import-apply"]').click()
    const applied = await settled(page, (x) => x.applied !== null)
    // the bar moved through the upload, then the rows read, checked and written, each to its total
    const applySeen = await page.evaluate(() => (window as any).__atlas.progressSeen as Array<{ phase: string; done: number; total: number | null }>)
    const last = (phase: string) => applySeen.filter((p) => p.phase === phase).at(-1)
    expect([...new Set(applySeen.map((p) => p.phase))]).toEqual(['upload', 'read', 'check', 'write'])
    expect(last('upload')!.done).toBe(last('upload')!.total)
    expect(last('read')).toMatchObject({ done: 30, total: 30 })
    expect(last('write')).toMatchObject({ done: 30, total: 30 })
    expect(applied.points.length).toBe(30)
    await expect.poll(() => page.locator('[data-testid="import-message"]').textContent()).toMatch(/新建 30/)
    await page.screenshot({ path: `${OUT}/import-applied-1366-zh.png` })
    const res = await fetch(`${h.base}/api/stations?region=370828&limit=1000`)
    const mine = ((await res.json()) as StationCollection).features.filter((f) => f.properties.external_id?.startsWith('JX-'))
    expect(mine.length).toBe(30)
    expect(mine.every((f) => f.properties.source === 'import')).toBe(true)

    await page.locator('[data-export="region"]').selectOption('370828')
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="export-xlsx"]').click()])
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(readFileSync((await download.path())!) as never)
    const ids = (wb.worksheets[0]!.getColumn(2).values as unknown[]).filter((v) => typeof v === 'string' && v.startsWith('JX-'))
    expect(ids.length).toBe(30)

    // the same page on a phone and in English, for the screenshots
    await page.setViewportSize({ width: 390, height: 844 })
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${OUT}/import-applied-390-zh.png`, fullPage: false })
    await page.locator('[data-testid="lang-toggle"]').click()
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${OUT}/import-applied-390-en.png` })
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${OUT}/import-applied-1366-en.png` })
    expect(errors).toEqual([])
    expect(offOrigin).toEqual([])
  })

  test('demand tab: upload the GeoTIFF, dry run, apply, make it the default, see coverage and its source in the planner', async () => {
    await h.signIn(h.context, EDITOR.email, EDITOR.password)
    const { page, errors, offOrigin } = await h.open('/import?tab=demand&lang=zh', { width: 1366, height: 768 })
    await waitIdle(page)
    await page.locator('[data-testid="demand-layer"]').fill('worldpop-jinxiang')
    await page.locator('[data-testid="demand-name"]').fill('常住人口（WorldPop 测试瓦片）')
    await page.locator('[data-testid="demand-source"]').fill('WorldPop 2020 100 m (test tile)')
    await page.locator('[data-testid="demand-licence"]').fill('CC BY 4.0')
    await page.locator('[data-testid="demand-file"]').setInputFiles('api/test/fixtures/import/jinxiang-population.tif')
    await page.locator('[data-testid="demand-summary"]').waitFor({ timeout: 30_000 })
    await waitIdle(page)
    expect(await page.locator('[data-testid="demand-by-county"] tbody tr').count()).toBe(1)
    const total = Number(await page.locator('[data-testid="demand-total"]').getAttribute('data-total'))
    expect(total).toBeGreaterThan(0)
    await page.screenshot({ path: `${OUT}/import-demand-dry-1366-zh.png` })
    await page.locator('[data-testid="demand-apply"]').click()
    await page.locator('[data-testid="demand-make-default"]').waitFor({ timeout: 30_000 })
    await page.locator('[data-testid="demand-make-default"]').click()
    await page.locator('[data-testid="demand-is-default"]').waitFor({ timeout: 10_000 })
    await page.screenshot({ path: `${OUT}/import-demand-applied-1366-zh.png` })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${OUT}/import-demand-390-zh.png` })
    await page.locator('[data-testid="lang-toggle"]').click()
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${OUT}/import-demand-390-en.png` })
    await page.setViewportSize({ width: 1366, height: 768 })
    await page.waitForTimeout(300)
    await page.screenshot({ path: `${OUT}/import-demand-1366-en.png` })
    expect(errors).toEqual([])
    expect(offOrigin).toEqual([])

    // the planner opens 金乡县 on the imported layer (its default now) with the figure and the source line
    const planner = await h.open('/?lang=zh&tab=plan&region=370828&kind=rider_rest', { width: 1366, height: 768 })
    await planner.page.locator('[data-testid="plan-ratio"]').waitFor({ timeout: 30_000 })
    await expect.poll(() => planner.page.locator('[data-testid="plan-source"]').textContent(), { timeout: 30_000 }).toMatch(/WorldPop 2020 100 m \(test tile\).*CC BY 4\.0/)
    const coverage = await (await fetch(`${h.base}/api/coverage?region=370828&kind=rider_rest`)).json() as { layer: { id: string }; total: number }
    expect(coverage.layer.id).toBe('worldpop-jinxiang')
    expect(coverage.total).toBeCloseTo(total, 3)
    await planner.page.screenshot({ path: `${OUT}/import-demand-planner-1366-zh.png` })
    expect(planner.errors).toEqual([])
  })
})
