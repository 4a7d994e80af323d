/**
 * Accounts in a real browser against the real server: sign in on /signin and come back to the page
 * one came from, see the account menu (e-mail, role), create an API token (shown once) and revoke it,
 * sign out; a wrong password's message; an anonymous planner shows "sign in to save" instead of the
 * save form, and an editor of another county sees that the account has no grant there.
 * Screenshots: test-results/auth-*.png.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ADMIN_EMAIL, ADMIN_PASSWORD, OUT, startHarness, waitIdle, type Harness } from './harness.ts'

let h: Harness
const EDITOR_NC = { email: 'nancheng@atlas.test', password: 'nancheng-editor-pw', role: 'editor' as const, regions: ['361021'] }

beforeAll(async () => {
  h = await startHarness()
  await h.createUser(EDITOR_NC)
})

afterAll(async () => {
  await h?.close()
})

describe('accounts', () => {
  test('a wrong password is named; the right one returns to the page; the menu shows who; a token is shown once; sign-out', async () => {
    const ctx = await h.newContext({ viewport: { width: 1366, height: 768 } })
    const page = await ctx.newPage()
    await page.goto(`${h.base}/reports`)
    await waitIdle(page)
    // anonymous: the header offers sign-in, and it carries the way back
    await page.click('[data-testid="account-signin"]')
    await page.waitForURL(/\/signin\?next=%2Freports/)
    await waitIdle(page)

    await page.fill('[data-testid="signin-email"]', ADMIN_EMAIL)
    await page.fill('[data-testid="signin-password"]', 'not-the-password-at-all')
    await page.click('[data-testid="signin-submit"]')
    await expect.poll(() => page.textContent('[data-testid="signin-error"]')).toBe('邮箱或密码不正确，或账号已停用。')
    await page.screenshot({ path: `${OUT}/auth-wrong-password.png` })

    await page.fill('[data-testid="signin-password"]', ADMIN_PASSWORD)
    await page.click('[data-testid="signin-submit"]')
    await page.waitForURL(`${h.base}/reports`)
    await waitIdle(page)
    expect(await page.textContent('[data-testid="account-email"]')).toBe(ADMIN_EMAIL)
    expect(await page.textContent('[data-testid="account-role"]')).toBe('管理员')
    await page.click('[data-testid="account-button"]')
    await page.locator('[data-testid="account-menu"]').waitFor()
    await page.screenshot({ path: `${OUT}/auth-menu.png` })

    // API tokens: create shows it once, the list names it, revoke removes it (and the token stops working)
    await page.click('[data-testid="account-tokens"]')
    const dlg = page.locator('[data-testid="tokens-dialog"]')
    await dlg.locator('[data-testid="token-name"]').fill('nightly import')
    await dlg.locator('[data-testid="token-create"]').click()
    const token = (await dlg.locator('[data-testid="token-value"]').textContent())!
    expect(token).toMatch(/^atlas_/)
    await expect.poll(() => dlg.locator('[data-testid="token-list"] li').count()).toBe(1)
    await page.screenshot({ path: `${OUT}/auth-token.png` })
    const meByToken = await (await fetch(`${h.base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })).json()
    expect(meByToken.user.email).toBe(ADMIN_EMAIL)
    page.once('dialog', (d) => void d.accept())
    await dlg.locator('[data-revoke]').click()
    await expect.poll(() => dlg.locator('[data-testid="token-list"] li').count()).toBe(0)
    const revoked = await fetch(`${h.base}/api/auth/me`, { headers: { authorization: `Bearer ${token}` } })
    expect(revoked.status).toBe(401)
    await dlg.locator('[data-close]').first().click()

    // change password: a short one is refused with the rule, before anything is sent
    await page.click('[data-testid="account-button"]')
    await page.click('[data-testid="account-password"]')
    const pw = page.locator('[data-testid="password-dialog"]')
    await pw.locator('[name="current"]').fill(ADMIN_PASSWORD)
    await pw.locator('[name="next"]').fill('short')
    await pw.locator('[name="again"]').fill('short')
    await pw.locator('button[type="submit"]').click()
    expect(await pw.locator('[data-testid="error-next"]').textContent()).toBe('新密码至少需要 12 个字符（现在 5 个）。')
    await pw.locator('[data-close]').first().click()

    // sign out: the header offers sign-in again and the API agrees
    await page.click('[data-testid="account-button"]')
    await page.click('[data-testid="account-signout"]')
    await page.locator('[data-testid="account-signin"]').waitFor()
    const me = await (await ctx.request.get(`${h.base}/api/auth/me`)).json()
    expect(me.user).toBeNull()
    await ctx.close()
  })

  test('anonymous planners see "sign in to save"; an editor of 南城县 sees no grant for 金乡县; English', async () => {
    const ctx = await h.newContext({ viewport: { width: 1366, height: 768 } })
    const page = await ctx.newPage()
    await page.goto(`${h.base}/?tab=plan&region=370828&kind=rider_rest&lang=en`)
    await waitIdle(page)
    await page.click('[data-testid="subtab-scenarios"]')
    const prompt = page.locator('[data-testid="signin-prompt"][data-gate="save"]')
    await expect.poll(() => prompt.textContent()).toContain('Sign in to save plans.')
    expect(await page.locator('[data-testid="scenario-save"]').count()).toBe(0)
    const href = await prompt.locator('a').getAttribute('href')
    expect(href).toBe(`/signin?next=${encodeURIComponent('/?tab=plan&region=370828&kind=rider_rest&lang=en')}&lang=en`)
    await page.screenshot({ path: `${OUT}/auth-planner-anonymous.png` })

    await h.signIn(ctx, EDITOR_NC.email, EDITOR_NC.password)
    await page.reload()
    await waitIdle(page)
    await page.click('[data-testid="subtab-scenarios"]')
    await expect.poll(() => prompt.textContent()).toContain(`Your account (${EDITOR_NC.email}) has no grant for`)
    expect(await page.locator('[data-testid="scenario-save"]').count()).toBe(0)
    expect(await page.textContent('[data-testid="account-role"]')).toBe('Editor')
    // the server says the same: 403 for a 金乡县 plan
    const res = await ctx.request.post(`${h.base}/api/scenarios`, {
      headers: { Origin: new URL(h.base).origin },
      data: { name: 'x', kind: 'rider_rest', region: '370828', layer: 'population', edits: { added: [], moved: [], removed: [] } },
    })
    expect(res.status()).toBe(403)
    await ctx.close()
  })

  test('an admin creates an editor of 金乡县 on /admin; the editor signs in and may save 金乡县 plans; others see a message', async () => {
    const ctx = await h.newContext({ viewport: { width: 1366, height: 768 } })
    await h.signIn(ctx)
    const page = await ctx.newPage()
    await page.goto(`${h.base}/admin`)
    await waitIdle(page)
    const form = page.locator('[data-testid="user-form"]')
    await form.locator('[data-testid="user-email"]').fill('jinxiang@atlas.test')
    // the form's own rule first: a short password is named before anything is sent
    await form.locator('[data-testid="user-password"]').fill('too-short')
    await form.locator('[data-testid="user-submit"]').click()
    expect(await page.textContent('[data-testid="error-password"]')).toBe('密码至少需要 12 个字符（现在 9 个）。')
    await page.locator('[data-testid="user-email"]').fill('jinxiang@atlas.test')
    await page.locator('[data-testid="user-password"]').fill('jinxiang-editor-pw')
    await page.selectOption('[data-testid="user-role"]', 'editor')
    await page.locator('[data-testid="user-regions"] label', { hasText: '金乡县' }).locator('input').check()
    await page.screenshot({ path: `${OUT}/auth-admin-create.png` })
    await page.click('[data-testid="user-submit"]')
    const row = page.locator('tr[data-user="jinxiang@atlas.test"]')
    await expect.poll(() => row.textContent()).toContain('金乡县')
    await page.screenshot({ path: `${OUT}/auth-admin.png` })
    const users = (await (await ctx.request.get(`${h.base}/api/users`)).json()) as { users: { email: string; role: string; regions: string[] }[] }
    expect(users.users.find((u) => u.email === 'jinxiang@atlas.test')).toMatchObject({ role: 'editor', regions: ['370828'] })

    // the new editor: may save a 金乡县 plan from the planner; /admin is not theirs
    const ed = await h.newContext({ viewport: { width: 1366, height: 768 } })
    await h.signIn(ed, 'jinxiang@atlas.test', 'jinxiang-editor-pw')
    const planner = await ed.newPage()
    await planner.goto(`${h.base}/?tab=plan&region=370828&kind=rider_rest`)
    await waitIdle(planner)
    await planner.click('[data-testid="subtab-scenarios"]')
    await planner.fill('[data-testid="scenario-name"]', '金乡编辑的方案')
    await planner.click('[data-testid="scenario-save"]')
    await planner.locator('.scenario', { hasText: '金乡编辑的方案' }).first().waitFor()
    const adminPage = await ed.newPage()
    await adminPage.goto(`${h.base}/admin`)
    await waitIdle(adminPage)
    expect(await adminPage.textContent('[data-testid="admin-gate"]')).toContain('只有管理员可以管理用户。')
    await ed.close()
    await ctx.close()
  })
})
