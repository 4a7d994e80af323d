/**
 * Roads in the pages (issue 14), on the fixture town (api/test/fixtures/roads/town.osm, loaded at
 * start-up with ROADS_FILE) inside 金乡县: the planner's 直线 / 路网 switch changes the figures
 * and draws isochrones; the gap list says how far by road; the offline basemap draws the town's
 * streets with their names and the ODbL credit; the rider's list is ordered by riding time along
 * the roads; the town's name and, on English pages, the streets' English names label the map. Screenshots: test-results/roads-*.png (1366 × 768 and 390 × 844, zh and en).
 */
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { OUT, startHarness, waitIdle, type Harness } from './harness.ts'

const TOWN_OSM = fileURLToPath(new URL('../../api/test/fixtures/roads/town.osm', import.meta.url))
/** on 南滨路, the south bank of the town's river, west of the bridge */
const RIDER = { longitude: 116.305, latitude: 35.058 }
/** the fixture's town (place=town, name 金山镇, name:en Jinshan) and its streets with name:en */
const TOWN = { zh: '金山镇', en: 'Jinshan' } as const
const EN_STREETS = ['Jinshan Avenue', 'Nanbin Road', 'Beibin Road', 'Xingfu Bridge', 'North Street']

let h: Harness
beforeAll(async () => {
  h = await startHarness({ env: { ROADS_FILE: TOWN_OSM } })
})
afterAll(async () => {
  await h?.close()
})

const atlas = (page: Page) => page.evaluate(() => (window as any).__atlas)

async function planReady(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__atlas?.planReady && (window as any).__atlas?.gapsReady && (window as any).__atlas?.roadsLoaded !== null, null, { timeout: 90_000 })
  await waitIdle(page)
}

describe('planner: 直线 / 路网', () => {
  test('the switch recomputes the figures by road, draws each station’s isochrone, and the gaps say how far by road', async () => {
    const { page, errors, offOrigin } = await h.open('/?tab=plan&region=370828&kind=rider_rest', { width: 1366, height: 768 })
    await planReady(page)
    expect((await atlas(page)).roadsLoaded).toBe(true)
    const straight = (await atlas(page)).planRatio as number
    expect(await page.getByTestId('rule-network').isEnabled()).toBe(true)
    expect(await page.getByTestId('rule-minutes').count()).toBe(0) // the radius row until 路网 is chosen
    await page.getByTestId('rule-network').click()
    await page.waitForFunction(() => (window as any).__atlas.metric === 'network' && (window as any).__atlas.gapsReady, null, { timeout: 30_000 })
    const byRoad = await atlas(page)
    // the town's roads reach a small part of the county: most demand has no road access, coverage drops
    expect(byRoad.planRatio).toBeLessThan(straight)
    expect(byRoad.isochronesDrawn).toBeGreaterThan(0)
    expect(byRoad.roadGraphBytes).toBeGreaterThan(1000)
    expect(Number(await page.getByTestId('plan-ratio').getAttribute('data-ratio'))).toBeCloseTo(byRoad.planRatio, 12)
    await expect.poll(() => page.getByTestId('plan-no-road').count()).toBe(1)
    expect(await page.getByTestId('plan-rule-figure').textContent()).toContain('电动车 5 分钟')
    expect(await page.getByTestId('gap-road').count()).toBeGreaterThan(0)
    // a longer limit reaches more
    await page.getByTestId('rule-minutes').fill('15')
    await page.getByTestId('rule-minutes').press('Tab')
    await page.waitForFunction((r) => (window as any).__atlas.planRatio > r, byRoad.planRatio, { timeout: 30_000 })
    await waitIdle(page)
    await page.evaluate(() => (window as any).__atlas.jumpTo(116.315, 35.058, 13.6))
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/roads-planner-network-zh.png` })
    // back to straight-line: the first figure again
    await page.getByTestId('rule-straight').click()
    await page.waitForFunction(() => (window as any).__atlas.metric === 'straight', null, { timeout: 30_000 })
    expect((await atlas(page)).planRatio).toBeCloseTo(straight, 12)
    expect((await atlas(page)).isochronesDrawn).toBe(0)
    expect(await page.getByTestId('plan-radius').isVisible()).toBe(true)
    expect(errors).toEqual([])
    expect(offOrigin).toEqual([])
    await page.close()
  })

  test('a region without roads keeps the switch off and says coverage is straight-line', async () => {
    const { page, errors } = await h.open('/?tab=plan&region=361021&kind=rider_rest&metric=network', { width: 1366, height: 768 })
    await planReady(page)
    expect((await atlas(page)).roadsLoaded).toBe(false)
    expect((await atlas(page)).metric).toBe('straight')
    expect(await page.getByTestId('rule-network').count()).toBe(0)
    expect(await page.getByTestId('rule-note').textContent()).toBe('覆盖按直线距离计算')
    expect(await page.getByTestId('plan-radius').isVisible()).toBe(true)
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('planner: a plan saved by road', () => {
  test('keeps the rule: saved with 路网 on, listed as 路网 with its minutes, reopened by road from 直线', async () => {
    await h.signIn(h.context) // saving needs an editor of 金乡县 (the admin may everything)
    const { page, errors } = await h.open('/?tab=plan&region=370828&kind=rider_rest&metric=network&minutes=7', { width: 1366, height: 768 })
    await planReady(page)
    await page.waitForFunction(() => (window as any).__atlas.metric === 'network' && (window as any).__atlas.gapsReady, null, { timeout: 60_000 })
    const ratio = (await atlas(page)).planRatio as number
    await page.click('[data-testid="subtab-scenarios"]')
    await page.fill('[data-testid="scenario-name"]', '路网方案')
    await page.click('[data-testid="scenario-save"]')
    const item = page.locator('.scenario', { hasText: '路网方案' }).first()
    await item.waitFor()
    expect(await item.getByTestId('scenario-rule').textContent()).toBe('路网 · 电动车 7 分钟可达')
    // the server computed the same figure by road as the page
    expect(await item.textContent()).toContain(`${(ratio * 100).toFixed(1)}%`)
    await page.getByTestId('rule-straight').click()
    await page.waitForFunction(() => (window as any).__atlas.metric === 'straight' && (window as any).__atlas.gapsReady, null, { timeout: 30_000 })
    await item.getByTestId('scenario-load').click()
    await page.waitForFunction(() => (window as any).__atlas.metric === 'network' && (window as any).__atlas.gapsReady, null, { timeout: 60_000 })
    expect(await page.getByTestId('rule-minutes').inputValue()).toBe('7')
    await page.waitForFunction((r) => Math.abs((window as any).__atlas.planRatio - r) < 1e-9, ratio, { timeout: 30_000 })
    expect(errors).toEqual([])
    await page.close()
  })
})

describe('streets on the offline basemap', () => {
  // one page for both languages (switched in place, as a user does): a second page load would only add time
  test("draws the town's streets and its name with the ODbL credit at 1366 × 768 and 390 × 844, relabelled in English by the language switch", async () => {
    const { page, errors, offOrigin } = await h.open('/?lang=zh', { width: 1366, height: 768 })
    await waitIdle(page)
    const sizes = [['desktop', { width: 1366, height: 768 }], ['phone', { width: 390, height: 844 }]] as const
    for (const lang of ['zh', 'en'] as const) {
      if (lang === 'en') {
        await page.click('[data-testid="lang-toggle"]')
        await page.waitForFunction(() => (window as any).__atlas.lang === 'en')
        await waitIdle(page)
      }
      for (const [size, viewport] of lang === 'zh' ? sizes : [...sizes].reverse()) {
        await page.setViewportSize(viewport)
        await page.evaluate(() => (window as any).__atlas.jumpTo(116.315, 35.058, 14.6))
        // the street tiles drawn, with their names placed and the town named (idle alone can lag on a loaded machine)
        const minNames = size === 'phone' ? 1 : 3
        await page.waitForFunction(([min, town]) => {
          const r = (window as any).__atlas.renderedRoads()
          return r.lines > 10 && r.names.length > min && r.places.includes(town)
        }, [minNames, TOWN[lang]] as const, { timeout: 90_000, polling: 250 })
        await page.waitForTimeout(300)
        const { names, places } = await page.evaluate(() => (window as any).__atlas.renderedRoads())
        // the county node in the extract is never a label; English pages name the streets in English where OSM has name:en
        expect(places).not.toContain('金乡县')
        if (lang === 'en') expect(names.filter((n: string) => EN_STREETS.includes(n)).length).toBeGreaterThan(0)
        else expect(names.some((n: string) => EN_STREETS.includes(n))).toBe(false)
        expect(await page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('OpenStreetMap contributors')
        await page.screenshot({ path: `${OUT}/roads-basemap-${size}-${lang}.png` })
      }
    }
    expect(errors).toEqual([])
    expect(offOrigin).toEqual([])
    await page.close()
  })
})

describe('rider: nearest stops by road', () => {
  test('lists the stops by riding time along the roads, saying so, with 骑行约 N 分钟 · X 公里路程', async () => {
    const ctx = await h.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', geolocation: RIDER, permissions: ['geolocation'] })
    const page = await ctx.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await page.goto(`${h.base}/rider`)
    await waitIdle(page, 90_000)
    const a = await atlas(page)
    expect(a.byRoad).toMatchObject({ county: '370828', extract: 'town.osm' })
    const rides = (a.stops as { ride_s: number | null; distance_m: number }[]).map((s) => s.ride_s ?? Infinity)
    expect(rides.length).toBeGreaterThan(1)
    expect(rides).toEqual([...rides].sort((x, y) => x - y))
    // the order differs from the straight-line one: the river is in between
    const dist = (a.stops as { distance_m: number }[]).map((s) => s.distance_m)
    expect(dist).not.toEqual([...dist].sort((x, y) => x - y))
    expect(await page.getByTestId('road-list').textContent()).toBe('按路网骑行时间')
    expect(await page.getByTestId('road-credit').textContent()).toContain('town.osm，© OpenStreetMap 贡献者')
    expect(await page.getByTestId('ride-by-road').first().textContent()).toMatch(/^骑行约 \d+ 分钟 · [\d.]+ (公里|米)路程$/)
    await page.screenshot({ path: `${OUT}/roads-rider-zh.png` })
    expect(errors).toEqual([])
    await ctx.close()
  })
})
