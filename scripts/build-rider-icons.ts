/**
 * The rider page's home-screen icons (web/public/icons/*.png), drawn from one SVG (the pin of the
 * page's header mark on the programme red) and rasterised by the headless Chromium the browser tests
 * use — no image tool or online service needed: `npm run build-rider-icons`.
 *
 *  - rider-192.png, rider-512.png: "any" icons, a rounded square with transparent corners
 *  - rider-maskable-512.png: full-bleed red, the pin inside the central 80 % safe circle
 *  - rider-apple-touch-180.png: full-bleed (iOS rounds the corners itself)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import { CHROMIUM_ARGS } from '../web/test/harness.ts'

const RED = '#b3202f'
/** the header mark's pin (web/src/rider/main.ts), in its 32 × 32 box, centred at (16, 16) */
const PIN = `<path d="M16 7.5c-4 0-7 3-7 6.8 0 4.8 7 10.2 7 10.2s7-5.4 7-10.2c0-3.8-3-6.8-7-6.8z" fill="#fff"/><circle cx="16" cy="14.2" r="2.6" fill="${RED}"/>`

/** An icon in a 512 box: `round` corners or full bleed, the pin at `scale` × its 32 px box. */
export function iconSvg(opts: { round: boolean; scale: number }): string {
  const bg = opts.round ? `<rect width="512" height="512" rx="112" fill="${RED}"/>` : `<rect width="512" height="512" fill="${RED}"/>`
  // a faint coverage ring round the pin, as on the favicon
  const ring = `<circle cx="256" cy="256" r="${(opts.scale * 13).toFixed(1)}" fill="none" stroke="#fff" stroke-opacity=".35" stroke-width="${(opts.scale * 1.2).toFixed(1)}"/>`
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">${bg}${ring}<g transform="translate(256 256) scale(${opts.scale}) translate(-16 -16)">${PIN}</g></svg>`
}

export const ICONS = [
  { file: 'rider-192.png', size: 192, round: true, scale: 13 },
  { file: 'rider-512.png', size: 512, round: true, scale: 13 },
  { file: 'rider-maskable-512.png', size: 512, round: false, scale: 10.5 },
  { file: 'rider-apple-touch-180.png', size: 180, round: false, scale: 12 },
] as const

if (import.meta.url === `file://${process.argv[1]}`) {
  const tmp = mkdtempSync(join(tmpdir(), 'atlas-icons-'))
  const ctx = await chromium.launchPersistentContext(tmp, { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS, deviceScaleFactor: 1 })
  try {
    const page = await ctx.newPage()
    for (const icon of ICONS) {
      await page.setViewportSize({ width: icon.size, height: icon.size })
      await page.setContent(`<!doctype html><html><body style="margin:0;background:transparent">${iconSvg(icon).replace('<svg ', `<svg width="${icon.size}" height="${icon.size}" style="display:block" `)}</body></html>`)
      const out = join('web/public/icons', icon.file)
      await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: icon.size, height: icon.size } })
      console.log(out)
    }
  } finally {
    await ctx.close()
    rmSync(tmp, { recursive: true, force: true })
  }
}
