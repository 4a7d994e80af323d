/**
 * The coverage-planning tab in a real browser against the real server: pick 金乡县 and rider rest
 * stops, see unserved hexagons and the ranked gaps (checked against the API), ask for 5 sites, drag
 * one (recompute timed in the page), save, reload and export the plan. Screenshots: test-results/planner-*.png.
 *
 * ATLAS_URL=http://127.0.0.1:PORT skips the build and the server (for a server already running).
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { OUT, startHarness, waitIdle, type Harness } from './harness.ts'

let h: Harness
const REGION = '370828'
const KIND = 'rider_rest'
const QUERY = `region=${REGION}&kind=${KIND}&layer=population`

beforeAll(async () => {
  h = await startHarness()
})

afterAll(async () => {
  await h?.close()
})

const t0 = Date.now()
/** phase timings in the log, so a slow step in SwiftShader is easy to find */
const phase = (name: string) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1)} s] ${name}`)

const plan = (page: Page) => page.evaluate(() => ({ ...(window as any).__atlas }) as Record<string, any>)

async function waitPlan(page: Page): Promise<void> {
  await page.waitForFunction(() => (window as any).__atlas?.planReady && (window as any).__atlas?.gapsReady, null, { timeout: 60_000 })
  await waitIdle(page)
}

async function api<T>(path: string, init?: RequestInit): Promise<T> {
  const res = await fetch(h.base + path, init)
  expect(res.status, path).toBeLessThan(300)
  return (await res.json()) as T
}

describe('coverage planning', () => {
  test('金乡县 rider rest stops: gaps, 5 suggested sites, a drag, a saved and exported plan — in Chinese, offline', async () => {
    await h.signIn(h.context) // saving a plan needs an editor of 金乡县 (the admin may everything)
    const { page, offOrigin, errors } = await h.open('/?lang=zh', { width: 1440, height: 900 })
    await waitIdle(page)
    await page.click('[data-testid="tab-plan"]')
    await page.selectOption('[data-testid="plan-region"]', REGION)
    await page.selectOption('[data-testid="plan-kind"]', KIND)
    await waitPlan(page)

    phase('plan ready')
    // figures: the same as GET /api/coverage
    const cov = await api<{ ratio: number; covered: number; total: number }>(`/api/coverage?${QUERY}`)
    const shown = Number(await page.getAttribute('[data-testid="plan-ratio"]', 'data-ratio'))
    expect(shown).toBeCloseTo(cov.ratio, 9)
    expect(await page.textContent('[data-testid="plan-ratio"]')).toBe(`${(cov.ratio * 100).toFixed(1)}%`)
    expect(await page.textContent('[data-testid="plan-covered"]')).toContain(Math.round(cov.total).toLocaleString('zh-CN'))
    expect(await page.textContent('.layer-note')).toContain('模型估算')

    // unserved hexagons drawn, and the gap list agrees with GET /api/gaps
    let hooks = await plan(page)
    expect(hooks.unservedDrawn).toBeGreaterThan(0)
    expect(hooks.unservedDrawn).toBeLessThan(hooks.demandDrawn)
    const gaps = await api<{ features: { properties: { rank: number; demand: number } }[]; areas: number }>(`/api/gaps?${QUERY}&limit=50`)
    expect(gaps.features.length).toBeGreaterThan(0)
    const firstDemand = Number(await page.getAttribute('[data-testid="gap-1"] [data-demand]', 'data-demand'))
    expect(firstDemand).toBeCloseTo(gaps.features[0]!.properties.demand, 6)
    expect(await page.locator('.gap-list > li').count()).toBe(Math.min(50, gaps.areas))
    console.log(`金乡县 rider_rest: coverage ${(cov.ratio * 100).toFixed(2)}%, ${hooks.demandDrawn} cells, ${hooks.unservedDrawn} unserved, ${gaps.areas} gap areas; recompute ${hooks.lastRecomputeMs.toFixed(1)} ms, gaps ${hooks.lastGapsMs.toFixed(1)} ms`)
    await page.click('[data-testid="gap-1"]')
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/planner-gaps.png` })

    phase('gaps checked')
    // siting: 5 new sites, drawn as numbered markers; the ratio rises to the API's after.ratio
    const siting = await api<{ after: { ratio: number }; before: { ratio: number }; bound: { ratio: number }; sites: { features: unknown[] } }>('/api/siting', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ kind: KIND, region: REGION, layer: 'population', count: 5 }),
    })
    await page.click('[data-testid="subtab-siting"]')
    await page.fill('[data-testid="siting-count"]', '5')
    await page.click('[data-testid="siting-run"]')
    await page.waitForFunction(() => (window as any).__atlas.suggestedDrawn === 5, null, { timeout: 60_000 })
    await waitPlan(page)
    hooks = await plan(page)
    expect(hooks.planRatio).toBeGreaterThan(cov.ratio)
    expect(hooks.planRatio).toBeCloseTo(siting.after.ratio, 9)
    expect(Number(await page.getAttribute('[data-testid="siting-result"]', 'data-after'))).toBeCloseTo(siting.after.ratio, 9)
    // the page states how far from optimal the answer can be
    expect(siting.bound.ratio).toBeGreaterThanOrEqual(siting.after.ratio)
    expect(await page.textContent('[data-testid="siting-bound"]')).toContain('拉格朗日上界')
    expect(await page.textContent('[data-testid="siting-bound"]')).toMatch(/建议方案(已达到理论最优覆盖率|的覆盖率与理论最优相差不超过 [\d.]+ 个百分点)/)
    expect(Number(await page.getAttribute('[data-testid="plan-ratio"]', 'data-ratio'))).toBeCloseTo(siting.after.ratio, 9)
    expect(await page.textContent('[data-testid="plan-ratio"]')).toBe(`${(siting.after.ratio * 100).toFixed(1)}%`)
    expect(await page.locator('.site-list > li').count()).toBe(5)
    await page.screenshot({ path: `${OUT}/planner-siting.png` })

    phase('siting drawn')
    // drag suggested site 1 by ~120 px: figures follow during the drag, each recompute well under 100 ms
    const ids: string[] = await page.evaluate(() => (window as any).__atlas.suggestedIds())
    expect(ids).toHaveLength(5)
    const p = (await page.evaluate((id) => (window as any).__atlas.planStationScreenPoint(id), ids[0]))!
    expect(p).not.toBeNull()
    const before = hooks.recomputeCount
    const ratioBefore = hooks.planRatio
    await page.mouse.move(p.x, p.y)
    await page.mouse.down()
    for (let i = 1; i <= 8; i++) await page.mouse.move(p.x + i * 15, p.y + i * 6)
    await page.mouse.up()
    await waitPlan(page)
    hooks = await plan(page)
    const during: number[] = hooks.recomputeTimes.slice(before)
    console.log(`drag: ${during.length} recomputes, ms: ${during.map((m) => m.toFixed(1)).join(' ')} (max ${Math.max(...during).toFixed(1)}); gap list after drop ${hooks.lastGapsMs.toFixed(1)} ms`)
    expect(during.length).toBeGreaterThan(1)
    expect(Math.max(...during)).toBeLessThan(100)
    expect(hooks.planRatio).not.toBe(ratioBefore)
    const q = (await page.evaluate((id) => (window as any).__atlas.planStationScreenPoint(id), ids[0]))!
    expect(Math.hypot(q.x - p.x - 120, q.y - p.y - 48)).toBeLessThan(4)
    expect(await page.textContent('.site-list')).toContain('已移动')
    await page.screenshot({ path: `${OUT}/planner-drag.png` })

    phase('drag done')
    // save, reload, load: the same figures come back
    await page.click('[data-testid="subtab-scenarios"]')
    await page.fill('[data-testid="scenario-name"]', '金乡 5 站测试方案')
    await page.click('[data-testid="scenario-save"]')
    const item = page.locator('.scenario', { hasText: '金乡 5 站测试方案' }).first()
    await item.waitFor()
    const planRatio = hooks.planRatio as number
    await page.reload()
    await waitIdle(page)
    await page.click('[data-testid="tab-plan"]')
    await waitPlan(page)
    await page.click('[data-testid="subtab-scenarios"]')
    await item.waitFor()
    await item.locator('[data-testid="scenario-load"]').click()
    await page.waitForFunction((r) => Math.abs((window as any).__atlas.planRatio - r) < 1e-9, planRatio, { timeout: 30_000 })
    await waitPlan(page)
    expect(await page.textContent('.scenario')).toContain(`${(planRatio * 100).toFixed(1)}%`)

    phase('scenario reloaded')
    // export: GeoJSON and CSV downloads with the plan's stations
    const [geo] = await Promise.all([page.waitForEvent('download'), item.locator('[data-testid="export-geojson"]').click()])
    const fc = JSON.parse(readFileSync((await geo.path())!, 'utf8')) as { features: { properties: { change: string } }[] }
    const added = fc.features.filter((f) => f.properties.change === 'added')
    expect(added).toHaveLength(5)
    expect(fc.features.filter((f) => f.properties.change === 'existing').length).toBeGreaterThan(0)
    const [csv] = await Promise.all([page.waitForEvent('download'), item.locator('[data-testid="export-csv"]').click()])
    const text = readFileSync((await csv.path())!, 'utf8').replace(/^\uFEFF/, '')
    const lines = text.trim().split(/\r?\n/)
    expect(lines[0]).toBe('id,name,kind,change,lon,lat,radius_m,coverage_rule')
    // saved under 直线 (no roads here): every row says so
    expect(lines.slice(1).every((l) => l.endsWith(',straight: within each station’s radius_m (直线)'))).toBe(true)
    expect(lines.filter((l) => l.includes(',added,'))).toHaveLength(5)
    console.log(`exports: ${geo.suggestedFilename()} (${fc.features.length} stations), ${csv.suggestedFilename()} (${lines.length - 1} rows)`)
    await page.screenshot({ path: `${OUT}/planner-scenario.png` })

    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 240_000) // SwiftShader draws ~10k hexagons per frame: this walk-through takes 1–2 minutes

  test('adds a station by clicking, removes it from its popup, and undoes; English labels', async () => {
    const { page, offOrigin, errors } = await h.open(`/?lang=en&tab=plan&region=${REGION}&kind=${KIND}`, { width: 1280, height: 800 })
    await waitPlan(page)
    const start = (await plan(page)).planRatio as number
    await page.click('[data-testid="tool-add"]')
    const box = (await page.locator('#map').boundingBox())!
    // a point in an unserved part of the view: the centre of the largest gap
    await page.click('[data-testid="gap-1"]')
    await waitIdle(page)
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await waitPlan(page)
    const added = (await plan(page)).planRatio as number
    expect(added).toBeGreaterThan(start)
    expect(await page.textContent('[data-testid="plan-delta"]')).toContain('points vs today')
    await page.click('[data-testid="tool-select"]')
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    await page.locator('[data-testid="popup-remove"]').click()
    await waitPlan(page)
    expect((await plan(page)).planRatio).toBeCloseTo(start, 12)
    await page.click('[data-testid="plan-undo"]')
    await waitPlan(page)
    expect((await plan(page)).planRatio).toBeCloseTo(added, 12)
    expect(await page.textContent('.layer-note')).toContain('Modelled')
    await page.screenshot({ path: `${OUT}/planner-en.png` })

    // time of day: only stations open at 02:00 count — the same figure as GET /api/coverage?at=02:00
    await page.click('[data-testid="plan-undo"]') // back to the network as it is
    await waitPlan(page)
    await page.fill('[data-testid="plan-at"]', '02:00')
    await page.locator('[data-testid="plan-at"]').dispatchEvent('change')
    await page.waitForFunction(() => document.querySelector('.at-note') !== null && (window as any).__atlas.planReady, null, { timeout: 30_000 })
    await waitPlan(page)
    const night = await api<{ ratio: number; stations: { counted: number; closed: number; unknown_hours: number } }>(`/api/coverage?${QUERY}&at=02:00`)
    expect((await plan(page)).planRatio).toBeCloseTo(night.ratio, 9)
    expect(await page.textContent('.at-note')).toContain('Only stations open at 02:00')
    await page.evaluate(() => localStorage.removeItem('atlas.lang'))
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  test('a whole city (黑河市, all kinds) recomputes at res 8 with figures per county as the API gives them', async () => {
    const { page, offOrigin, errors } = await h.open('/?lang=zh&tab=plan&region=231100&kind=all', { width: 1440, height: 900 })
    await waitPlan(page)
    const cov = await api<{ ratio: number; by_region: { code: string; ratio: number }[]; resolution: number }>('/api/coverage?region=231100&layer=population')
    const hooks = await plan(page)
    expect(hooks.planRatio).toBeCloseTo(cov.ratio, 9)
    expect(cov.resolution).toBe(8)
    expect(await page.locator('[data-testid="plan-by-county"] tbody tr').count()).toBe(cov.by_region.length)
    console.log(`黑河市 (res 8, all kinds): ${hooks.demandDrawn} cells, recompute ${hooks.lastRecomputeMs.toFixed(1)} ms, gaps ${hooks.lastGapsMs.toFixed(1)} ms`)
    // informs only: this first compute builds the city's index (a one-off); drags are timed in the 金乡县 test
    await page.screenshot({ path: `${OUT}/planner-city.png` })
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  test('at 1366×768 the figures, the first gaps and the siting result are in view without scrolling; the scenario name follows the plan until typed; a click outside the county adds nothing and says so', async () => {
    const { page, offOrigin, errors } = await h.open(`/?lang=zh&tab=plan&${QUERY}`, { width: 1366, height: 768 })
    await waitPlan(page)
    /** every element's box lies inside the viewport and inside the panel's visible area, and nothing in the panel is scrolled */
    const inView = (selectors: string[]) =>
      page.evaluate((sels) => {
        const vw = innerWidth
        const vh = innerHeight
        const panel = document.getElementById('panel')!.getBoundingClientRect()
        const scrolled = [...document.querySelectorAll<HTMLElement>('#panel, #tab-plan')].map((e) => e.scrollTop)
        return {
          scrolled,
          boxes: sels.map((sel) => {
            const el = document.querySelector(sel)
            if (!el) return { sel, ok: false, why: 'missing' }
            const r = el.getBoundingClientRect()
            const ok = r.height > 0 && r.top >= panel.top && r.bottom <= Math.min(vh, panel.bottom) && r.left >= 0 && r.right <= vw
            return { sel, ok, why: `${Math.round(r.top)}–${Math.round(r.bottom)} of ${Math.round(panel.top)}–${Math.round(Math.min(vh, panel.bottom))}` }
          }),
        }
      }, selectors)
    let seen = await inView(['[data-testid="plan-ratio"]', '[data-testid="plan-covered"]', '[data-testid="gap-1"]', '[data-testid="gap-2"]', '[data-testid="gap-3"]'])
    expect(seen.scrolled).toEqual([0, 0])
    expect(seen.boxes.filter((b) => !b.ok)).toEqual([])

    // the default name says what the plan is: +0 now …
    await page.click('[data-testid="subtab-scenarios"]')
    const name = () => page.inputValue('[data-testid="scenario-name"]')
    expect(await name()).toMatch(/^金乡县 · .+ · \+0 · \d\d\/\d\d$/)

    // … and +5 once five suggested sites are in the plan; the siting result is in view
    await page.click('[data-testid="subtab-siting"]')
    await page.click('[data-testid="siting-run"]')
    await page.waitForFunction(() => (window as any).__atlas.suggestedDrawn === 5, null, { timeout: 60_000 })
    await waitPlan(page)
    seen = await inView(['[data-testid="plan-ratio"]', '[data-testid="siting-result"]', '[data-testid="siting-bound"]'])
    expect(seen.scrolled).toEqual([0, 0])
    expect(seen.boxes.filter((b) => !b.ok)).toEqual([])
    await page.screenshot({ path: `${OUT}/planner-1366-siting.png` })
    await page.click('[data-testid="accept-sites"]')
    await waitPlan(page)
    await page.click('[data-testid="subtab-scenarios"]')
    expect(await name()).toMatch(/^金乡县 · .+ · \+5 · \d\d\/\d\d$/)

    // typed: the name is the planner's, through a list refresh landing mid-typing and a plan change
    await page.click('[data-testid="scenario-name"]', { clickCount: 3 })
    await page.keyboard.type('北部补点')
    await Promise.all([
      page.waitForResponse((r) => r.url().includes('/api/scenarios?region=370828')),
      page.evaluate(() => document.querySelector<HTMLElement>('[data-testid="subtab-scenarios"]')!.click()), // refreshes the list; focus stays
    ])
    await page.waitForTimeout(50) // the refreshed list renders
    await page.keyboard.type('方案')
    expect(await name()).toBe('北部补点方案')
    expect(await page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('scenario-name')
    await page.click('[data-testid="plan-undo"]')
    await waitPlan(page)
    expect(await name()).toBe('北部补点方案')

    // add-station outside 金乡县 (the map's right edge is 鱼台县): refused in words, nothing added
    const before = await plan(page)
    await page.click('[data-testid="tool-add"]')
    const box = (await page.locator('#map').boundingBox())!
    await page.mouse.click(box.x + box.width - 40, box.y + box.height / 2)
    await page.waitForFunction(() => (window as any).__atlas.addRefused === 1)
    const after = await plan(page)
    expect(after.planRatio).toBe(before.planRatio)
    expect(after.recomputeCount).toBe(before.recomputeCount)
    expect(await page.textContent('.plan-status')).toContain('不在金乡县范围内')
    expect(await page.textContent('.composition')).not.toContain('新增 6')
    await page.screenshot({ path: `${OUT}/planner-1366-outside.png` })
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 180_000)

  test('the scenario list shows the region in view only', async () => {
    const list = await api<{ scenarios: { region_code: string }[] }>('/api/scenarios?region=231100')
    const { page, errors } = await h.open('/?lang=zh&tab=plan&region=231100&kind=rider_rest', { width: 1440, height: 900 })
    await waitPlan(page)
    await page.click('[data-testid="subtab-scenarios"]')
    await page.waitForFunction(() => document.querySelector('.scenario-list, [data-slot="scenarios"] .hint'))
    expect(await page.locator('.scenario').count()).toBe(list.scenarios.length)
    expect(await page.locator('.scenario', { hasText: '金乡' }).count()).toBe(0)
    expect(errors).toEqual([])
    await page.close()
  })

  test('a popup says status and open-now apart, in China time: 运营中 but 已打烊 · 17:00 开门 at 15:20, and in English', async () => {
    const { page, errors } = await h.open('/?lang=zh', { width: 1440, height: 900 }, async (p) => {
      await p.clock.setFixedTime(new Date('2026-12-01T15:20:00+08:00'))
    })
    await waitIdle(page)
    await page.click('[data-fly="370828"]')
    await waitIdle(page)
    const stations = await api<{ features: { geometry: { coordinates: number[] }; properties: { id: string; status: string; opening_hours: string | null } }[] }>('/api/stations?region=370828&limit=200')
    const split = stations.features.filter((f) => f.properties.status === 'active' && f.properties.opening_hours === 'Mo-Su 10:00-14:00,17:00-21:00')
    expect(split.length).toBeGreaterThan(0)
    let opened = false
    for (const f of split) {
      // stations are clustered from tiles at county zooms: go to the station, past the cluster zooms
      await page.evaluate(([x, y]) => window.__atlas.jumpTo(x!, y!, 15), f.geometry.coordinates)
      await waitIdle(page)
      const p = await page.evaluate((id) => window.__atlas.stationScreenPoint(id), f.properties.id)
      if (!p || (await page.evaluate(([x, y]) => window.__atlas.pickStationAt(x!, y!), [p.x, p.y])) !== f.properties.id) continue
      await page.mouse.click(p.x, p.y)
      opened = true
      break
    }
    expect(opened).toBe(true)
    const status = page.locator('[data-testid="popup-status"]')
    const now = page.locator('[data-testid="popup-open-now"]')
    await now.and(page.locator('[data-state="closed"]')).waitFor()
    expect(await status.textContent()).toBe('运营中')
    expect(await now.textContent()).toBe('已打烊 · 17:00 开门')
    // the popup is whole inside the map
    const pop = (await page.locator('.maplibregl-popup').boundingBox())!
    const map = (await page.locator('#map').boundingBox())!
    expect(pop.y).toBeGreaterThanOrEqual(map.y)
    expect(pop.y + pop.height).toBeLessThanOrEqual(map.y + map.height)
    await page.screenshot({ path: `${OUT}/planner-popup-hours.png` })
    await page.click('[data-testid="lang-toggle"]')
    await page.waitForFunction(() => document.querySelector('[data-testid="popup-status"]')?.textContent === 'Active')
    expect(await now.textContent()).toBe('Closed · opens at 17:00')
    await page.evaluate(() => localStorage.removeItem('atlas.lang'))
    expect(errors).toEqual([])
    await page.close()
  })
})
