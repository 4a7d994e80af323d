import { describe, expect, it } from 'vitest'
import { openingHoursProblem } from '../opening-hours-problem.ts'
import { chineseHours } from './chinese-hours.ts'

describe('chineseHours', () => {
  it.each([
    ['8:00-20:00', '08:00-20:00'],
    ['8:00～20:00', '08:00-20:00'],
    ['08：30-17：30', '08:30-17:30'],
    ['全天', '24/7'],
    ['24小时', '24/7'],
    ['周一至周五 9:00-17:00', 'Mo-Fr 09:00-17:00'],
    ['周一至周五9:00-17:00，周六9:00-12:00', 'Mo-Fr 09:00-17:00; Sa 09:00-12:00'],
    ['工作日 9:00-17:00；周末 10:00-16:00', 'Mo-Fr 09:00-17:00; Sa,Su 10:00-16:00'],
    ['8:00-12:00、14:00-18:00', '08:00-12:00,14:00-18:00'],
    ['下午2点-6点', '14:00-18:00'],
    ['9点-17点半', '09:00-17:30'],
    ['周一闭馆，周二至周日 9:00-17:00', 'Mo off; Tu-Su 09:00-17:00'],
    ['周一、周三 8:00-12:00', 'Mo,We 08:00-12:00'],
    ['每天 7:00-22:00', '07:00-22:00'],
    ['Mo-Fr 08:00-20:00', 'Mo-Fr 08:00-20:00'],
  ])('converts %s → %s, which the opening_hours parser accepts', (text, want) => {
    expect(chineseHours(text)).toEqual({ value: want })
    expect(openingHoursProblem(want)).toBeNull()
  })

  it.each(['早八晚八', '节假日除外', '25:00-26:00', '周一至周五', '', '8:00'])('reports "%s" instead of guessing', (text) => {
    expect(chineseHours(text)).toHaveProperty('problem')
  })
})
