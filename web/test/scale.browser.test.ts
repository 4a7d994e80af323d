/**
 * The planner on a province-sized data set (issue 13): 10^4 synthetic stations (the scale set of
 * `npm run scale-data`, loaded by the server itself at start-up — LOAD_SCALE_STATIONS — into the one
 * embedded database it opens) on top of the demo set. The page must not download the station table: it
 * counts from /api/regions/summary, draws from tiles, and a popup fetches one station. Measures bytes on
 * the wire and the time to the first drawn station tile (the page's `atlas:station-tile-drawn` mark).
 * Then the planning tab's province run (省级 sub-tab) over the same server: progress, result, cancel.
 * (10^5 is measured by hand with the same page: `SCALE_STATIONS=100000`, or a server of your own and
 * ATLAS_URL; CI keeps 10^4 for time.)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { chromium, type BrowserContext, type Response } from 'playwright-core'
import { STATION_KINDS } from '@core/station-kinds.ts'
import { CHROMIUM_ARGS, OUT, startServer, waitIdle, watch } from './harness.ts'
import type { CoverageResponse } from '../src/api.ts'
import type { RegionSummary, StationCollection } from '../src/types.ts'

const SCALE = Number(process.env.SCALE_STATIONS ?? 10_000)
let base = process.env.ATLAS_URL ?? ''
let stop: () => void = () => {}
let context: BrowserContext
const dirs: string[] = []
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p))
  dirs.push(d)
  return d
}

beforeAll(async () => {
  if (!base) {
    // one database start: the server loads the scale set into the database it opens, before listening;
    // the stations tab reads no demand layer: let them load behind the test rather than before it (CI time)
    const started = await startServer(inject('webRoot'), tmp('atlas-scale-db-'), { LOAD_SCALE_STATIONS: String(SCALE) }, ['--demand-in-background'])
    base = started.url
    stop = () => process.kill(-started.child.pid!, 'SIGTERM')
  }
  context = await chromium.launchPersistentContext(tmp('atlas-scale-chromium-'), { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS })
}, 240_000)

afterAll(async () => {
  await context?.close().catch(() => {})
  stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** An active station of `region` with no other planned or active station within ~80 m. */
async function isolatedStation(region: string) {
  const list = (await (await fetch(`${base}/api/stations?region=${region}&status=active&limit=100`)).json()) as StationCollection
  const d = 0.0008
  for (const f of list.features) {
    const [lon, lat] = f.geometry.coordinates as [number, number]
    const around = (await (await fetch(`${base}/api/stations?bbox=${lon - d},${lat - d},${lon + d},${lat + d}&status=planned,active&limit=2`)).json()) as StationCollection
    if (around.features.length === 1) return f
  }
  throw new Error(`no station of ${region} stands alone within ${d}° among the first ${list.features.length}`)
}

describe('planner at scale', () => {
  test('draws a large data set from tiles, never downloading the station table; popups and the kind filter work', async () => {
    const summary = (await (await fetch(`${base}/api/regions/summary`)).json()) as RegionSummary
    const byKind = Object.fromEntries(STATION_KINDS.map((k) => [k, summary.features.reduce((n, f) => n + (f.properties.own_station_counts[k] ?? 0), 0)]))
    const total = Object.values(byKind).reduce((a, b) => a + b, 0)
    expect(total).toBeGreaterThan(SCALE * 0.9)

    const seen: { url: string; bytes: number; at: number }[] = []
    let firstTile = Infinity
    const t0 = Date.now()
    const { page, offOrigin, errors } = await watch(context, base, '/?lang=zh', { width: 1366, height: 768 }, (p) => {
      p.on('response', async (res: Response) => {
        const body = await res.body().catch(() => null)
        const url = new URL(res.url())
        if (url.pathname.startsWith('/api/tiles/stations/') && res.status() === 200) firstTile = Math.min(firstTile, Date.now() - t0)
        seen.push({ url: url.pathname + url.search, bytes: body?.length ?? 0, at: Date.now() - t0 })
      })
    })
    await waitIdle(page, 120_000)
    const idleMs = Date.now() - t0
    // the first map frame after a station tile arrived (ms since navigation start)
    const drawnMs = await page.evaluate(() => performance.getEntriesByName('atlas:station-tile-drawn')[0]?.startTime ?? null)
    expect(drawnMs).not.toBeNull()
    const api = seen.filter((r) => r.url.startsWith('/api/'))
    const apiBytes = api.reduce((n, r) => n + r.bytes, 0)
    console.log(`${total} stations: first station tile drawn ${Math.round(drawnMs!)} ms (response ${firstTile} ms), idle ${idleMs} ms; API ${api.length} responses, ${(apiBytes / 1024).toFixed(1)} KiB (${(apiBytes / total).toFixed(2)} B per station); everything ${(seen.reduce((n, r) => n + r.bytes, 0) / 1024).toFixed(0)} KiB`)
    // no request lists stations: the counts come from the summary, the map from tiles
    expect(api.filter((r) => r.url.startsWith('/api/stations'))).toEqual([])
    expect(api.some((r) => r.url.startsWith('/api/tiles/stations/'))).toBe(true)
    expect(firstTile).toBeLessThan(idleMs + 1)
    expect(drawnMs!).toBeLessThan(idleMs + 1)
    expect(apiBytes / total).toBeLessThan(10) // the GeoJSON download was ≈ 50 B per station gzipped, 550 raw
    for (const kind of STATION_KINDS) await expect.poll(() => page.textContent(`[data-testid="count-${kind}"]`)).toBe(byKind[kind]!.toLocaleString('zh-CN'))
    expect(await page.evaluate(() => window.__atlas.stationsLoaded)).toBe(total)
    await page.screenshot({ path: `${OUT}/scale-overview.png` })

    // zoom to one station of 金乡县 (past the cluster zooms) and open its popup: the full record is fetched.
    // The scale set is dense and its ids random: take a station with no other drawn station within ~80 m
    // (≈ 40 px at z 16), so the one under the pointer is it and not a neighbour drawn on top.
    const one = await isolatedStation('370828')
    const [lon, lat] = one.geometry.coordinates as [number, number]
    await page.evaluate(([x, y]) => window.__atlas.jumpTo(x!, y!, 16), [lon, lat])
    await waitIdle(page)
    const p = await page.evaluate((id) => window.__atlas.stationScreenPoint(id), one.properties.id)
    expect(p).not.toBeNull()
    expect(await page.evaluate(([x, y]) => window.__atlas.pickStationAt(x!, y!), [p!.x, p!.y])).toBe(one.properties.id)
    await page.mouse.click(p!.x, p!.y)
    const popup = page.locator('.station-popup')
    await expect.poll(() => popup.locator('[data-station-id]').getAttribute('data-station-id')).toBe(one.properties.id)
    expect(await popup.locator('.pop-title').textContent()).toBe(one.properties.name)
    expect(await popup.locator('[data-testid="popup-demo"]').textContent()).toBe('示例数据')
    expect(seen.some((r) => r.url === `/api/stations/${one.properties.id}`)).toBe(true)
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/scale-popup.png` })

    // the kind filter: the station's kind off hides it (and its popup); on again shows it
    // (where it is now: opening the popup may have panned the map to fit it)
    const at = async () => (await page.evaluate((id) => window.__atlas.stationScreenPoint(id), one.properties.id))!
    await page.click(`input[data-kind="${one.properties.kind}"]`)
    await waitIdle(page)
    await expect.poll(() => popup.count()).toBe(0)
    expect(await page.evaluate(() => window.__atlas.stationsDrawn)).toBe(total - byKind[one.properties.kind]!)
    const hidden = await at()
    expect(await page.evaluate(([x, y]) => window.__atlas.pickStationAt(x!, y!), [hidden.x, hidden.y])).not.toBe(one.properties.id)
    await page.click(`input[data-kind="${one.properties.kind}"]`)
    await waitIdle(page)
    expect(await page.evaluate(() => window.__atlas.stationsDrawn)).toBe(total)
    const shown = await at()
    await expect.poll(() => page.evaluate(([x, y]) => window.__atlas.pickStationAt(x!, y!), [shown.x, shown.y])).toBe(one.properties.id)
    // still no listing of stations
    expect(seen.filter((r) => r.url.startsWith('/api/stations?'))).toEqual([])
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 240_000)

  test('the planning tab\'s 省级 sub-tab runs the whole data set on the server: progress bar, the API\'s figures, cancel', async () => {
    const { page, offOrigin, errors } = await watch(context, base, '/?lang=zh&tab=plan&region=370828&kind=all&layer=population', { width: 1366, height: 768 })
    await page.waitForFunction(() => (window as any).__atlas?.planReady === true, null, { timeout: 120_000 })
    await page.click('[data-testid="subtab-province"]')
    const section = page.locator('[data-testid="province-run-section"]')
    await expect.poll(() => section.isVisible()).toBe(true)
    await page.selectOption('[data-testid="province-region"]', 'all')
    // every state the section draws, as it draws it: the stream may finish within a frame or two
    await page.evaluate(() => {
      const seen: { progress: boolean; bar: string | null; text: string }[] = ((window as any).__provinceSeen = [])
      const el = document.querySelector('[data-testid="province-run-section"]')!
      new MutationObserver(() => {
        const box = el.querySelector('[data-testid="province-progress"]')
        if (box) seen.push({ progress: true, bar: box.querySelector('progress')?.getAttribute('value') ?? null, text: box.textContent ?? '' })
      }).observe(el, { childList: true, subtree: true })
    })
    await page.click('[data-testid="province-run"]')
    const result = page.locator('[data-testid="province-result"]')
    await result.waitFor({ timeout: 120_000 })
    const seen = (await page.evaluate(() => (window as any).__provinceSeen)) as { progress: boolean; bar: string | null; text: string }[]
    expect(seen.length).toBeGreaterThan(0)
    // the demand phase fills a determinate bar with the items read so far
    expect(seen.some((s) => /需求点 [\d,]+ \/ [\d,]+/.test(s.text))).toBe(true)
    const cov = (await (await fetch(`${base}/api/coverage?region=all&layer=population`)).json()) as CoverageResponse
    expect(await result.locator('strong').textContent()).toBe(`${(cov.ratio * 100).toFixed(1)}%`)
    expect(await result.textContent()).toContain(`驿站 ${cov.stations.counted.toLocaleString('zh-CN')} 个`)
    expect(await result.textContent()).toContain(`${cov.by_region.length} 个区县`)
    await page.screenshot({ path: `${OUT}/scale-province-result.png` })

    // cancel: the stream is held back, so the run is still going when 取消 is clicked
    let release: () => void = () => {}
    const held = new Promise<void>((r) => (release = r))
    await page.route('**/api/coverage?*', async (route) => {
      await held
      await route.continue().catch(() => {}) // the page gave up on it: nothing to continue
    })
    await page.click('[data-testid="province-run"]')
    await page.locator('[data-testid="province-progress"] progress').waitFor()
    await page.click('[data-testid="province-cancel"]')
    await page.locator('[data-testid="province-run"]').waitFor()
    expect(await page.locator('[data-testid="province-progress"]').count()).toBe(0)
    expect(await result.count()).toBe(0) // cancelled: back to the hint, no figures and no error
    expect(await page.locator('.province-error').count()).toBe(0)
    release()
    await page.unroute('**/api/coverage?*')
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  }, 240_000)
})
