/** Numbers as the big screen shows them: grouped digits, units always attached. Pure, so tests can format what they expect. */
import type { TourLang } from './params.ts'

const locale = (lang: TourLang) => (lang === 'zh' ? 'zh-CN' : 'en-US')

export function fmtCount(n: number, lang: TourLang): string {
  return Math.round(n).toLocaleString(locale(lang))
}

/** Programme figures keep their published precision (73.4 %, 20.7 %). */
export function fmtFigure(value: number, unit: 'count' | 'percent', atLeast: boolean, lang: TourLang): string {
  const v = value.toLocaleString(locale(lang), { maximumFractionDigits: 1 })
  return `${v}${unit === 'percent' ? '%' : ''}${atLeast ? '+' : ''}`
}

/** 0.4237 → "42.4%" */
export function fmtRatio(ratio: number, lang: TourLang): string {
  return `${(ratio * 100).toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 })}%`
}

/**
 * Demand such as modelled population: whole numbers; big ones in 万 (zh) or M (en) so they fit.
 * `scale` picks the style, so "79,455 / 22.4万" becomes "7.9万 / 22.4万" when formatted against its total.
 */
export function fmtDemand(n: number, lang: TourLang, scale = n): string {
  if (lang === 'zh' && scale >= 100_000) return `${(n / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}万`
  if (lang === 'en' && scale >= 1_000_000) return `${(n / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 2 })}M`
  return fmtCount(n, lang)
}

export function fmtArea(km2: number, lang: TourLang): string {
  return km2.toLocaleString(locale(lang), { maximumFractionDigits: km2 < 10 ? 1 : 0 })
}

/** metres → [value, unit key] ("850", m) / ("3.2", km) */
export function fmtDistance(m: number, lang: TourLang): [string, 'm' | 'km'] {
  if (m < 1000) return [fmtCount(m, lang), 'm']
  return [(m / 1000).toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }), 'km']
}
