/**
 * The planner on a province-sized data set (issue 13): 10^4 synthetic stations (`npm run scale-data`,
 * its multi-row INSERT path on the embedded database) on top of the demo set. The page must not
 * download the station table: it counts from /api/regions/summary, draws from tiles, and a popup
 * fetches one station. Measures bytes on the wire and the time to the first drawn station tile.
 * (10^5 is measured by hand with the same page: `npm run scale-data -- --stations 100000` and this
 * test with ATLAS_URL; CI keeps 10^4 for time.)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { chromium, type BrowserContext, type Response } from 'playwright-core'
import { STATION_KINDS } from '@core/station-kinds.ts'
import { CHROMIUM_ARGS, OUT, startServer, waitIdle, watch } from './harness.ts'
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
    const dataDir = tmp('atlas-scale-db-')
    execFileSync(process.execPath, ['--import', 'tsx', 'scripts/scale-data.ts', '--stations', String(SCALE), '--skip-demand'], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: 'ignore' })
    // the stations tab reads no demand layer: let them load behind the test rather than before it (CI time)
    const started = await startServer(inject('webRoot'), dataDir, {}, ['--demand-in-background'])
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
    const api = seen.filter((r) => r.url.startsWith('/api/'))
    const apiBytes = api.reduce((n, r) => n + r.bytes, 0)
    console.log(`${total} stations: first station tile ${firstTile} ms, idle ${idleMs} ms; API ${api.length} responses, ${(apiBytes / 1024).toFixed(1)} KiB (${(apiBytes / total).toFixed(2)} B per station); everything ${(seen.reduce((n, r) => n + r.bytes, 0) / 1024).toFixed(0)} KiB`)
    // no request lists stations: the counts come from the summary, the map from tiles
    expect(api.filter((r) => r.url.startsWith('/api/stations'))).toEqual([])
    expect(api.some((r) => r.url.startsWith('/api/tiles/stations/'))).toBe(true)
    expect(firstTile).toBeLessThan(idleMs + 1)
    expect(apiBytes / total).toBeLessThan(10) // the GeoJSON download was ≈ 50 B per station gzipped, 550 raw
    for (const kind of STATION_KINDS) await expect.poll(() => page.textContent(`[data-testid="count-${kind}"]`)).toBe(byKind[kind]!.toLocaleString('zh-CN'))
    expect(await page.evaluate(() => window.__atlas.stationsLoaded)).toBe(total)
    await page.screenshot({ path: `${OUT}/scale-overview.png` })

    // zoom to one station of 金乡县 (past the cluster zooms) and open its popup: the full record is fetched
    const one = ((await (await fetch(`${base}/api/stations?region=370828&status=active&limit=1`)).json()) as StationCollection).features[0]!
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
})
