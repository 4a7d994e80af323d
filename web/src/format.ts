/**
 * Numbers, distances and times as every page shows them, in the current language unless one is
 * given (pure with `lang`, so tests format what they expect). Times are China Standard Time.
 */
import { getLang, type Lang } from './i18n/lang.ts'

export const locale = (lang: Lang): string => (lang === 'zh' ? 'zh-CN' : 'en-US')

/** Whole numbers, grouped: 634100 → "634,100". */
export function formatCount(n: number, lang: Lang = getLang()): string {
  return Math.round(n).toLocaleString(locale(lang))
}

/** A demand figure in the layer's unit: whole numbers, grouped ("634,100"). */
export function formatDemand(n: number, lang: Lang = getLang()): string {
  return formatCount(n, lang)
}

/**
 * Demand compact enough for a big screen: big ones in 万 (zh) or M (en); `scale` picks the style,
 * so "79,455 / 22.4万" becomes "7.9万 / 22.4万" when formatted against its total.
 */
export function formatCompactDemand(n: number, lang: Lang = getLang(), scale = n): string {
  if (lang === 'zh' && scale >= 100_000) return `${(n / 10_000).toLocaleString('zh-CN', { maximumFractionDigits: 1 })}万`
  if (lang === 'en' && scale >= 1_000_000) return `${(n / 1_000_000).toLocaleString('en-US', { maximumFractionDigits: 2 })}M`
  return formatCount(n, lang)
}

/** 0.523 → "52.3%" */
export function formatPercent(ratio: number, lang: Lang = getLang(), digits = 1): string {
  return `${(ratio * 100).toLocaleString(locale(lang), { minimumFractionDigits: digits, maximumFractionDigits: digits })}%`
}

/** Programme figures keep their published precision (73.4 %, 20.7 %); `atLeast` marks "N+". */
export function formatFigure(value: number, unit: 'count' | 'percent', atLeast: boolean, lang: Lang = getLang()): string {
  const v = value.toLocaleString(locale(lang), { maximumFractionDigits: 1 })
  return `${v}${unit === 'percent' ? '%' : ''}${atLeast ? '+' : ''}`
}

/** km² to one decimal below 10, whole above. */
export function formatArea(km2: number, lang: Lang = getLang()): string {
  return km2.toLocaleString(locale(lang), { maximumFractionDigits: km2 < 10 ? 1 : 0 })
}

/**
 * How a distance is rounded: `radius` (a coverage radius: 500 m, 1.5 km, 3 km), `route` (a rider's
 * stop: to 10 m, whole km from 10 km), `figure` (a big-screen figure: 850 m, 3.0 km).
 */
export type DistanceStyle = 'radius' | 'route' | 'figure'

/** Great-circle metres → the number and its unit ('m' below 1 km). */
export function distanceParts(m: number, style: DistanceStyle, lang: Lang = getLang()): { value: string; unit: 'm' | 'km' } {
  if (m < 1000) return { value: style === 'route' ? String(Math.round(m / 10) * 10 || Math.round(m)) : String(Math.round(m)), unit: 'm' }
  const km = m / 1000
  if (style === 'radius') return { value: String(+km.toFixed(1)), unit: 'km' }
  if (style === 'route') return { value: km.toFixed(m < 10_000 ? 1 : 0), unit: 'km' }
  return { value: km.toLocaleString(locale(lang), { minimumFractionDigits: 1, maximumFractionDigits: 1 }), unit: 'km' }
}

const UNIT_WORDS: Record<Lang, Record<'m' | 'km', string>> = { zh: { m: '米', km: '公里' }, en: { m: 'm', km: 'km' } }

/** 500 → "500 米" / "500 m"; 1500 → "1.5 公里" / "1.5 km" (units in words, for running text). */
export function formatDistance(m: number, style: DistanceStyle = 'radius', lang: Lang = getLang()): string {
  const { value, unit } = distanceParts(m, style, lang)
  return `${value} ${UNIT_WORDS[lang][unit]}`
}

const CST = 'Asia/Shanghai'
const clock = new Intl.DateTimeFormat('zh-CN', { timeZone: CST, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
const dateTime = new Intl.DateTimeFormat('zh-CN', { timeZone: CST, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
const monthDay = { padded: new Intl.DateTimeFormat('zh-CN', { timeZone: CST, month: '2-digit', day: '2-digit' }), short: new Intl.DateTimeFormat('zh-CN', { timeZone: CST, month: 'numeric', day: 'numeric' }) }

/** "08:05" (24-hour, China Standard Time). */
export function formatClock(at: Date): string {
  return clock.format(at)
}

/** "2026/12/01 08:05" (China Standard Time). */
export function formatDateTime(at: Date): string {
  return dateTime.format(at)
}

/** "12/01" (`padded`) or "12/1" (`short`), China Standard Time. */
export function formatMonthDay(at: Date, style: 'padded' | 'short' = 'padded'): string {
  return monthDay[style].format(at)
}

/**
 * A wall clock for a big screen: date and time in the screen's language, China Standard Time.
 * zh "12/1 18:05"; en "1 Dec 2026, 18:05" (the month in words: "01/12" reads as 12 January to some).
 */
export function formatWallClock(at: Date, lang: Lang = getLang()): string {
  if (lang === 'en') return at.toLocaleString('en-GB', { timeZone: CST, day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
  return at.toLocaleString('zh-CN', { timeZone: CST, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false })
}
