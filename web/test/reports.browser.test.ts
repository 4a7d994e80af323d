/**
 * The editors' list (/reports) in a real browser against the real server, at 1366×768: two reports
 * posted through the API (one in 金乡县, one in a county of 黑河市, different problems and station
 * kinds, notes that start like spreadsheet formulas) are listed with their county and kind; every
 * filter keeps exactly the rows it should (compared with the API's own answer); the map draws them
 * as points in their problem's colour, a row click rings its point and a point click selects its
 * row; the CSV download holds the filtered rows with a BOM and the formulas escaped.
 * Screenshots: test-results/reports-*.png.
 */
import { readFileSync } from 'node:fs'
import Papa from 'papaparse'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { PROBLEM_COLORS } from '../src/reports/problem-colors.ts'
import type { ReportsHooks } from '../src/reports/main.ts'
import type { RegionCollection, StationCollection, StationFeature } from '../src/types.ts'
import { OUT, startHarness, waitIdle, type Harness } from './harness.ts'

let h: Harness
let regions: RegionCollection
const posted: Array<{ id: string; station: StationFeature; county: string; problem: 'no_water' | 'dirty'; note: string; at: [number, number] }> = []

async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(h.base + path)
  expect(res.status, path).toBe(200)
  return (await res.json()) as T
}

const hooks = (page: Page) => page.evaluate(() => {
  const a = (window as unknown as { __atlas: ReportsHooks }).__atlas
  return { filtered: a.filtered, selected: a.selected, idle: a.idle, error: a.error, points: a.mapPoints() }
})

/** Waits until the list has settled with exactly `ids` (in any order) kept by the filters. */
async function waitFiltered(page: Page, ids: string[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const a = (window as unknown as { __atlas?: ReportsHooks }).__atlas
      return !!a?.error || (a?.idle === true && a.filtered.length === want.length && want.every((id) => a.filtered.includes(id)))
    },
    ids,
    { timeout: 30_000, polling: 100 },
  )
  expect((await hooks(page)).error).toBeNull()
  // the table shows the same rows
  expect((await page.locator('#rows tr[data-id]').evaluateAll((trs) => trs.map((tr) => (tr as HTMLElement).dataset.id))).sort()).toEqual([...ids].sort())
}

const rgb = (hex: string) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16))
const rgbOf = (css: string) => (css.match(/[\d.]+/g) ?? []).slice(0, 3).map(Number)

beforeAll(async () => {
  h = await startHarness()
  // an editor's view: reporters' positions (the map's points) are shown only to editors of the region (issue 11)
  await h.signIn(h.context)
  regions = await getJson<RegionCollection>('/api/regions')
  const jinxiang = (await getJson<StationCollection>('/api/stations?region=370828&limit=200')).features
  const heiheCounty = regions.features.find((f) => f.properties.parent_code === '231100' && f.properties.level === 'county')!.properties.code
  const heihe = (await getJson<StationCollection>(`/api/stations?region=${heiheCounty}&limit=200`)).features
  const a = jinxiang[0]!
  const b = heihe.find((f) => f.properties.kind !== a.properties.kind)!
  const stamp = Date.now()
  for (const [station, county, problem, note] of [
    [a, '370828', 'no_water', `=HYPERLINK("http://x","饮水机坏了") ${stamp}`],
    [b, heiheCounty, 'dirty', `@卫生间很脏 ${stamp}`],
  ] as const) {
    const at = station.geometry.coordinates as [number, number]
    const pos: [number, number] = [at[0] + 0.001, at[1] + 0.001]
    const res = await fetch(`${h.base}/api/stations/${station.id}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem, note, lon: pos[0], lat: pos[1] }) })
    expect(res.status).toBe(201)
    const body = (await res.json()) as { id: string }
    posted.push({ id: body.id, station, county, problem, note, at: pos })
  }
})

afterAll(async () => {
  await h?.close()
})

describe('editors’ report list', () => {
  test('1366×768: lists the reports with county and kind, filters, maps and exports them', async () => {
    const { page, offOrigin, errors } = await h.open('/reports?lang=zh', { width: 1366, height: 768 })
    await waitIdle(page)
    const [A, B] = posted as [typeof posted[0], typeof posted[0]]
    const open = await getJson<{ features: Array<{ id: string }> }>('/api/reports?status=open')
    await waitFiltered(page, open.features.map((f) => f.id))
    expect(open.features.map((f) => f.id)).toEqual(expect.arrayContaining([A.id, B.id]))

    // county and kind columns
    for (const r of posted) {
      const tr = page.locator(`#rows tr[data-id="${r.id}"]`)
      const county = regions.features.find((f) => f.properties.code === r.county)!.properties.name
      expect(await tr.locator('.c-colCounty').textContent()).toBe(county)
      expect(await tr.locator('.c-colKind').getAttribute('data-kind')).toBe(r.station.properties.kind)
      expect(await tr.locator('.c-colProblem').getAttribute('data-problem')).toBe(r.problem)
    }
    // nothing on the page scrolls at the desk size, and the controls are the page's, not the browser's
    const layout = await page.evaluate(() => ({
      scroll: document.documentElement.scrollHeight - innerHeight,
      appearance: [...document.querySelectorAll('select')].map((s) => getComputedStyle(s).appearance),
      mapBox: document.getElementById('map')!.getBoundingClientRect().toJSON(),
    }))
    expect(layout.scroll).toBeLessThanOrEqual(0)
    expect(new Set(layout.appearance)).toEqual(new Set(['none']))
    expect(layout.mapBox.width).toBeGreaterThan(250)
    expect(layout.mapBox.bottom).toBeLessThanOrEqual(768)
    await page.screenshot({ path: `${OUT}/reports-1366x768-zh.png` })

    // filters: problem, then county (asked of the API), kind, status
    const choose = async (name: string, value: string) => page.locator(`#filters select[name="${name}"]`).selectOption(value)
    await choose('problem', 'dirty')
    await waitFiltered(page, [B.id])
    await choose('problem', '')
    await choose('region', '370828')
    const inJinxiang = await getJson<{ features: Array<{ id: string; properties: { station_kind: string } }> }>('/api/reports?status=open&region=370828')
    await waitFiltered(page, inJinxiang.features.map((f) => f.id))
    expect(inJinxiang.features.map((f) => f.id)).toContain(A.id)
    expect(inJinxiang.features.map((f) => f.id)).not.toContain(B.id)
    await choose('kind', B.station.properties.kind)
    await waitFiltered(page, inJinxiang.features.filter((f) => f.properties.station_kind === B.station.properties.kind).map((f) => f.id))
    await choose('region', '231100') // the city: its counties
    await waitFiltered(page, [B.id])
    await choose('status', 'resolved')
    await waitFiltered(page, [])
    expect(await page.locator('#rows .rp-empty').count()).toBe(1)
    await page.locator('#filters [data-action="reset"]').click()
    await waitFiltered(page, open.features.map((f) => f.id))

    // the map: one point per report with a position, in its problem's colour
    let a = await hooks(page)
    for (const r of posted) {
      const pt = a.points.find((p) => p.id === r.id)
      expect(pt, `map point of ${r.problem}`).toBeDefined()
      expect(pt!.problem).toBe(r.problem)
      rgbOf(pt!.color).forEach((v, i) => expect(v).toBeCloseTo(rgb(PROBLEM_COLORS[r.problem])[i]!, -0.5))
    }
    // row → point
    await page.locator(`#rows tr[data-id="${A.id}"] .c-colStation`).click()
    await page.waitForFunction((id) => (window as any).__atlas.selected === id && (window as any).__atlas.idle, A.id)
    a = await hooks(page)
    expect(a.points.find((p) => p.id === A.id)!.selected).toBe(true)
    expect(a.points.filter((p) => p.selected).length).toBe(1)
    // point → row: frame both again, then click B's point on the map
    await page.locator('#filters [data-action="reset"]').click()
    await page.locator(`#rows tr[data-id="${B.id}"] .c-colStation`).click()
    await page.waitForFunction((id) => (window as any).__atlas.selected === id && (window as any).__atlas.idle, B.id)
    await page.locator(`#rows tr[data-id="${B.id}"] .c-colStation`).click() // unselect: the map stays on B
    await page.waitForFunction(() => (window as any).__atlas.selected === null && (window as any).__atlas.idle)
    a = await hooks(page)
    const pb = a.points.find((p) => p.id === B.id)!
    const box = (await page.locator('#map').boundingBox())!
    await page.mouse.click(box.x + pb.x, box.y + pb.y)
    await page.waitForFunction((id) => (window as any).__atlas.selected === id, B.id)
    expect(await page.locator(`#rows tr[data-id="${B.id}"]`).getAttribute('class')).toContain('is-selected')

    // CSV of the filtered list
    await choose('region', '231100')
    await waitFiltered(page, [B.id])
    await choose('region', '')
    await waitFiltered(page, open.features.map((f) => f.id))
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export').click()])
    expect(download.suggestedFilename()).toMatch(/^stationatlas-reports-\d{4}-\d{2}-\d{2}\.csv$/)
    const file = await download.path()
    const text = readFileSync(file!, 'utf8')
    expect(text.charCodeAt(0)).toBe(0xfeff)
    const rows = Papa.parse<string[]>(text.slice(1), { skipEmptyLines: true }).data
    const head = rows[0]!
    expect(head).toEqual(expect.arrayContaining(['时间（北京时间）', '县（市、区）', '驿站', '类型', '问题', '说明', '状态', '经度', '纬度', '报告编号']))
    expect(rows.length - 1).toBe(open.features.length)
    const col = (name: string) => head.indexOf(name)
    for (const r of posted) {
      const line = rows.find((x) => x[col('报告编号')] === r.id)!
      expect(line, r.id).toBeDefined()
      // the notes start with = and @: written with a leading ' so Excel shows them as text
      expect(line[col('说明')]).toBe(`'${r.note}`)
      expect(line[col('县（市、区）')]).toBe(regions.features.find((f) => f.properties.code === r.county)!.properties.name)
      expect(Number(line[col('经度')])).toBeCloseTo(r.at[0], 6)
      expect(Number(line[col('纬度')])).toBeCloseTo(r.at[1], 6)
    }
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
  })

  test('English: the same list in English, and the switch back to Chinese', async () => {
    const { page, offOrigin, errors } = await h.open('/reports?lang=en', { width: 1366, height: 768 })
    await waitIdle(page)
    await waitFiltered(page, posted.map((p) => p.id))
    expect(await page.locator('#head th').first().textContent()).toBe('Time (CST)')
    expect(await page.locator('#head th').first().getAttribute('title')).toBe('Time (China Standard Time)')
    expect(await page.locator('[data-label="region"]').textContent()).toBe('County / district')
    expect(await page.locator(`#rows tr[data-id="${posted[1]!.id}"] .c-colProblem`).textContent()).toBe('Dirty')
    expect(await page.locator('#export').textContent()).toBe('Export CSV')
    await page.screenshot({ path: `${OUT}/reports-1366x768-en.png` })
    await page.locator('[data-action="lang"]').click()
    expect(await page.locator('#head th').first().textContent()).toBe('时间（北京时间）')
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN')
    expect(offOrigin).toEqual([])
    expect(errors).toEqual([])
  })
})
