import { describe, expect, it } from 'vitest'
import { fieldChanges } from './field-changes.ts'

describe('fieldChanges', () => {
  it('lists only the fields that differ, with before and after', () => {
    expect(fieldChanges({ name: 'a', phone: null, amenities: ['water'] }, { name: 'b', phone: null, amenities: ['water'] })).toEqual({ name: ['a', 'b'] })
  })
  it('compares arrays by content', () => {
    expect(fieldChanges({ amenities: ['water'] }, { amenities: ['water', 'wifi'] })).toEqual({ amenities: [['water'], ['water', 'wifi']] })
  })
  it('treats a missing record as all-null (create and delete)', () => {
    expect(fieldChanges(null, { name: 'x', phone: null })).toEqual({ name: [null, 'x'] })
    expect(fieldChanges({ name: 'x' }, null)).toEqual({ name: ['x', null] })
  })
  it('is empty for equal records and for empty input', () => {
    expect(fieldChanges({ a: 1 }, { a: 1 })).toEqual({})
    expect(fieldChanges(null, null)).toEqual({})
  })
})
