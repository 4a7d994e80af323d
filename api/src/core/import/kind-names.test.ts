import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { repoPath } from '../../paths.ts'
import { amenitiesFromText } from './amenity-words.ts'
import { escapeFormula, unescapeFormula } from './formula-escape.ts'
import { kindFromName, kindNamesMarkdown } from './kind-names.ts'

describe('kind names', () => {
  it('maps the ledgers’ words and the canonical ids to the four kinds; an unknown word to null', () => {
    expect(kindFromName('爱心驿站')).toBe('rider_rest')
    expect(kindFromName(' 户外劳动者服务站点 ')).toBe('rider_rest')
    expect(kindFromName('红帆 驿站')).toBe('red_sail')
    expect(kindFromName('党群服务中心')).toBe('service_centre')
    expect(kindFromName('工地驿站')).toBe('worksite')
    expect(kindFromName('Worksite')).toBe('worksite')
    expect(kindFromName('加油站')).toBeNull()
  })

  it('is the table the README shows', () => {
    expect(readFileSync(repoPath('README.md'), 'utf8')).toContain(kindNamesMarkdown())
  })
})

describe('amenity words', () => {
  it('splits on Chinese and Latin separators and reports words it does not know', () => {
    expect(amenitiesFromText('饮水、充电；卫生间, wifi')).toEqual({ amenities: ['water', 'charging', 'toilet', 'wifi'], unknown: [] })
    expect(amenitiesFromText('热水 按摩椅')).toEqual({ amenities: ['water'], unknown: ['按摩椅'] })
  })
})

describe('formula escape', () => {
  it.each(['=1+1', '+86 537', '-5', '@SUM(A1)', '\tx', '\rx'])('escapes %j and takes the escape off again', (v) => {
    expect(escapeFormula(v)).toBe(`'${v}`)
    expect(unescapeFormula(escapeFormula(v))).toBe(v)
  })
  it('leaves other text alone, also a leading apostrophe before ordinary text', () => {
    expect(escapeFormula('驿站')).toBe('驿站')
    expect(unescapeFormula("'驿站")).toBe("'驿站")
  })
})
