import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

interface Figure { key: string; label_zh: string; label_en: string; value: number; unit: string; at_least?: boolean; note?: string }
interface Programme { region_code: string; name: string; title: string; figures: Figure[] }
const doc = JSON.parse(readFileSync(new URL('./programmes.json', import.meta.url), 'utf8')) as {
  note: string
  source: { articles: string; pages: string[] }
  programmes: Programme[]
}
const value = (region: string, key: string) => doc.programmes.find((p) => p.region_code === region)?.figures.find((f) => f.key === key)

describe('data/programmes.json', () => {
  it('cites the B12/B13 articles and says the figures are real, not demo', () => {
    expect(doc.source.articles).toMatch(/^党建引领新就业群体/)
    expect(doc.source.pages).toEqual(['B12', 'B13'])
    expect(doc.note).toMatch(/not demo data/)
  })

  it('has the three programmes with their titles', () => {
    expect(doc.programmes.map((p) => [p.region_code, p.name, p.title])).toEqual([
      ['231100', '黑河市', '党建+项目'],
      ['370828', '金乡县', '“两新”组织'],
      ['361021', '南城县', '“红色哨兵”'],
    ])
  })

  it('gives every figure a unique key, both labels, a number and a unit', () => {
    for (const p of doc.programmes) {
      expect(new Set(p.figures.map((f) => f.key)).size).toBe(p.figures.length)
      for (const f of p.figures) {
        expect(f.key).toMatch(/^[a-z0-9_]+$/)
        expect(f.label_zh.length * f.label_en.length).toBeGreaterThan(0)
        expect(Number.isFinite(f.value)).toBe(true)
        expect(['count', 'percent']).toContain(f.unit)
      }
    }
  })

  it('marks only the "N+" figures as at_least', () => {
    const atLeast = doc.programmes.flatMap((p) => p.figures.filter((f) => f.at_least).map((f) => `${p.region_code}:${f.key}=${f.value}`))
    expect(atLeast).toEqual(['370828:volunteer_events=170', '370828:volunteers=2000', '361021:food_hygiene_suggestions=530'])
  })

  it('carries the figures the demo stations are counted against', () => {
    expect(value('370828', 'service_centres')?.value).toBe(3)
    expect(value('370828', 'red_sail_stations')?.value).toBe(16)
    expect(value('370828', 'rider_rest_stations')?.value).toBe(27)
    expect(value('231100', 'project_party_organisations')?.value).toBe(70)
    expect(value('231100', 'key_projects')?.value).toBe(188)
    expect(value('361021', 'sentinel_volunteer_turns_this_year')?.value).toBe(468)
  })
})
