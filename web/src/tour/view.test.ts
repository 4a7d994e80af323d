import { describe, expect, test } from 'vitest'
import type { Coverage, Programme } from './data.ts'
import { formatCompactDemand, formatFigure, formatPercent, formatWallClock } from '../format.ts'
import { biggestGap, combineCoverage, pageList, programmeView, sourceLine } from './view.ts'

const layer = { id: 'population', name: '常住人口（模型）', name_en: 'Resident population (modelled)', unit: '人', unit_en: 'persons', modelled: true, demo: false, source: 's', licence: null }
const cov = (covered: number, total: number): Coverage => ({ covered, total, ratio: covered / total, by_region: [], layer, kind: null, radius_m: null })

describe('stop figures', () => {
  test('a loaded layer carries its source and licence to the coverage card; the modelled and demo layers do not (their badges say it)', () => {
    const real = { ...layer, id: 'worldpop', modelled: false, source: 'WorldPop 2020', licence: 'CC BY 4.0' }
    expect(combineCoverage([{ ...cov(1, 2), layer: real }])!.source).toEqual({ text: 'WorldPop 2020', licence: 'CC BY 4.0' })
    expect(combineCoverage([{ ...cov(1, 2), layer: { ...real, licence: null } }])!.source).toEqual({ text: 'WorldPop 2020', licence: null })
    expect(combineCoverage([cov(1, 2)])!.source).toBeNull()
    expect(combineCoverage([{ ...cov(1, 2), layer: { ...real, demo: true } }])!.source).toBeNull()
  })


  test('combines places as Σ covered / Σ total, not an average of ratios', () => {
    expect(combineCoverage([cov(10, 100), cov(90, 100)])!.ratio).toBe(0.5)
    expect(combineCoverage([cov(1, 10), cov(90, 990)])!.ratio).toBeCloseTo(91 / 1000, 12)
    expect(combineCoverage([])).toBeNull()
  })
  test('picks the biggest gap by unserved demand', () => {
    const g = (demand: number) => ({ demand, area_km2: 1, nearest_station_m: 1, region_code: null, centroid: [0, 0] as [number, number], cells: [], modelled: true, demo: false })
    expect(biggestGap([g(3), null, g(7), g(5)])!.demand).toBe(7)
    expect(biggestGap([null])).toBeNull()
  })
  test('orders a programme by its headline keys and keeps values as given', () => {
    const p: Programme = {
      region_code: '361021', name: '南城县', name_en: 'Nancheng County', title: '“红色哨兵”', title_en: 'Red Sentinels',
      figures: [
        { key: 'food_safety_sentinels', label_zh: '食品安全哨兵', label_en: 'Food-safety sentinels', value: 12, unit: 'count' },
        { key: 'sentinel_volunteer_turns_this_year', label_zh: '志愿服务', label_en: 'Turns', value: 468, unit: 'count' },
      ],
    }
    const v = programmeView(p, 'zh', 1)
    expect(v.figures).toEqual([{ key: 'sentinel_volunteer_turns_this_year', label: '志愿服务', value: 468, unit: 'count', at_least: false }])
  })
})

describe('source line', () => {
  const src = { articles: '党建引领新就业群体 …', pages: ['B12', 'B13'], citation: '"党建引领新就业群体 …" articles, B12/B13 版' }
  test('English names the pages as a range, without 版; Chinese stays as published', () => {
    expect(sourceLine(src, 'en')).toBe('“党建引领新就业群体 …” articles, pages B12–B13')
    expect(sourceLine(src, 'en')).not.toContain('版')
    expect(sourceLine(src, 'zh')).toBe('“党建引领新就业群体 …” 报道，B12、B13 版')
  })
  test('a range only for consecutive pages of one section', () => {
    expect(pageList(['B12', 'B13', 'B14'])).toBe('B12–B14')
    expect(pageList(['B12', 'B15'])).toBe('B12, B15')
    expect(pageList(['A1', 'B2'])).toBe('A1, B2')
    expect(pageList(['B12'])).toBe('B12')
    expect(sourceLine({ ...src, pages: ['B12'] }, 'en')).toBe('“党建引领新就业群体 …” articles, page B12')
  })
})

describe('format', () => {
  test('keeps published precision and marks "N+"', () => {
    expect(formatFigure(73.4, 'percent', false, 'zh')).toBe('73.4%')
    expect(formatFigure(2000, 'count', true, 'en')).toBe('2,000+')
  })
  test('the wall clock: an unambiguous date in English (month in words), Chinese as before, China Standard Time', () => {
    const at = new Date('2026-12-01T10:05:00Z')
    expect(formatWallClock(at, 'en')).toBe('1 Dec 2026, 18:05')
    expect(formatWallClock(at, 'zh')).toBe('12/1 18:05')
  })
  test('ratios to one decimal, demand in 万 against its total', () => {
    expect(formatPercent(0.2587, 'zh')).toBe('25.9%')
    expect(formatCompactDemand(79455, 'zh', 224000)).toBe('7.9万')
    expect(formatCompactDemand(79455, 'zh')).toBe('79,455')
    expect(formatCompactDemand(1_286_401, 'en')).toBe('1.29M')
  })
})
