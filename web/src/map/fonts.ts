/**
 * Map label fonts, offline.
 *
 * maplibre-gl 6.17 can draw labels without a `glyphs` URL in two ways (GlyphManager source):
 *  1. no `glyphs`, no `font-faces`: TinySDF draws each character with the `text-font` names used as
 *     a CSS family. It only awaits `document.fonts.load()` for a space, so with unicode-range
 *     subsets the CJK slices may not be loaded yet and the first draw (then cached) falls back to
 *     whatever system font the browser picks;
 *  2. `font-faces`: the style lists font files with their unicode ranges; MapLibre fetches only the
 *     file that covers a codepoint it must draw, waits for it, and rasterises with it.
 * We use 2, and take the files and ranges from the page's own @fontsource rules, so labels and UI
 * share one set of self-hosted woff2 slices and nothing is listed twice.
 */
import type { FontFacesSpecification } from 'maplibre-gl'

/** `text-font` names used by our layers; keys of the style's `font-faces`. */
export const LABEL_FONT = 'Noto Sans SC Regular'
export const LABEL_FONT_BOLD = 'Noto Sans SC SemiBold'
const PAGE_FAMILY = 'Noto Sans SC'
const WEIGHTS: Record<string, string> = { [LABEL_FONT]: '400', [LABEL_FONT_BOLD]: '600' }

/** Resolves once every stylesheet <link> has loaded, so its @font-face rules can be read. */
export async function stylesheetsLoaded(): Promise<void> {
  const links = [...document.querySelectorAll<HTMLLinkElement>('link[rel="stylesheet"]')]
  await Promise.all(
    links
      .filter((l) => !l.sheet)
      .map((l) => new Promise<void>((resolve) => {
        l.addEventListener('load', () => resolve(), { once: true })
        l.addEventListener('error', () => resolve(), { once: true })
      })),
  )
}

/** The style's `font-faces`, read from the page's `@font-face` rules for Noto Sans SC. */
export function fontFacesFromPage(): FontFacesSpecification {
  const faces: FontFacesSpecification = {}
  for (const name of Object.keys(WEIGHTS)) faces[name] = []
  for (const sheet of document.styleSheets) {
    let rules: CSSRuleList
    try {
      rules = sheet.cssRules
    } catch {
      continue // cross-origin sheet: not ours
    }
    for (const rule of rules) {
      if (!(rule instanceof CSSFontFaceRule)) continue
      const family = rule.style.getPropertyValue('font-family').replace(/["']/g, '').trim()
      if (family !== PAGE_FAMILY) continue
      const url = /url\(\s*["']?([^"')]+\.woff2[^"')]*)["']?\s*\)/.exec(rule.style.getPropertyValue('src'))?.[1]
      if (!url) continue
      const weight = rule.style.getPropertyValue('font-weight').trim()
      const ranges = rule.style.getPropertyValue('unicode-range').split(',').map((r) => r.trim()).filter(Boolean)
      for (const [name, w] of Object.entries(WEIGHTS)) {
        if (w !== weight) continue
        const list = faces[name] as Array<{ url: string; 'unicode-range'?: string[] }>
        list.push({ url: new URL(url, sheet.href ?? document.baseURI).href, ...(ranges.length ? { 'unicode-range': ranges } : {}) })
      }
    }
  }
  for (const name of Object.keys(faces)) if (!(faces[name] as unknown[]).length) delete faces[name]
  return faces
}
