import { describe, expect, it } from 'vitest'
import { buildPlaces, seatNames } from './build-places.ts'

describe('build-places', () => {
  it('recognises townships named in a seat description', () => {
    expect(seatNames('金乡县城 (金乡/高河/王丕/鱼山街道)', '高河街道')).toBe(true)
    expect(seatNames('北安市区 (兆麟/和平/北岗/铁西街道)', '兆麟街道地区')).toBe(true)
    expect(seatNames('建昌镇', '建昌镇')).toBe(true)
    expect(seatNames('金乡县城 (金乡/高河/王丕/鱼山街道)', '羊山镇')).toBe(false)
  })

  it('puts seat townships at the seat and the rest at the county label point, marked approximate', () => {
    const places = buildPlaces(
      [{ code: '370828002', name: '高河街道', areaCode: '370828' }, { code: '370828101', name: '羊山镇', areaCode: '370828' }],
      [{ code: '370828', name: '金乡县' }],
      [{ code: '370828', name: '金乡县', label_lon: 116.25, label_lat: 35.05 }],
      { counties: [{ code: '370828', seat: { name: '金乡县城 (金乡/高河/王丕/鱼山街道)' } }] },
      ['370828'],
    )
    expect(places.map((p) => [p.name, p.approx, p.lon])).toEqual([
      ['金乡县', false, 116.30599],
      ['高河街道', false, 116.30599],
      ['羊山镇', true, 116.25],
    ])
  })
})
