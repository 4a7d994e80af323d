/**
 * The planner page in a real browser against the real server: build, start, load with every
 * off-origin request blocked, and check what a planner sees. Screenshots go to test-results/.
 *
 * ATLAS_URL=http://127.0.0.1:PORT skips the build and the server (for a server already running).
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { KIND_INFO, STATION_KINDS } from '@core/station-kinds.ts'
import type { StationCollection, StationFeature } from '../src/types.ts'
import type { Page } from 'playwright-core'
import { OUT, startHarness, waitIdle, type Harness, type Watched as Opened } from './harness.ts'

let h: Harness
let base = ''
let stations: StationFeature[] = []

async function fetchAllStations(): Promise<StationFeature[]> {
  const all: StationFeature[] = []
  let cursor = ''
  do {
    const res = await fetch(`${base}/api/stations?limit=10000${cursor ? `&cursor=${cursor}` : ''}`)
    expect(res.status).toBe(200)
    const fc = (await res.json()) as StationCollection
    all.push(...fc.features)
    cursor = fc.next_cursor ?? ''
  } while (cursor)
  return all
}

interface Watched extends Opened {
  /** bytes of font files fetched */
  fontBytes: () => number
  fontFiles: () => number
}

async function openPage(path = '/', viewport = { width: 1440, height: 900 }): Promise<Watched> {
  const fonts = new Map<string, number>()
  const opened = await h.open(path, viewport, (page) => {
    page.on('response', async (res) => {
      if (!/\.woff2$/.test(new URL(res.url()).pathname)) return
      const body = await res.body().catch(() => null)
      if (body) fonts.set(res.url(), body.length)
    })
  })
  await waitIdle(opened.page)
  const sum = () => [...fonts.values()].reduce((a, b) => a + b, 0)
  return { ...opened, fontBytes: sum, fontFiles: () => fonts.size }
}

/**
 * An active demo station in `region` whose symbol is on screen and not covered by another one: one
 * drawn on its own at the current view if there is one, else the map goes to one past the zooms
 * where the tiles cluster stations.
 */
async function pickableStation(page: Page, region: string): Promise<{ station: StationFeature; x: number; y: number }> {
  const candidates = stations.filter((s) => s.properties.region_code === region && s.properties.status === 'active' && s.properties.source === 'demo')
  for (const jump of [false, true]) {
    for (const station of candidates) {
      if (jump) {
        await page.evaluate(([x, y]) => window.__atlas.jumpTo(x!, y!, 15), station.geometry.coordinates)
        await waitIdle(page)
      }
      const p = await page.evaluate((id) => window.__atlas.stationScreenPoint(id), station.properties.id)
      if (!p) continue
      const picked = await page.evaluate(([x, y]) => window.__atlas.pickStationAt(x!, y!), [p.x, p.y])
      if (picked === station.properties.id) return { station, ...p }
    }
  }
  throw new Error(`no pickable station in region ${region}`)
}

beforeAll(async () => {
  h = await startHarness()
  base = h.base
  stations = await fetchAllStations()
})

afterAll(async () => {
  await h?.close()
})

describe('planner map', () => {
  test('draws every station on the offline basemap without leaving the origin', async () => {
    const { page, offOrigin, errors, fontBytes, fontFiles } = await openPage('/?lang=zh')
    expect(stations.length).toBeGreaterThan(0)
    const hooks = await page.evaluate(() => ({ ...window.__atlas }))
    expect(hooks.stationsLoaded).toBe(stations.length)
    expect(hooks.stationsDrawn).toBe(stations.length)
    // labels come from the style's font-faces (self-hosted woff2), not from a glyph server
    expect(await page.evaluate(() => window.__atlas.mapFontFaces())).toContain('loaded')
    expect(await page.evaluate(() => window.__atlas.renderedLabels())).toEqual(expect.arrayContaining(['金乡县', '南城县']))
    // legend counts match the API
    for (const kind of STATION_KINDS) {
      const n = stations.filter((s) => s.properties.kind === kind).length
      await expect.poll(() => page.textContent(`[data-testid="count-${kind}"]`)).toBe(n.toLocaleString('zh-CN'))
    }
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('示例数据')
    await page.screenshot({ path: `${OUT}/map-zh.png` })
    console.log(`fonts fetched: ${fontFiles()} files, ${(fontBytes() / 1024).toFixed(0)} KiB`)
    expect(fontBytes()).toBeLessThan(1.5 * 1024 * 1024)
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  test('flies to 金乡县, draws a station in its kind colour and opens its popup with the demo badge', async () => {
    const { page, offOrigin, errors } = await openPage('/?lang=zh')
    await page.click('[data-fly="370828"]')
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/map-jinxiang.png` })
    const { station, x, y } = await pickableStation(page, '370828')

    // the symbol's centre pixel is the kind's colour (active stations are filled)
    const png = await page.screenshot({ clip: { x: Math.round(x), y: Math.round(y), width: 1, height: 1 } })
    const rgb = await page.evaluate(async (b64) => {
      const img = await createImageBitmap(await (await fetch(`data:image/png;base64,${b64}`)).blob())
      const c = new OffscreenCanvas(1, 1).getContext('2d')!
      c.drawImage(img, 0, 0)
      return [...c.getImageData(0, 0, 1, 1).data.slice(0, 3)]
    }, png.toString('base64'))
    const want = KIND_INFO[station.properties.kind].color
    for (let i = 0; i < 3; i++) expect(Math.abs(rgb[i]! - want[i]!)).toBeLessThan(40)

    await page.mouse.click(x, y)
    const popup = page.locator('.station-popup')
    await expect.poll(() => popup.isVisible()).toBe(true)
    expect(await popup.locator('.pop-title').textContent()).toBe(station.properties.name)
    expect(await popup.getAttribute('class')).toContain('station-popup')
    expect(await popup.locator('[data-station-id]').getAttribute('data-station-id')).toBe(station.properties.id)
    expect(await popup.locator('[data-testid="popup-demo"]').textContent()).toBe('示例数据')
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/map-popup-zh.png` })

    // clicking empty map closes it
    await page.mouse.click(page.viewportSize()!.width - 30, page.viewportSize()!.height - 80)
    await expect.poll(() => popup.count()).toBe(0)
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  test('switches to English, remembers it, and relabels the map', async () => {
    const { page, offOrigin, errors } = await openPage('/?lang=zh')
    await page.click('[data-fly="370828"]')
    await waitIdle(page)
    const mapBox = (await page.locator('#map').boundingBox())!
    const before = await page.screenshot({ clip: mapBox })
    await page.click('[data-testid="lang-toggle"]')
    await waitIdle(page)
    expect(await page.evaluate(() => window.__atlas.lang)).toBe('en')
    expect(await page.textContent('[data-testid="lang-toggle"]')).toBe('中文')
    expect(await page.textContent('.legend')).toContain(KIND_INFO.rider_rest.en)
    await expect.poll(() => page.evaluate(() => window.__atlas.renderedLabels())).toContain('Jinxiang County')
    await expect.poll(() => page.locator('.maplibregl-ctrl-attrib').textContent()).toContain('demo data')
    const after = await page.screenshot({ clip: mapBox })
    expect(after.equals(before)).toBe(false)

    const { x, y } = await pickableStation(page, '370828')
    await page.mouse.click(x, y)
    await expect.poll(() => page.locator('[data-testid="popup-demo"]').textContent()).toBe('Demo data')
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/map-en.png` })

    // remembered across visits (localStorage); ?lang= still wins
    await page.goto(base + '/')
    await waitIdle(page)
    expect(await page.evaluate(() => window.__atlas.lang)).toBe('en')
    await page.goto(base + '/?lang=zh')
    await waitIdle(page)
    expect(await page.evaluate(() => window.__atlas.lang)).toBe('zh')
    await page.evaluate(() => localStorage.removeItem('atlas.lang'))
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })

  test('the kind filter hides and restores a kind', async () => {
    const { page, offOrigin } = await openPage('/?lang=zh')
    const kind = STATION_KINDS.find((k) => stations.some((s) => s.properties.kind === k))!
    const n = stations.filter((s) => s.properties.kind === kind).length
    await page.click(`input[data-kind="${kind}"]`)
    await waitIdle(page)
    expect(await page.evaluate(() => window.__atlas.stationsDrawn)).toBe(stations.length - n)
    await page.click(`input[data-kind="${kind}"]`)
    await waitIdle(page)
    expect(await page.evaluate(() => window.__atlas.stationsDrawn)).toBe(stations.length)
    expect(offOrigin).toEqual([])
    await page.close()
  })

  test('fits a phone screen without overlapping parts', async () => {
    const { page, offOrigin, errors } = await openPage('/?lang=zh', { width: 390, height: 844 })
    const box = async (sel: string) => (await page.locator(sel).boundingBox())!
    const header = await box('.topbar')
    const map = await box('#map')
    const panel = await box('#panel')
    expect(header.y + header.height).toBeLessThanOrEqual(map.y + 0.5)
    expect(map.y + map.height).toBeLessThanOrEqual(panel.y + 0.5)
    expect(panel.y + panel.height).toBeLessThanOrEqual(844 + 0.5)
    expect(map.height).toBeGreaterThan(300)
    // nothing wider than the screen
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390)
    await page.screenshot({ path: `${OUT}/map-phone.png` })
    await page.click('[data-fly="361021"]')
    await waitIdle(page)
    const { x, y } = await pickableStation(page, '361021')
    await page.mouse.click(x, y)
    await expect.poll(() => page.locator('.station-popup').isVisible()).toBe(true)
    await waitIdle(page)
    await page.screenshot({ path: `${OUT}/map-phone-nancheng.png` })
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.close()
  })
})
