import { describe, expect, test } from 'vitest'
import { lineage, mayWriteIn, nextPath } from './grants.ts'

const editor = (regions: string[], disabled = false) => ({ role: 'editor' as const, regions, disabled })

describe('mayWriteIn', () => {
  test('an editor of a county writes there and nowhere else', () => {
    expect(mayWriteIn(editor(['370828']), '370828')).toBe(true)
    expect(mayWriteIn(editor(['370828']), '361021')).toBe(false)
    expect(mayWriteIn(editor(['370828']), '370800')).toBe(false) // the county does not cover its city
  })
  test('a city grant covers its counties, by the region data or by the code', () => {
    const parents = new Map([['231102', '231100'], ['231100', '230000']])
    expect(mayWriteIn(editor(['231100']), '231102', parents)).toBe(true)
    expect(mayWriteIn(editor(['231100']), '231181')).toBe(true)
    expect(lineage('231102', parents)).toEqual(['231102', '231100', '230000'])
  })
  test('admins write everywhere; anonymous and disabled accounts nowhere; no region needs an admin', () => {
    expect(mayWriteIn({ role: 'admin', regions: [], disabled: false }, '361021')).toBe(true)
    expect(mayWriteIn({ role: 'admin', regions: [], disabled: false }, null)).toBe(true)
    expect(mayWriteIn(null, '370828')).toBe(false)
    expect(mayWriteIn(editor(['370828'], true), '370828')).toBe(false)
    expect(mayWriteIn(editor(['370828']), null)).toBe(false)
  })
})

describe('nextPath', () => {
  test('returns to a path on this site, never to another host or back to sign-in', () => {
    expect(nextPath('?next=%2Freports%3Fstatus%3Dopen')).toBe('/reports?status=open')
    expect(nextPath('?next=//evil.example/x')).toBe('/')
    expect(nextPath('?next=/\\evil.example')).toBe('/')
    expect(nextPath('?next=https://evil.example/')).toBe('/')
    expect(nextPath('?next=/signin?next=/x')).toBe('/')
    expect(nextPath('')).toBe('/')
  })
})
