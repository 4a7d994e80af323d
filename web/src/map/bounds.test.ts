import { describe, expect, test } from 'vitest'
import { featuresBBox } from './bounds.ts'

describe('featuresBBox', () => {
  test('returns null for no features', () => {
    expect(featuresBBox([])).toBeNull()
  })

  test('bounds points and multipolygons together', () => {
    const bbox = featuresBBox([
      { type: 'Feature', properties: {}, geometry: { type: 'Point', coordinates: [116.3, 35.1] } },
      { type: 'Feature', properties: {}, geometry: { type: 'MultiPolygon', coordinates: [[[[116, 34.9], [116.5, 34.9], [116.5, 35.2], [116, 34.9]]]] } },
    ])
    expect(bbox).toEqual([116, 34.9, 116.5, 35.2])
  })

  test('skips features without geometry', () => {
    expect(featuresBBox([{ type: 'Feature', properties: {}, geometry: null as never }])).toBeNull()
  })
})
