/**
 * The rider page on a phone: located near 金乡县's centre, it must list the same stops, in the same
 * order and at the same distances as GET /api/nearest; its Amap/Baidu links must carry the gcoord
 * conversions of each stop; a refused location must show the fallback; a reload offline must still
 * list stops under the stale-data banner; first-load bytes on Fast 3G are logged; a report must
 * reach GET /api/reports, close its dialog and say so. Issue 10: the first stop's name, distance,
 * open-now and navigation show without scrolling at 390 × 844; the rider's dot is above the stops and
 * no two markers overlap; refused location starts the map at the covered (or last) county with a
 * helpful primary button; a township search rounds distances; the page is installable (manifest,
 * icons, service worker). Screenshots: test-results/rider-*.png.
 *
 * ATLAS_URL=http://127.0.0.1:PORT skips the build and the server (see harness.ts).
 */
import gcoord from 'gcoord'
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { OUT, startHarness, waitIdle, watch, type Harness, type Watched } from './harness.ts'

const JINXIANG = { longitude: 116.311, latitude: 35.067 }
const PHONE = { width: 390, height: 844 }
const SMALL = { width: 360, height: 800 }

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})

function phoneContext(viewport: { width: number; height: number }, extra: BrowserContextOptions = {}): Promise<BrowserContext> {
  return h.newContext({ viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', ...extra })
}

/** GET /api/nearest as the page asks it by default (open now, 5 stops). */
async function apiNearest(lon: number, lat: number): Promise<any[]> {
  const res = await fetch(`${h.base}/api/nearest?lon=${lon}&lat=${lat}&limit=5&open_at=now`)
  expect(res.status).toBe(200)
  return ((await res.json()) as any).features
}

async function listed(page: Page) {
  return page.evaluate(() => (window as any).__atlas.stops as { id: string; distance_m: number; name: string }[])
}

/** The list order, distances and navigation links on screen match the API and gcoord. */
async function checkListAgainstApi(w: Watched, lon: number, lat: number): Promise<any[]> {
  const { page } = w
  const api = await apiNearest(lon, lat)
  expect(api.length).toBeGreaterThan(0)
  const shown = await listed(page)
  expect(shown.map((s) => s.id)).toEqual(api.map((f) => f.id))
  shown.forEach((s, i) => expect(s.distance_m).toBeCloseTo(api[i].properties.distance_m, 6))
  // the DOM says the same, in the same order
  const dom = await page.$$eval('.stop', (els) => els.map((e) => ({ id: (e as HTMLElement).dataset.id, d: Number((e as HTMLElement).dataset.distance) })))
  expect(dom.map((d) => d.id)).toEqual(api.map((f) => f.id))
  for (const f of api) {
    const card = page.locator(`.stop[data-id="${f.id}"]`)
    const [wlon, wlat] = f.geometry.coordinates as [number, number]
    const amap = new URL((await card.locator('[data-nav="amap"]').getAttribute('href'))!)
    const [alon, alat] = amap.searchParams.get('position')!.split(',').map(Number) as [number, number]
    const [glon, glat] = gcoord.transform([wlon, wlat], gcoord.WGS84, gcoord.GCJ02) as [number, number]
    expect(alon).toBeCloseTo(glon, 6)
    expect(alat).toBeCloseTo(glat, 6)
    const baidu = new URL((await card.locator('[data-nav="baidu"]').getAttribute('href'))!)
    expect(baidu.searchParams.get('coord_type')).toBe('bd09ll')
    const [blat, blon] = baidu.searchParams.get('location')!.split(',').map(Number) as [number, number]
    const [blon2, blat2] = gcoord.transform([wlon, wlat], gcoord.WGS84, gcoord.BD09) as [number, number]
    expect(blon).toBeCloseTo(blon2, 6)
    expect(blat).toBeCloseTo(blat2, 6)
    const geo = await card.locator('[data-nav="geo"]').getAttribute('href')
    expect(geo).toMatch(new RegExp(`^geo:${wlat.toFixed(6)},${wlon.toFixed(6)}`))
    // every stop says open, shows a distance and an estimate labelled as one
    await expect(card.locator('.open-badge').textContent()).resolves.toBe('营业中')
    await expect(card.locator('.est').textContent()).resolves.toBe('估算')
  }
  return api
}

/** [w, s, e, n] of GeoJSON features. */
function bboxOf(features: any[]): [number, number, number, number] {
  const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity]
  const walk = (c: any): void => {
    if (typeof c[0] === 'number') {
      b[0] = Math.min(b[0], c[0]); b[1] = Math.min(b[1], c[1]); b[2] = Math.max(b[2], c[0]); b[3] = Math.max(b[3], c[1])
    } else c.forEach(walk)
  }
  features.forEach((f) => walk(f.geometry.coordinates))
  return b
}

/** The view holds `box` and is no bigger than the box plus padding in at least one direction (the other follows the screen's shape). */
function expectViewFits(view: [number, number, number, number], box: [number, number, number, number]): void {
  expect(view[0]).toBeLessThanOrEqual(box[0] + 1e-6)
  expect(view[1]).toBeLessThanOrEqual(box[1] + 1e-6)
  expect(view[2]).toBeGreaterThanOrEqual(box[2] - 1e-6)
  expect(view[3]).toBeGreaterThanOrEqual(box[3] - 1e-6)
  const ratio = Math.min((view[2] - view[0]) / (box[2] - box[0]), (view[3] - view[1]) / (box[3] - box[1]))
  expect(ratio).toBeLessThan(1.6)
}

/** Item 10: the first card's name, distance, open-now badge and both navigation buttons inside the viewport without scrolling. */
async function checkFirstStopAboveFold(page: Page, viewport: { width: number; height: number }): Promise<void> {
  await page.evaluate(() => window.scrollTo(0, 0))
  const boxes = await page.evaluate(() => {
    const card = document.querySelector('.stop')!
    const sel = { name: '.stop-name', distance: '.dist', open: '.open-badge', amap: '[data-nav="amap"]', baidu: '[data-nav="baidu"]' }
    return Object.fromEntries(Object.entries(sel).map(([k, q]) => {
      const r = card.querySelector(q)!.getBoundingClientRect()
      return [k, { top: r.top, bottom: r.bottom, left: r.left, right: r.right }]
    }))
  })
  for (const [what, b] of Object.entries(boxes)) {
    expect({ what, inside: b.top >= 0 && b.left >= 0 && b.bottom <= viewport.height && b.right <= viewport.width }).toEqual({ what, inside: true })
  }
}

/** Item 11: the rider's dot drawn above every stop, no two markers overlapping it or each other, the scale bar inside the map. */
async function checkMarkers(page: Page): Promise<void> {
  const layers = await page.evaluate(() => (window as any).__atlas.markers())
  expect(layers.stops.length).toBeGreaterThan(0)
  const discs = [...(layers.me ? [layers.me] : []), ...layers.stops]
  const overlapping: string[] = []
  for (let i = 0; i < discs.length; i++) for (let j = i + 1; j < discs.length; j++) {
    const a = discs[i], b = discs[j]
    if (Math.hypot(a.x - b.x, a.y - b.y) < a.r + b.r) overlapping.push(`${a.id ?? 'me'}/${b.id}`)
  }
  expect(overlapping).toEqual([])
  const order: string[] = await page.evaluate(() => (window as any).__atlas.mapLayers())
  expect(order.indexOf('me-dot')).toBeGreaterThan(order.indexOf('stops-circle'))
  expect(order.indexOf('me-dot')).toBeGreaterThan(order.indexOf('stops-rank'))
  expect(order.at(-1)).toBe('me-dot')
  const map = (await page.locator('#map').boundingBox())!
  const scale = (await page.locator('.maplibregl-ctrl-scale').boundingBox())!
  expect(scale.x).toBeGreaterThanOrEqual(map.x)
  expect(scale.y).toBeGreaterThanOrEqual(map.y)
  expect(scale.x + scale.width).toBeLessThanOrEqual(map.x + map.width)
  expect(scale.y + scale.height).toBeLessThanOrEqual(map.y + map.height)
}

/** Small screens: nothing wider than the viewport, every control at least 44 px tall. */
async function checkPhoneLayout(page: Page, width: number): Promise<void> {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth)
  expect(overflow).toBeLessThanOrEqual(width)
  const small = await page.$$eval('.stop button, .stop a, .chip, .where-btns button, .search', (els) =>
    els.map((e) => ({ text: (e.textContent ?? '').trim().slice(0, 20), h: e.getBoundingClientRect().height })).filter((x) => x.h < 44))
  expect(small).toEqual([])
}

describe('rider page', () => {
  let phone: BrowserContext
  let main: Watched
  let api: any[] = []

  test('lists the nearest open stops near 金乡县 exactly as GET /api/nearest does, with converted nav links', async () => {
    phone = await phoneContext(PHONE, { geolocation: JINXIANG, permissions: ['geolocation'] })
    main = await watch(phone, h.base, '/rider', PHONE)
    await waitIdle(main.page)
    expect(await main.page.evaluate(() => (window as any).__atlas.origin)).toMatchObject({ lon: JINXIANG.longitude, lat: JINXIANG.latitude, source: 'gps' })
    api = await checkListAgainstApi(main, JINXIANG.longitude, JINXIANG.latitude)
    expect(await main.page.locator('html').getAttribute('lang')).toBe('zh-CN')
    expect(await main.page.locator('[data-testid="demo-badge"]').isVisible()).toBe(true)
    // the map shows the rider and the stops, the first one chosen
    expect(await main.page.evaluate(() => (window as any).__atlas.selectedId)).toBe(api[0].id)
    const pt = await main.page.evaluate((id) => (window as any).__atlas.stopScreenPoint(id), api[0].id)
    expect(pt).not.toBeNull()
    await checkPhoneLayout(main.page, PHONE.width)
    await checkFirstStopAboveFold(main.page, PHONE)
    await checkMarkers(main.page)
    // a GPS fix: distances to the 10 m, no 约
    expect(await main.page.locator('.stop .dist').first().textContent()).toMatch(/^\d+(\.\d)? (米|公里)$/)
    expect(main.offOrigin).toEqual([])
    expect(main.errors).toEqual([])
    await main.page.screenshot({ path: `${OUT}/rider-390.png` })
    await main.page.screenshot({ path: `${OUT}/rider-390-full.png`, fullPage: true })
  })

  test('choosing another stop highlights it in the list and on the map', async () => {
    const second = api[1]
    if (!second) return
    await main.page.locator(`.stop[data-id="${second.id}"] .stop-main`).click()
    await waitIdle(main.page)
    expect(await main.page.evaluate(() => (window as any).__atlas.selectedId)).toBe(second.id)
    expect(await main.page.locator(`.stop[data-id="${second.id}"]`).getAttribute('class')).toContain('is-selected')
    await main.page.locator(`.stop[data-id="${api[0].id}"] .stop-main`).click()
    await waitIdle(main.page)
  })

  test('a report submitted from a stop is stored and shown to editors', async () => {
    const { page } = main
    const stop = api[0]
    await page.locator(`.stop[data-id="${stop.id}"] [data-report]`).click()
    const dlg = page.locator('#report-dialog')
    await dlg.locator('input[value="no_water"]').check()
    const note = `饮水机没水了 ${Date.now()}`
    await dlg.locator('textarea').fill(note)
    // the rider's position is theirs: offered, explained, not ticked
    const loc = dlg.locator('input[name="loc"]')
    expect(await loc.isChecked()).toBe(false)
    expect(await dlg.locator('#report-loc-why').textContent()).toContain('不勾选就不会发送')
    await loc.check()
    await page.screenshot({ path: `${OUT}/rider-report.png` })
    await dlg.locator('button[type=submit]').click()
    // sent: the dialog closes and the page says so in words
    await expect.poll(() => page.locator('#report-dialog').count()).toBe(0)
    const toast = page.locator('#toast')
    await expect.poll(() => toast.textContent()).toContain('已提交')
    expect(await toast.isVisible()).toBe(true)
    expect(await toast.getAttribute('role')).toBe('status')
    await page.screenshot({ path: `${OUT}/rider-report-sent.png` })
    await h.signIn(phone) // reporters' locations are shown to editors only
    const res = await phone.request.get(`${h.base}/api/reports?status=open`)
    const mine = ((await res.json()) as any).features.find((f: any) => f.properties.note === note)
    expect(mine).toBeDefined()
    expect(mine.properties).toMatchObject({ station_id: stop.id, problem: 'no_water', status: 'open' })
    expect(mine.geometry.coordinates[0]).toBeCloseTo(JINXIANG.longitude, 6)
    expect(mine.geometry.coordinates[1]).toBeCloseTo(JINXIANG.latitude, 6)
    await toast.locator('[data-action="toast-close"]').click()
    expect(await toast.isVisible()).toBe(false)
    // and the editors' page lists it
    const editors = await watch(phone, h.base, '/reports', { width: 1200, height: 800 })
    await editors.page.locator(`tr:has-text("${note}")`).waitFor()
    await editors.page.screenshot({ path: `${OUT}/rider-editors.png` })
    await editors.page.close()
  })

  test('keeps working offline after the first load, under a stale-data banner', async () => {
    const { page } = main
    // the service worker has the shell, the code and this county's stations (one bounded columns
    // page, the nearest COUNTY_CAP; never the station list), and no map tiles
    await expect
      .poll(() => page.evaluate(async () => {
        const shell = await (await caches.open('atlas-rider-shell-v2')).keys()
        const data = (await (await caches.open('atlas-rider-data-v2')).keys()).map((r) => new URL(r.url))
        return {
          shell: shell.some((r) => new URL(r.url).pathname === '/rider'), assets: shell.filter((r) => r.url.includes('/assets/')).length,
          county: data.filter((u) => u.pathname === '/api/stations/columns' && u.searchParams.get('region') === '370828' && u.searchParams.has('near')).length,
          lists: data.filter((u) => u.pathname === '/api/stations').length, tiles: data.filter((u) => u.pathname.startsWith('/api/tiles/')).length,
        }
      }), { timeout: 30_000 })
      .toMatchObject({ shell: true, county: 1, lists: 0, tiles: 0 })
    expect(await page.evaluate(() => !!navigator.serviceWorker.controller)).toBe(true)
    await phone.setOffline(true)
    try {
      await page.reload()
      await waitIdle(page)
      expect(await page.evaluate(() => (window as any).__atlas.dataSource)).toBe('cache')
      const banner = page.locator('[data-testid="stale-banner"]')
      expect(await banner.textContent()).toMatch(/^离线 · 数据更新于 \d{2}:\d{2}/)
      const shown = await listed(page)
      // ranked on the phone from the cached county: same stops as the API gave online (the saved
      // copy's positions are rounded to 10^-6°, ≈ 0.1 m: distances agree to well under a metre)
      expect(shown.map((s) => s.id)).toEqual(api.map((f) => f.id))
      shown.forEach((s, i) => expect(s.distance_m).toBeCloseTo(api[i].properties.distance_m, 0))
      await page.screenshot({ path: `${OUT}/rider-offline.png` })
    } finally {
      await phone.setOffline(false)
    }
  })

  test('fits a 360 × 800 phone: no sideways scrolling, big targets', async () => {
    const ctx = await phoneContext(SMALL, { geolocation: JINXIANG, permissions: ['geolocation'] })
    const w = await watch(ctx, h.base, '/rider', SMALL)
    await waitIdle(w.page)
    await checkListAgainstApi(w, JINXIANG.longitude, JINXIANG.latitude)
    await checkPhoneLayout(w.page, SMALL.width)
    await checkFirstStopAboveFold(w.page, SMALL)
    expect(w.errors).toEqual([])
    await w.page.screenshot({ path: `${OUT}/rider-360.png` })
    await ctx.close()
  })

  test('refused location: says so, then works from a searched place or a tap on the map', async () => {
    const ctx = await phoneContext(SMALL, { permissions: [] })
    const w = await watch(ctx, h.base, '/rider', SMALL)
    const { page } = w
    await waitIdle(page)
    expect(await page.evaluate(() => (window as any).__atlas.fallback)).toBe('denied')
    await expect(page.locator('[data-testid="geo-fallback"]').textContent()).resolves.toContain('未获得定位权限')
    await page.screenshot({ path: `${OUT}/rider-refused.png` })
    // item 12: the map starts at the counties the atlas covers, not all of China
    const regions = (await (await fetch(`${h.base}/api/regions`)).json()) as any
    const covered = bboxOf(regions.features.filter((f: any) => f.properties.focus && f.properties.level === 'county'))
    expectViewFits(await page.evaluate(() => (window as any).__atlas.mapBounds()), covered)
    // … and the primary button helps (search), there is no 取消 to press
    const primary = page.locator('#where-status .btn-primary')
    expect(await primary.count()).toBe(1)
    expect((await primary.textContent())!.trim()).toBe('搜索地名')
    expect(await page.locator('#where-status button', { hasText: '取消' }).count()).toBe(0)
    await primary.click()
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('search')
    // a tap while the whole programme is in view zooms to the county tapped, it does not set a position
    const jx = regions.features.find((f: any) => f.properties.code === '370828')
    const jxBox = bboxOf([jx])
    const tapAt = await page.evaluate((p) => (window as any).__atlas.screenPoint(p), [(jxBox[0] + jxBox[2]) / 2, (jxBox[1] + jxBox[3]) / 2])
    await page.mouse.click(tapAt.x, tapAt.y)
    await waitIdle(page)
    expect(await page.evaluate(() => (window as any).__atlas.origin)).toBeNull()
    expectViewFits(await page.evaluate(() => (window as any).__atlas.mapBounds()), jxBox)

    // search a township: only its county centre is known, and the page says so
    await page.locator('#search').fill('羊山')
    await page.locator('.search-hit', { hasText: '羊山镇' }).click()
    await waitIdle(page)
    await expect(page.locator('[data-testid="approx-note"]').isVisible()).resolves.toBe(true)
    // item 13: an approximate position gives rounded distances and times, with 约
    expect(await page.evaluate(() => (window as any).__atlas.approx)).toBe(true)
    const dists = await page.locator('.stop .dist').allTextContents()
    expect(dists.length).toBeGreaterThan(0)
    for (const d of dists) expect(d).toMatch(/^约 (\d+00 米|\d+(\.[05])? 公里)$/)
    for (const t of await page.locator('.stop .stop-times > span:not(.est)').allTextContents()) expect(t).toMatch(/约 \d*[05] 分钟/)
    expect(await page.locator('[data-testid="approx-list"]').isVisible()).toBe(true)
    const origin = await page.evaluate(() => (window as any).__atlas.origin)
    expect(origin.source).toBe('search')
    const api = await apiNearest(origin.lon, origin.lat)
    expect((await listed(page)).map((s) => s.id)).toEqual(api.map((f) => f.id))
    await page.screenshot({ path: `${OUT}/rider-search.png` })

    // tap the map: that point becomes the origin
    await page.locator('[data-action="pick"]').click()
    const box = (await page.locator('#map').boundingBox())!
    await page.mouse.click(box.x + box.width * 0.3, box.y + box.height * 0.6)
    await waitIdle(page)
    const tapped = await page.evaluate(() => (window as any).__atlas.origin)
    expect(tapped.source).toBe('tap')
    const tapApi = await apiNearest(tapped.lon, tapped.lat)
    expect((await listed(page)).map((s) => s.id)).toEqual(tapApi.map((f) => f.id))
    expect(w.errors).toEqual([])
    await ctx.close()
  })

  test('refused location with a county used before: the map starts at that county', async () => {
    const ctx = await phoneContext(PHONE, { permissions: [] })
    // what an earlier visit to 金乡县 left on this phone (the page writes it after every list)
    await ctx.addInitScript(() => {
      if (!localStorage.getItem('atlas.rider.lastCounty')) localStorage.setItem('atlas.rider.lastCounty', '370828')
    })
    const w = await watch(ctx, h.base, '/rider', PHONE)
    await waitIdle(w.page)
    expect(await w.page.evaluate(() => (window as any).__atlas.fallback)).toBe('denied')
    const regions = (await (await fetch(`${h.base}/api/regions`)).json()) as any
    expectViewFits(await w.page.evaluate(() => (window as any).__atlas.mapBounds()), bboxOf(regions.features.filter((f: any) => f.properties.code === '370828')))
    expect(w.errors).toEqual([])
    await ctx.close()
  })

  test('English fits a 360 px and a 390 px phone: the title and the search hint are not cut', async () => {
    for (const vp of [SMALL, PHONE]) {
      const ctx = await phoneContext(vp, { geolocation: JINXIANG, permissions: ['geolocation'] })
      const w = await watch(ctx, h.base, '/rider?lang=en', vp)
      await waitIdle(w.page)
      const cut = await w.page.evaluate(() => {
        const title = document.querySelector<HTMLElement>('.brand-title')!
        const input = document.querySelector<HTMLInputElement>('#search')!
        const ctx2 = document.createElement('canvas').getContext('2d')!
        const cs = getComputedStyle(input)
        ctx2.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`
        const hint = ctx2.measureText(input.placeholder).width
        const actions = document.querySelector('.top-actions')!.getBoundingClientRect()
        return { title: title.scrollWidth > title.clientWidth || title.getBoundingClientRect().right > actions.left, hint: hint > input.clientWidth, text: title.textContent }
      })
      expect(cut).toEqual({ title: false, hint: false, text: 'Rider stops nearby' })
      await checkFirstStopAboveFold(w.page, vp)
      await checkPhoneLayout(w.page, vp.width)
      await w.page.screenshot({ path: `${OUT}/rider-en-${vp.width}.png` })
      await ctx.close()
    }
  })

  test('installable: the manifest and icons are served, parse, and Chromium finds nothing missing', async () => {
    for (const [path, name] of [['/rider.webmanifest', '骑手找驿站'], ['/rider-en.webmanifest', 'Rider rest stops']] as const) {
      const res = await fetch(h.base + path)
      expect(res.status).toBe(200)
      expect(res.headers.get('content-type')).toMatch(/^application\/manifest\+json/)
      const m = (await res.json()) as any
      expect(m).toMatchObject({ name, scope: '/rider', id: '/rider', display: 'standalone', theme_color: '#b3202f' })
      expect(m.start_url.startsWith('/rider')).toBe(true)
      expect(m.short_name.length).toBeGreaterThan(0)
      expect(m.background_color).toMatch(/^#[0-9a-f]{6}$/)
      const purposes = new Set<string>()
      for (const icon of m.icons) {
        const png = await fetch(h.base + icon.src)
        expect(png.headers.get('content-type')).toBe('image/png')
        const buf = Buffer.from(await png.arrayBuffer())
        // PNG signature, then IHDR width and height
        expect(buf.subarray(1, 4).toString()).toBe('PNG')
        expect(`${buf.readUInt32BE(16)}x${buf.readUInt32BE(20)}`).toBe(icon.sizes)
        purposes.add(icon.purpose)
      }
      expect([...purposes].sort()).toEqual(['any', 'maskable'])
      expect(m.icons.map((i: any) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']))
    }
    const apple = await fetch(`${h.base}/icons/rider-apple-touch-180.png`)
    expect(apple.headers.get('content-type')).toBe('image/png')

    const { page } = main
    await page.goto(`${h.base}/rider`)
    await waitIdle(page)
    expect(await page.locator('link[rel="manifest"]').getAttribute('href')).toBe('/rider.webmanifest')
    expect(await page.locator('link[rel="apple-touch-icon"]').getAttribute('href')).toBe('/icons/rider-apple-touch-180.png')
    expect(await page.locator('meta[name="apple-mobile-web-app-capable"]').getAttribute('content')).toBe('yes')
    const cdp = await phone.newCDPSession(page)
    const got = (await cdp.send('Page.getAppManifest' as any)) as any
    expect(got.errors).toEqual([])
    expect(JSON.parse(got.data).name).toBe('骑手找驿站')
    const inst = (await cdp.send('Page.getInstallabilityErrors' as any)) as any
    console.log(`[rider] installability errors: ${JSON.stringify(inst.installabilityErrors)}`)
    expect(inst.installabilityErrors).toEqual([])
    // the service worker keeps the manifest and the icons for the home-screen app offline
    await expect
      .poll(() => page.evaluate(async () => {
        const keys = (await (await caches.open('atlas-rider-shell-v2')).keys()).map((r) => new URL(r.url).pathname)
        return ['/rider.webmanifest', '/icons/rider-192.png', '/icons/rider-512.png', '/icons/rider-maskable-512.png'].filter((p) => !keys.includes(p))
      }), { timeout: 30_000 })
      .toEqual([])
    await cdp.detach()
  })

  test('first load on Fast 3G stays small (bytes logged), and the planner links here', async () => {
    const measure = async (path: string, throttle: boolean, wait: (p: Page) => Promise<void>) => {
      // service workers blocked: once one is in control its fetches happen outside the page, where
      // this CDP session neither sees nor throttles them; blocked, every byte of the first load is counted here
      const ctx = await phoneContext(PHONE, { geolocation: JINXIANG, permissions: ['geolocation'], serviceWorkers: 'block' })
      const page = await ctx.newPage()
      const origin = new URL(h.base).origin
      await page.route('**/*', (route) => (new URL(route.request().url()).origin === origin ? route.continue() : route.abort('blockedbyclient')))
      let bytes = 0
      const byType: Record<string, number> = {}
      const types = new Map<string, string>()
      const urls = new Map<string, string>()
      const byUrl: [string, number][] = []
      let pwBytes = 0 // cross-check of the CDP figure
      page.on('requestfinished', async (req) => {
        const sz = await req.sizes().catch(() => null)
        if (sz) pwBytes += sz.responseBodySize + sz.responseHeadersSize
      })
      const cdp = await ctx.newCDPSession(page)
      await cdp.send('Network.enable')
      // Chrome DevTools' "Fast 3G" preset (Lighthouse's mobile throttling): 562.5 ms RTT,
      // 1.6 Mbps × 0.9 down, 750 kbps × 0.9 up
      if (throttle) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: ((1.6 * 1024 * 1024) / 8) * 0.9, uploadThroughput: ((750 * 1024) / 8) * 0.9 })
      cdp.on('Network.responseReceived', (e: any) => {
        types.set(e.requestId, e.type)
        urls.set(e.requestId, new URL(e.response.url).pathname + new URL(e.response.url).search)
      })
      cdp.on('Network.loadingFinished', (e: any) => {
        bytes += e.encodedDataLength
        const t = types.get(e.requestId) ?? 'Other'
        byType[t] = (byType[t] ?? 0) + e.encodedDataLength
        byUrl.push([urls.get(e.requestId) ?? '?', e.encodedDataLength])
      })
      const t0 = Date.now()
      const nav = page.goto(h.base + path, { timeout: 180_000 })
      let firstList = 0
      let listMs = 0
      if (path === '/rider') {
        // polled every 100 ms: within ≈ 18 KB of the exact figure on Fast 3G
        await page.waitForFunction(() => (window as any).__atlas?.stops?.length > 0, null, { timeout: 180_000, polling: 100 })
        firstList = bytes
        listMs = Date.now() - t0
      }
      await nav
      await wait(page)
      const ms = Date.now() - t0
      // MapLibre's worker script is fetched for the worker: neither counter above sees it; the
      // page's resource timing does
      const workerBytes = await page.evaluate(() =>
        (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => /worker[^/]*\.m?js/.test(e.name)).reduce((a, e) => a + e.transferSize, 0))
      bytes += workerBytes
      await ctx.close()
      return { bytes, workerBytes, pwBytes, firstList, listMs, ms, byType, byUrl: byUrl.sort((a, b) => b[1] - a[1]) }
    }
    const rider = await measure('/rider', true, (p) => waitIdle(p, 180_000))
    console.log(`[rider] Fast 3G first load: ${(rider.bytes / 1024).toFixed(0)} KiB transferred until idle (${(rider.ms / 1000).toFixed(1)} s); ≈ ${(rider.firstList / 1024).toFixed(0)} KiB until the list showed (${(rider.listMs / 1000).toFixed(1)} s); by type ${JSON.stringify(Object.fromEntries(Object.entries(rider.byType).map(([k, v]) => [k, Math.round(v / 1024)])))} KiB`)
    console.log(`[rider] of which MapLibre's worker script ${(rider.workerBytes / 1024).toFixed(0)} KiB (from resource timing); Playwright counts ${(rider.pwBytes / 1024).toFixed(0)} KiB without it`)
    console.log(`[rider] largest: ${rider.byUrl.slice(0, 8).map(([u, b]) => `${u.replace(/-[\w-]{8}\./, '.')} ${(b / 1024).toFixed(0)} KiB`).join(', ')}`)
    const planner = await measure('/', false, async (p) => {
      await p.locator('[data-testid="rider-link"]').waitFor()
      expect(await p.locator('[data-testid="rider-link"]').getAttribute('href')).toBe('/rider')
      await waitIdle(p, 120_000)
    })
    console.log(`[rider] planner first load (unthrottled): ${(planner.bytes / 1024).toFixed(0)} KiB transferred (Playwright: ${(planner.pwBytes / 1024).toFixed(0)} KiB)`)
    // the list must not wait for the map: far less than the whole page
    expect(rider.firstList).toBeLessThan(rider.bytes)
    expect(rider.bytes).toBeLessThan(planner.bytes)
  })
})
