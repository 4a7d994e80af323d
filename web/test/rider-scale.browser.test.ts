/**
 * The rider page on a province-sized data set (issue 13 item 3): 10^4 synthetic stations
 * (`npm run scale-data`) on top of the demo set, on a 390 × 844 phone in 金乡县. The page must never
 * walk the station list (/api/stations pages): the list comes from /api/nearest, the map's other
 * stations from the vector tiles, and the offline copy is one bounded /api/stations/columns page per
 * county (the COUNTY_CAP nearest). Its bytes on the wire stay bounded, and offline it still lists the
 * same stops from that copy. (10^5 by hand: `npm run measure-rider-scale`; CI keeps 10^4 for time.)
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, inject, test } from 'vitest'
import { chromium, type BrowserContext, type BrowserContextOptions, type Request } from 'playwright-core'
import { COUNTY_CAP } from '../src/rider/saved-counties.ts'
import { CHROMIUM_ARGS, OUT, startServer, waitIdle, watch } from './harness.ts'

const SCALE = Number(process.env.SCALE_STATIONS ?? 10_000)
const JINXIANG = { longitude: 116.311, latitude: 35.067 }
const PHONE = { width: 390, height: 844 }
/** everything the API sends a first visit, gzipped, whatever the data size: the list, ≤ 2 saved counties, the view's tiles, the region outlines */
const API_BUDGET = 450 * 1024
let base = process.env.ATLAS_URL ?? ''
let stop: () => void = () => {}
const dirs: string[] = []
const contexts: BrowserContext[] = []
const tmp = (p: string) => {
  const d = mkdtempSync(join(tmpdir(), p))
  dirs.push(d)
  return d
}

beforeAll(async () => {
  if (base) return
  const dataDir = tmp('atlas-rider-scale-db-')
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/scale-data.ts', '--stations', String(SCALE), '--skip-demand'], { env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: '' }, stdio: 'ignore' })
  const started = await startServer(inject('webRoot'), dataDir, {}, ['--demand-in-background'])
  base = started.url
  stop = () => process.kill(-started.child.pid!, 'SIGTERM')
}, 240_000)

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {})
  stop()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

async function phone(extra: BrowserContextOptions = {}): Promise<BrowserContext> {
  const ctx = await chromium.launchPersistentContext(tmp('atlas-rider-scale-chromium-'), {
    executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, viewport: PHONE, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
    locale: 'zh-CN', timezoneId: 'Asia/Shanghai', geolocation: JINXIANG, permissions: ['geolocation'], ...extra,
  })
  contexts.push(ctx)
  return ctx
}

/** GET /api/nearest as the page asks it by default (open now). */
async function apiNearest(): Promise<string[]> {
  const res = await fetch(`${base}/api/nearest?lon=${JINXIANG.longitude}&lat=${JINXIANG.latitude}&limit=5&open_at=now`)
  return ((await res.json()) as any).features.map((f: any) => f.id)
}

describe('rider at scale', () => {
  test('never walks the station list; the list, tiles and saved counties stay within a fixed budget', async () => {
    // service workers blocked: every request (the saved counties' too) is the page's own, seen and sized here
    const ctx = await phone({ serviceWorkers: 'block' })
    // Playwright's request events include MapLibre's worker (the tiles); /api/changes is polled for ever: left out
    const cdp: { url: string; bytes: number }[] = []
    let last = Date.now()
    const { page, offOrigin, errors } = await watch(ctx, base, '/rider', PHONE, (p) => {
      // MapLibre revalidates the tiles in view every 2 s (their max-age): counted in the bytes, not as activity
      const activity = (req: Request) => !new URL(req.url()).pathname.startsWith('/api/tiles/')
      p.on('request', (req) => activity(req) && (last = Date.now()))
      p.on('requestfinished', async (req) => {
        const u = new URL(req.url())
        if (!u.protocol.startsWith('http') || u.pathname === '/api/changes') return
        const sz = await req.sizes().catch(() => null)
        cdp.push({ url: req.url(), bytes: sz ? sz.responseBodySize + sz.responseHeadersSize : 0 })
        if (activity(req)) last = Date.now()
      })
    })
    await waitIdle(page, 120_000)
    // the county is saved after the list (here after the page's 15 s wait for a service worker): wait for it, then for a quiet network
    await expect.poll(() => cdp.some((r) => new URL(r.url).pathname === '/api/stations/columns'), { timeout: 90_000 }).toBe(true)
    await expect.poll(() => Date.now() - last > 2000, { timeout: 60_000, interval: 250 }).toBe(true)
    const shown = await page.evaluate(() => (window as any).__atlas.stops.map((s: any) => s.id))
    expect(shown.slice(0, 5)).toEqual((await apiNearest()).slice(0, shown.length))

    const api = cdp.filter((r) => new URL(r.url).pathname.startsWith('/api/'))
    const paths = api.map((r) => new URL(r.url))
    expect(paths.filter((u) => u.pathname === '/api/stations').map((u) => u.search)).toEqual([])
    const columns = paths.filter((u) => u.pathname === '/api/stations/columns')
    expect(columns.length).toBeGreaterThan(0)
    for (const u of columns) {
      expect(u.searchParams.get('near')).toMatch(/^[\d.]+,[\d.]+$/)
      expect(Number(u.searchParams.get('limit'))).toBeLessThanOrEqual(COUNTY_CAP)
      expect(u.searchParams.get('cursor')).toBeNull()
    }
    expect(paths.some((u) => u.pathname.startsWith('/api/tiles/stations/'))).toBe(true)
    const bytes = api.reduce((n, r) => n + r.bytes, 0)
    const by = (pre: string) => api.filter((r) => new URL(r.url).pathname.startsWith(pre)).reduce((n, r) => n + r.bytes, 0)
    console.log(`[rider-scale] ${SCALE} stations: API ${api.length} responses, ${(bytes / 1024).toFixed(0)} KiB on the wire (nearest ${(by('/api/nearest') / 1024).toFixed(0)}, saved counties ${(by('/api/stations/columns') / 1024).toFixed(0)} in ${columns.length}, tiles ${(by('/api/tiles/') / 1024).toFixed(0)}, regions ${(by('/api/regions') / 1024).toFixed(0)} KiB)`)
    expect(bytes).toBeLessThan(API_BUDGET)
    // the search offers the saved counties' stations: no further station download
    const before = cdp.length
    await page.locator('#search').focus()
    await page.waitForTimeout(1000)
    expect(cdp.slice(before).filter((r) => new URL(r.url).pathname.startsWith('/api/stations'))).toEqual([])
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
    await page.screenshot({ path: `${OUT}/rider-scale-390.png` })
    await ctx.close()
  }, 240_000)

  test('offline, the saved (partial) copy of the county lists the same stops', async () => {
    const ctx = await phone()
    const { page, errors } = await watch(ctx, base, '/rider', PHONE)
    await waitIdle(page, 120_000)
    const online = await page.evaluate(() => (window as any).__atlas.stops.map((s: any) => s.id))
    await expect
      .poll(() => page.evaluate(() => JSON.parse(localStorage.getItem('atlas.rider.saved') ?? '{}')['370828'] ?? null), { timeout: 60_000 })
      .toMatchObject({ reach_m: expect.any(Number) })
    await ctx.setOffline(true)
    try {
      await page.reload()
      await waitIdle(page, 120_000)
      expect(await page.evaluate(() => (window as any).__atlas.dataSource)).toBe('cache')
      expect(await page.evaluate(() => (window as any).__atlas.stops.map((s: any) => s.id))).toEqual(online)
      await page.screenshot({ path: `${OUT}/rider-scale-offline-390.png` })
    } finally {
      await ctx.setOffline(false)
    }
    const en = await watch(ctx, base, '/rider?lang=en', PHONE)
    await waitIdle(en.page, 120_000)
    await en.page.screenshot({ path: `${OUT}/rider-scale-en-390.png` })
    expect([...errors, ...en.errors]).toEqual([])
  }, 240_000)
})
