/**
 * Kiosk configuration from the URL alone (issue 5): `/tour?regions=231100,370828&dwell=20&lang=en&kind=rider_rest`.
 * Pure: takes the query string, returns options with every value checked and clamped, plus the
 * problems found, so a typo on a kiosk shows up in the console instead of silently doing nothing.
 */
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { Lang } from '../i18n/lang.ts'

export interface TourOptions {
  /** region codes in tour order (a city also brings its divisions unless `divisions` is false); null = the three programme places */
  regions: string[] | null
  /** start with the overview of all places */
  overview: boolean
  /** a city stop is followed by one stop per division */
  divisions: boolean
  /** pause on each stop, milliseconds (after the camera has arrived) */
  dwellMs: number
  /** camera flight, milliseconds; null = chosen from the dwell */
  flyMs: number | null
  lang: Lang | null
  /** station kind the coverage and gap figures are for; null = all kinds, each with its own radius */
  kind: StationKind | null
  /** demand layer id for coverage, gaps and the hexagons */
  layer: string
  /** camera pitch in degrees (0 = flat) */
  pitch: number
  /** step to start on (0-based) */
  start: number
}

export const DEFAULTS: TourOptions = {
  regions: null,
  overview: true,
  divisions: true,
  dwellMs: 15_000,
  flyMs: null,
  lang: null,
  kind: null,
  layer: 'population',
  pitch: 50,
  start: 0,
}

const clamp = (v: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, v))

function bool(v: string): boolean | null {
  if (/^(1|true|yes|on)$/i.test(v)) return true
  if (/^(0|false|no|off)$/i.test(v)) return false
  return null
}

/** Parses the tour's query string; unknown or malformed values fall back to the defaults and are reported in `problems`. */
export function parseTourParams(search: string): { options: TourOptions; problems: string[] } {
  const q = new URLSearchParams(search)
  const o: TourOptions = { ...DEFAULTS }
  const problems: string[] = []
  const num = (name: string, lo: number, hi: number): number | null => {
    const raw = q.get(name)
    if (raw === null || raw === '') return null
    const v = Number(raw)
    if (!Number.isFinite(v)) {
      problems.push(`${name}=${raw}: not a number`)
      return null
    }
    if (v < lo || v > hi) problems.push(`${name}=${raw}: clamped to ${lo}–${hi}`)
    return clamp(v, lo, hi)
  }
  const flag = (name: 'overview' | 'divisions') => {
    const raw = q.get(name)
    if (raw === null) return
    const v = bool(raw)
    if (v === null) problems.push(`${name}=${raw}: use 1 or 0`)
    else o[name] = v
  }

  const regions = q.get('regions') ?? q.get('region')
  if (regions) {
    const codes = regions.split(/[,\s]+/).filter(Boolean)
    const ok = codes.filter((c) => /^[0-9]{6}$/.test(c))
    for (const c of codes) if (!ok.includes(c)) problems.push(`regions: "${c}" is not a six-digit GB/T 2260 code`)
    if (ok.length) o.regions = [...new Set(ok)]
  }
  flag('overview')
  flag('divisions')
  const dwell = num('dwell', 2, 600) // seconds
  if (dwell !== null) o.dwellMs = dwell * 1000
  const fly = num('fly', 0, 20)
  if (fly !== null) o.flyMs = fly * 1000
  const lang = q.get('lang')
  if (lang === 'zh' || lang === 'en') o.lang = lang
  else if (lang) problems.push(`lang=${lang}: use zh or en`)
  const kind = q.get('kind')
  if (kind && (STATION_KINDS as readonly string[]).includes(kind)) o.kind = kind as StationKind
  else if (kind) problems.push(`kind=${kind}: use one of ${STATION_KINDS.join(', ')}`)
  const layer = q.get('layer')
  if (layer && /^[a-z0-9][a-z0-9_-]{0,62}$/.test(layer)) o.layer = layer
  else if (layer) problems.push(`layer=${layer}: not a layer id`)
  const pitch = num('pitch', 0, 60)
  if (pitch !== null) o.pitch = pitch
  const start = num('start', 0, 99)
  if (start !== null) o.start = Math.floor(start)
  return { options: o, problems }
}

/** Camera flight time: long enough to follow, never more than half the dwell. */
export function flightMs(o: TourOptions, reducedMotion: boolean): number {
  if (reducedMotion) return 0
  return o.flyMs ?? clamp(o.dwellMs / 2, 1200, 4500)
}
