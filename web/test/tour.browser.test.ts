/**
 * The big-screen tour (/tour) in a real browser against the real server, at 1920×1080 and
 * 3840×2160: the tour advances two stops on its own (short dwell from the URL), and what each stop
 * shows — caption, station counts by kind, coverage, biggest gap, programme figures and their
 * source — is compared with what the API answers. Screenshots go to test-results/tour-*.png.
 */
import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { STATION_KINDS } from '@core/station-kinds.ts'
import type { Programmes } from '../../api/src/schemas/programme.ts'
import type { Coverage, GapCollection } from '../src/tour/data.ts'
import { formatArea as fmtArea, formatCount as fmtCount, formatCompactDemand as fmtDemand, formatFigure as fmtFigure, formatPercent as fmtRatio } from '../src/format.ts'
import type { ShownField, TourHooks } from '../src/tour/test-hooks.ts'
import type { RegionCollection, StationCollection } from '../src/types.ts'
import { OUT, startHarness, type Harness } from './harness.ts'

let h: Harness
let regions: RegionCollection
let programmes: Programmes

async function api<T>(path: string): Promise<T> {
  const res = await fetch(h.base + path)
  expect(res.status, path).toBe(200)
  return (await res.json()) as T
}

/** Counts by kind of the stations /api/stations lists for a region (planned and active). */
async function stationCounts(region: string | null, members: string[]): Promise<Record<string, number>> {
  const codes = region ? [region] : members
  const counts: Record<string, number> = Object.fromEntries(STATION_KINDS.map((k) => [k, 0]))
  for (const code of codes) {
    const fc = await api<StationCollection>(`/api/stations?region=${code}&limit=10000`)
    expect(fc.next_cursor ?? null).toBeNull()
    for (const f of fc.features) counts[f.properties.kind]!++
  }
  return counts
}

const hooks = (page: Page) => page.evaluate(() => (window as unknown as { __atlas: TourHooks }).__atlas)
const shown = (page: Page) => page.evaluate(() => (window as unknown as { __atlas: TourHooks }).__atlas.shown())

/**
 * Waits until the tour has arrived at `step` by itself. With `hold`, the tour is paused as soon as
 * it reaches the step (inside the page, pausing only stops the next step being scheduled), so a slow
 * machine cannot miss the step's short dwell and slow checks or 4K screenshots cannot race it.
 */
async function waitStep(page: Page, step: number, timeout: number, hold = false): Promise<void> {
  await page.waitForFunction(
    ([i, hold]) => {
      const a = (window as unknown as { __atlas?: TourHooks }).__atlas
      if (a?.error) return true
      if (a?.step !== i) return false
      if (hold && !a.paused) a.pause()
      return a.idle
    },
    [step, hold] as const,
    { timeout, polling: 250 },
  )
  expect((await hooks(page)).error).toBeNull()
}

/** Compares one stop's panels with the API; returns a line describing it. */
async function checkStop(page: Page): Promise<string> {
  const a = await hooks(page)
  expect(a.paused).toBe(true) // held by waitStep, so the panels cannot change under the checks
  const f = await shown(page)
  const field = (name: string): ShownField => {
    expect(f[name], `panel field ${name}`).toBeDefined()
    return f[name]!
  }
  const stop = a.stops[a.step]!
  const places = ['231100', '370828', '361021']

  // caption
  if (stop.level === 'overview') expect(field('caption').text).toBe('三地总览')
  else expect(field('caption').text).toBe(regions.features.find((r) => r.properties.code === stop.code)!.properties.name)

  // station counts by kind
  const counts = await stationCounts(stop.code, places)
  let total = 0
  for (const k of STATION_KINDS) {
    expect(Number(field(`count.${k}`).value), k).toBe(counts[k])
    expect(field(`count.${k}`).text).toBe(fmtCount(counts[k]!, 'zh'))
    total += counts[k]!
  }
  expect(Number(field('count.total').value)).toBe(total)

  // coverage: the same requests the page made, asked again
  expect(a.queries.coverage.length).toBe(stop.level === 'overview' ? 3 : 1)
  const covs = await Promise.all(a.queries.coverage.map((p) => api<Coverage>(p)))
  if (stop.level === 'overview') {
    a.queries.coverage.forEach((p, i) => expect(p).toContain(`region=${places[i]}`))
    covs.forEach((c, i) => expect(Number(field(`compare.${places[i]}`).value)).toBeCloseTo(c.ratio, 12))
  } else expect(a.queries.coverage[0]).toContain(`region=${stop.code}`)
  const covered = covs.reduce((s, c) => s + c.covered, 0)
  const all = covs.reduce((s, c) => s + c.total, 0)
  const ratio = all > 0 ? covered / all : 0
  expect(Number(field('coverage.ratio').value)).toBeCloseTo(ratio, 12)
  expect(field('coverage.ratio').text).toBe(fmtRatio(ratio, 'zh'))
  expect(field('coverage.covered').text).toBe(`已覆盖 ${fmtDemand(covered, 'zh', all)} / ${fmtDemand(all, 'zh')} ${covs[0]!.layer.unit}`)

  // biggest gap (the overview: the biggest of the places' top gaps)
  const gaps = await Promise.all(a.queries.gaps.map((p) => api<GapCollection>(p)))
  const top = gaps.flatMap((g) => g.features).sort((x, y) => y.properties.demand - x.properties.demand)[0]
  if (top) {
    expect(Number(field('gap.demand').value)).toBeCloseTo(top.properties.demand, 9)
    expect(field('gap.demand').text).toBe(fmtDemand(top.properties.demand, 'zh'))
    expect(field('gap.area').text).toBe(fmtArea(top.properties.area_km2, 'zh'))
    if (top.properties.nearest_station_m !== null) expect(Number(field('gap.nearest').value)).toBeCloseTo(top.properties.nearest_station_m, 6)
  }

  // programme figures, each against /api/programmes, and the source named
  const progCodes = stop.level === 'overview' ? places : [places.find((p) => p === stop.code || regions.features.find((r) => r.properties.code === stop.code)?.properties.parent_code === p)!]
  let figures = 0
  for (const code of progCodes) {
    const prog = programmes.programmes.find((p) => p.region_code === code)!
    for (const fig of prog.figures) {
      const on = f[`fig.${code}.${fig.key}`]
      if (!on) continue
      figures++
      expect(Number(on.value), fig.key).toBe(fig.value)
      expect(on.text.replace(/^\+/, '')).toBe(fmtFigure(fig.value, fig.unit, fig.at_least ?? false, 'zh'))
    }
  }
  expect(figures).toBeGreaterThanOrEqual(stop.level === 'overview' ? 9 : 6)
  expect(field('source').text).toContain(programmes.source.articles)
  for (const page of programmes.source.pages) expect(field('source').text).toContain(page)

  // item 17: every figure from the model (/api/coverage, /api/gaps) sits in a panel with the modelled badge,
  // and the published programme figures in one with the published badge and never the modelled one
  const badges = await modelBadges(page)
  expect(badges.modelFields.length).toBeGreaterThanOrEqual(4)
  expect(badges.modelFields.filter((b) => !b.modelled || b.published)).toEqual([])
  expect(badges.figFields.filter((b) => !b.published || b.modelled)).toEqual([])
  expect(badges.modelText).toEqual(['模型估算'])
  expect(badges.publishedText).toEqual(['实际公布数据'])
  expect(badges.modelStyle).not.toEqual(badges.publishedStyle)

  return `${a.step} ${stop.code ?? 'overview'}: ${total} stations, coverage ${fmtRatio(ratio, 'zh')}, ${figures} programme figures`
}

/** For each figure on screen, whether its card carries the modelled / published badge, and how the badges look. */
function modelBadges(page: Page) {
  return page.evaluate(() => {
    const card = (el: Element) => el.closest('.t-card, .t-place-marker')!
    const has = (el: Element, badge: string) => !!card(el).querySelector(`[data-badge="${badge}"]`)
    const of = (sel: string) => [...document.querySelectorAll(sel)].map((el) => ({ field: (el as HTMLElement).dataset.field!, modelled: has(el, 'modelled'), published: has(el, 'published') }))
    const look = (badge: string) => {
      const el = document.querySelector(`.t-card [data-badge="${badge}"]`)
      if (!el) return null
      const cs = getComputedStyle(el)
      return { color: cs.color, border: cs.borderStyle, background: cs.backgroundColor }
    }
    const text = (badge: string) => [...new Set([...document.querySelectorAll(`[data-badge="${badge}"]`)].map((el) => (el.textContent ?? '').replace('≈', '').replace('✓', '').trim()))]
    return {
      modelFields: of('[data-field^="coverage."], [data-field^="compare."], [data-field^="gap."]'),
      figFields: of('[data-field^="fig."]'),
      modelText: text('modelled'),
      publishedText: text('published'),
      modelStyle: look('modelled'),
      publishedStyle: look('published'),
      // the overview names each place on the map with its coverage: a modelled figure too
      placeMarkers: [...document.querySelectorAll('.t-place-marker')].map((el) => !!el.querySelector('[data-badge="modelled"]')),
    }
  })
}

/**
 * Item 18: the district labels and the gap pin are drawn above deck.gl's columns. Hit-testing is
 * switched on for the map's layers for the check only (they are `pointer-events: none` on a kiosk):
 * the topmost element at each label's and the pin's centre must be the label or the pin, not deck.gl's canvas.
 */
function onTopOfColumns(page: Page) {
  return page.evaluate(() => {
    const map = document.querySelector('.maplibregl-map')!
    const all = [map, ...map.querySelectorAll<HTMLElement>('*')] as HTMLElement[]
    const saved = all.map((el) => el.style.pointerEvents)
    for (const el of all) el.style.pointerEvents = 'auto'
    try {
      const check = (el: HTMLElement) => {
        const r = el.getBoundingClientRect()
        const x = r.left + r.width / 2
        const y = r.top + r.height / 2
        if (x < 0 || y < 0 || x > innerWidth || y > innerHeight) return null // off screen
        const hit = document.elementFromPoint(x, y)
        // a panel may lie over a neighbour's label at the edge; what must never be on top is a map canvas
        return { text: el.textContent ?? '', onTop: !!hit && hit.tagName !== 'CANVAS', mine: !!hit && el.contains(hit), hit: hit?.tagName ?? '' }
      }
      return {
        labels: [...document.querySelectorAll<HTMLElement>('.t-label')].map(check).filter((c) => c !== null),
        pin: [...document.querySelectorAll<HTMLElement>('.t-gap-marker span')].map(check).filter((c) => c !== null),
        deckCanvases: document.querySelectorAll('.maplibregl-map canvas').length,
      }
    } finally {
      all.forEach((el, i) => (el.style.pointerEvents = saved[i]!))
    }
  })
}

/** Layout checks an official would make from across the room: nothing cut off or overlapping, no small text. */
async function checkLayout(page: Page, minPx: number): Promise<void> {
  const r = await page.evaluate(() => {
    const box = (id: string) => document.getElementById(id)!.getBoundingClientRect()
    const panels = ['head', 'left', 'right', 'foot'].map((id) => ({ id, ...box(id).toJSON() }))
    const clipped = ['left', 'right'].filter((id) => {
      const el = document.getElementById(id)!
      return el.scrollHeight > el.clientHeight + 1 || [...el.children].some((c) => c.getBoundingClientRect().bottom > el.getBoundingClientRect().bottom + 1)
    })
    const overflowing = [...document.querySelectorAll<HTMLElement>('#left *, #right *, #foot *')].filter((el) => el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflow === 'hidden').map((el) => el.className || el.tagName)
    let minFont = Infinity
    for (const el of document.querySelectorAll<HTMLElement>('#head *, #left *, #right *, #foot *, .maplibregl-marker *')) {
      const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())
      if (hasText) minFont = Math.min(minFont, parseFloat(getComputedStyle(el).fontSize))
    }
    return { panels, clipped, overflowing, minFont }
  })
  const [head, left, right, foot] = r.panels
  const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom
  expect(overlap(left as DOMRect, right as DOMRect)).toBe(false)
  for (const side of [left, right]) {
    expect(side!.top).toBeGreaterThanOrEqual(head!.bottom - 1 - 0.6 * minPx)
    expect(side!.bottom).toBeLessThanOrEqual(foot!.top + 1)
  }
  expect(r.clipped).toEqual([])
  expect(r.overflowing).toEqual([])
  expect(r.minFont).toBeGreaterThanOrEqual(minPx)
}

beforeAll(async () => {
  h = await startHarness()
  regions = await api<RegionCollection>('/api/regions')
  programmes = await api<Programmes>('/api/programmes')
})

afterAll(async () => {
  await h?.close()
})

describe('big-screen tour', () => {
  for (const [width, height] of [[1920, 1080], [3840, 2160]] as const) {
    test(`${width}×${height}: tours two stops on its own and shows the API's figures`, { timeout: 600_000 }, async () => {
      const { page, offOrigin, errors } = await h.open('/tour?dwell=3&lang=zh', { width, height })
      const scale = width / 1920
      const lines: string[] = []
      for (const step of [0, 1, 2]) {
        await waitStep(page, step, 240_000, true)
        lines.push(await checkStop(page))
        await checkLayout(page, 16 * scale - 0.5)
        // item 18: badges and the footer at ≥ 20 px at 1080p (≥ 40 px at 4K), readable from 5 m
        const small = await page.evaluate((min) => {
          const out: string[] = []
          for (const el of document.querySelectorAll<HTMLElement>('.t-tag, .t-tag *, #foot *')) {
            const hasText = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent!.trim())
            if (hasText && parseFloat(getComputedStyle(el).fontSize) < min) out.push(`${el.className || el.tagName}: ${getComputedStyle(el).fontSize}`)
          }
          return out
        }, 20 * scale - 0.5)
        expect(small).toEqual([])
        const stopLevel = (await hooks(page)).level
        if (stopLevel === 'overview') expect((await modelBadges(page)).placeMarkers).toEqual([true, true, true])
        else {
          const top = await onTopOfColumns(page)
          expect(top.deckCanvases).toBeGreaterThanOrEqual(2) // MapLibre's and deck.gl's
          expect(top.labels.filter((l) => l.mine).length).toBeGreaterThan(0)
          expect(top.labels.filter((l) => !l.onTop)).toEqual([])
          expect(top.pin.length).toBe(1)
          expect(top.pin.filter((l) => !l.mine)).toEqual([])
        }
        await page.screenshot({ path: `${OUT}/tour-${width}x${height}-${step}.png` })
        await page.evaluate(() => (window as unknown as { __atlas: TourHooks }).__atlas.resume())
      }
      const a = await hooks(page)
      expect(a.stops.map((s) => s.code)).toEqual([null, '231100', '231102', '231123', '231124', '231181', '231182', '231183', '370828', '361021'])
      expect(a.drawn.cells).toBeGreaterThan(0) // extruded demand hexagons on a county stop
      expect(a.drawn.cells).toBeLessThanOrEqual(10_000)
      expect(offOrigin).toEqual([])
      expect(errors).toEqual([])
      console.log(`${width}×${height}\n  ${lines.join('\n  ')}`)
    })
  }

  test('an imported demand layer: its source and licence under the coverage figure, no 模型估算 badge on it', { timeout: 300_000 }, async () => {
    const editor = { email: 'tour-editor@atlas.test', password: 'tour-editor-password', role: 'editor' as const, regions: ['370828'] }
    await h.createUser(editor)
    const origin = new URL(h.base).origin
    const login = await fetch(`${h.base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json', origin }, body: JSON.stringify({ email: editor.email, password: editor.password }) })
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!
    const form = new FormData()
    form.append('file', new File([readFileSync('api/test/fixtures/import/jinxiang-population.tif')], 'jinxiang-population.tif'))
    const meta = { layer: 'worldpop-tour', name: '常住人口（WorldPop 测试瓦片）', name_en: 'Residents (WorldPop test tile)', source: 'WorldPop 2020 100 m (test tile)', licence: 'CC BY 4.0', dry_run: 'false' }
    for (const [k, v] of Object.entries(meta)) form.append(k, v)
    const res = await fetch(`${h.base}/api/import/demand`, { method: 'POST', headers: { cookie, origin }, body: form })
    expect(res.status, await res.clone().text()).toBe(200)
    for (const lang of ['zh', 'en'] as const) {
      const { page, offOrigin } = await h.open(`/tour?regions=370828,361021&layer=worldpop-tour&dwell=60&lang=${lang}`, { width: 1920, height: 1080 })
      await waitStep(page, 0, 150_000)
      await page.keyboard.press('1')
      await waitStep(page, 1, 150_000, true)
      const f = await shown(page)
      expect(f['layer-source']!.text).toBe(lang === 'zh' ? '需求数据来源：WorldPop 2020 100 m (test tile) · 许可：CC BY 4.0' : 'Demand data: WorldPop 2020 100 m (test tile) · licence: CC BY 4.0')
      const card = page.locator('.t-card', { has: page.locator('[data-field="coverage.ratio"]') })
      expect(await card.locator('[data-badge="modelled"]').count()).toBe(0)
      // legible on a wall: at least 18 px at 1920×1080
      expect(parseFloat(await page.locator('[data-field="layer-source"]').evaluate((el) => getComputedStyle(el).fontSize))).toBeGreaterThanOrEqual(18)
      await page.screenshot({ path: `${OUT}/tour-imported-layer-1920-${lang}.png` })
      expect(offOrigin).toEqual([])
      await page.close()
    }
  })

  test('presenter keys: pause holds the stop, a number jumps, ? shows the help; URL picks regions and language', { timeout: 300_000 }, async () => {
    const { page, offOrigin } = await h.open('/tour?regions=370828,361021&dwell=60&lang=en', { width: 1920, height: 1080 })
    await waitStep(page, 0, 150_000)
    let a = await hooks(page)
    expect(a.stops.map((s) => s.code)).toEqual([null, '370828', '361021'])
    expect(a.lang).toBe('en')
    expect((await shown(page)).caption!.text).toBe('The 2 places')
    // item 19: the source names its pages in English, the clock an unambiguous date
    const source = (await shown(page)).source!.text
    expect(source).toContain('pages B12–B13')
    expect(source).not.toMatch(/版|B12\/B13/)
    expect(await page.locator('#clock').textContent()).toMatch(/^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}, \d{2}:\d{2}$/)
    const badgeText = await modelBadges(page)
    expect(badgeText.modelText).toEqual(['modelled'])
    expect(badgeText.modelFields.filter((b) => !b.modelled)).toEqual([])
    await page.keyboard.press('2')
    await waitStep(page, 2, 150_000)
    expect((await shown(page)).caption!.text).toBe('Nancheng County')
    await page.keyboard.press('Space')
    a = await hooks(page)
    expect(a.paused).toBe(true)
    await page.keyboard.press('?')
    expect(await page.locator('#help').isVisible()).toBe(true)
    await page.screenshot({ path: `${OUT}/tour-help-en.png` })
    await page.keyboard.press('Escape')
    expect(await page.locator('#help').isVisible()).toBe(false)
    await page.keyboard.press('ArrowRight') // wraps to the overview
    await waitStep(page, 0, 150_000)
    expect(offOrigin).toEqual([])
  })
})
