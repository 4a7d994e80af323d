/**
 * The Content-Security-Policy the server sends is one the pages pass: the pages without a test of
 * their own (reports, the API docs) load with no violation and no page error. (The planner, rider
 * and tour tests check the same through the harness, which counts every violation as an error.)
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startHarness, type Harness } from './harness.ts'

let h: Harness
beforeAll(async () => {
  h = await startHarness()
})
afterAll(async () => {
  await h?.close()
})

describe('Content-Security-Policy', () => {
  for (const path of ['/reports', '/api/docs']) {
    test(`${path} loads under the policy without a violation`, async () => {
      const { page, offOrigin, errors } = await h.open(path, { width: 1280, height: 800 })
      const res = await page.waitForLoadState('networkidle').then(() => page.evaluate(() => fetch(location.href).then((r) => r.headers.get('content-security-policy'))))
      expect(res).toContain("script-src 'self'")
      expect(await page.locator('body').innerText()).not.toBe('')
      expect(offOrigin).toEqual([])
      expect(errors).toEqual([])
      await page.close()
    })
  }
})
