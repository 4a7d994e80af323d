import { describe, expect, test } from 'vitest'
import type { RegionCollection } from '../types.ts'
import { regionLabelLayers, regionLabelPoints, regionLineLayers } from './region-layers.ts'

const regions: RegionCollection = {
  type: 'FeatureCollection',
  features: [
    {
      type: 'Feature',
      geometry: { type: 'MultiPolygon', coordinates: [[[[116, 34.9], [116.5, 34.9], [116.5, 35.2], [116, 35.2], [116, 34.9]]]] },
      properties: { code: '370828', name: '金乡县', name_en: 'Jinxiang County', level: 'county', parent_code: '370800', focus: true, label_lon: 116.28, label_lat: 35.04, station_count: 0 },
    },
  ],
}

describe('regionLabelPoints', () => {
  test('adds a callout at the east edge of each programme place', () => {
    const points = regionLabelPoints(regions).features
    expect(points).toHaveLength(2)
    expect(points[0]!.geometry.coordinates).toEqual([116.28, 35.04])
    expect(points[1]!.properties).toMatchObject({ code: '370828', callout: true, place: true })
    expect(points[1]!.geometry.coordinates).toEqual([116.5, 35.05])
  })
})

describe('region layers', () => {
  test('draw only county and city lines from the region data (no national borders)', () => {
    for (const layer of regionLineLayers()) expect('source' in layer && layer.source).toBe('regions')
  })

  test('label in English from name_en', () => {
    const layer = regionLabelLayers('en')[0]!
    expect(layer.type === 'symbol' && layer.layout?.['text-field']).toEqual(['coalesce', ['get', 'name_en'], ['get', 'name']])
  })
})
