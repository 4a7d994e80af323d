import { chromium } from 'playwright-core'
const base = 'http://127.0.0.1:9241'
const out = process.argv[2] ?? '/tmp/ux-planner-x/shots'
const which = process.argv[3] ?? 'all'
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] })
const ready = (p: any, extra = 'true') => p.waitForFunction(`(window.__atlas?.idle === true && (${extra})) || !!window.__atlas?.error`, null, { timeout: 180000, polling: 250 })
for (const [w, h] of [[1366, 768], [1440, 900]]) for (const lang of ['zh', 'en']) {
  if (which !== 'all' && which !== `${w}-${lang}`) continue
  const ctx = await browser.newContext({ viewport: { width: w, height: h }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
  const page = await ctx.newPage()
  page.on('console', (m: any) => { if (m.type() === 'error') console.log('console', m.text()) })
  await page.goto(`${base}/?tab=plan&region=370828&kind=rider_rest&lang=${lang}`)
  await ready(page, 'window.__atlas.planReady && window.__atlas.gapsReady')
  await page.screenshot({ path: `${out}/plan-${w}-${lang}.png` })
  await page.click('[data-testid="subtab-siting"]')
  await page.click('[data-testid="siting-run"]')
  await page.waitForFunction(() => (window as any).__atlas.suggestedDrawn === 5, null, { timeout: 60000 })
  await ready(page, 'window.__atlas.planReady && window.__atlas.gapsReady')
  await page.screenshot({ path: `${out}/siting-${w}-${lang}.png` })
  await page.goto(`${base}/?tab=plan&region=231100&kind=rider_rest&lang=${lang}`)
  await ready(page, 'window.__atlas.planReady && window.__atlas.gapsReady')
  await page.click('[data-testid="subtab-siting"]')
  await page.click('[data-testid="siting-run"]')
  await page.waitForFunction(() => (window as any).__atlas.suggestedDrawn === 5, null, { timeout: 120000 })
  await ready(page, 'window.__atlas.planReady && window.__atlas.gapsReady')
  await page.screenshot({ path: `${out}/heihe-${w}-${lang}.png` })
  await ctx.close()
}
await browser.close()
