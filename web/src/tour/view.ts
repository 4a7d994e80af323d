/**
 * What a stop shows, as plain data: built from the API's answers, rendered by panels.ts and read
 * back by the test hooks. Pure, so the overview's sums and the figure choice are unit-tested.
 */
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import type { RegionSummary, StationLite } from '../types.ts'
import type { Coverage, GapCollection, GapProps, Programme, Programmes } from './data.ts'

export type KindCounts = Record<StationKind, number>

export interface CountsView {
  byKind: KindCounts
  total: number
  planned: number
}

export interface CoverageView {
  ratio: number
  covered: number
  total: number
  unit: string
  unit_en: string
  layer: string
  layer_en: string
  modelled: boolean
  demo: boolean
  /** a loaded (real) layer's source and licence, shown under its figures; null for the bundled modelled and demo layers, labelled as such */
  source: { text: string; licence: string | null } | null
  /** the one kind counted (the tour asks for one or all), or null: all */
  kind: StationKind | null
  radius_m: number | null
}

export interface ComparisonRow {
  code: string
  name: string
  name_en: string
  stations: number
  ratio: number | null
  /** its ratio was computed on a modelled layer (the marker then says so) */
  modelled: boolean
}

/** The top gap and whether its layer is modelled / demo (from the response's `layer`), so its panel says so. */
export type GapView = Omit<GapProps, 'rank' | 'road_m' | 'road_minutes' | 'no_road_access'> & { modelled: boolean; demo: boolean }

export interface FigureView {
  key: string
  label: string
  value: number
  unit: 'count' | 'percent'
  at_least: boolean
}

export interface ProgrammeView {
  code: string
  name: string
  title: string
  figures: FigureView[]
}

/** Figures each place leads with, by key (values always come from /api/programmes). */
export const HEADLINE_KEYS: Record<string, string[]> = {
  '231100': ['key_projects', 'party_building_teams', 'project_party_organisations', 'teams_led_by_county_leaders_pct', 'teams_with_chief_officer_pct', 'political_study_sessions'],
  '370828': ['two_new_organisations', 'with_party_organisations', 'party_work_coverage_pct', 'red_sail_stations', 'rider_rest_stations', 'party_members'],
  '361021': ['sentinel_volunteer_turns_this_year', 'sentinel_volunteer_turns_q2', 'q2_change_on_q1_pct', 'food_safety_sentinels', 'party_applications_from_couriers', 'food_hygiene_suggestions'],
}

export function emptyCounts(): KindCounts {
  return Object.fromEntries(STATION_KINDS.map((k) => [k, 0])) as KindCounts
}

/** Stations (planned and active, as /api/stations lists them) in `codes`, by kind. */
export function countStations(stations: readonly StationLite[], codes: ReadonlySet<string>): CountsView {
  const byKind = emptyCounts()
  let total = 0
  let planned = 0
  for (const s of stations) {
    const p = s.properties
    if (!p.region_code || !codes.has(p.region_code) || p.status === 'retired') continue
    byKind[p.kind]++
    total++
    if (p.status === 'planned') planned++
  }
  return { byKind, total, planned }
}

/**
 * The same counts from the maintained per-region counts (GET /api/regions/summary), for stops whose
 * stations are not downloaded (the overview); the summary does not split planned from active.
 */
export function countRegions(summary: RegionSummary, codes: ReadonlySet<string>): CountsView {
  const byKind = emptyCounts()
  let total = 0
  for (const f of summary.features) {
    if (!codes.has(f.properties.code)) continue
    for (const k of STATION_KINDS) {
      const n = f.properties.own_station_counts[k] ?? 0
      byKind[k] += n
      total += n
    }
  }
  return { byKind, total, planned: 0 }
}

export function coverageView(c: Coverage): CoverageView {
  return {
    ratio: c.ratio,
    covered: c.covered,
    total: c.total,
    unit: c.layer.unit,
    unit_en: c.layer.unit_en,
    layer: c.layer.name,
    layer_en: c.layer.name_en,
    modelled: c.layer.modelled,
    demo: c.layer.demo,
    source: !c.layer.modelled && !c.layer.demo ? { text: c.layer.source, licence: c.layer.licence ?? null } : null,
    kind: c.kind?.[0] ?? null,
    radius_m: c.radius_m,
  }
}

/** Several regions' coverage as one: Σ covered / Σ total (same layer, so the units add up). */
export function combineCoverage(parts: readonly Coverage[]): CoverageView | null {
  const first = parts[0]
  if (!first) return null
  const covered = parts.reduce((a, c) => a + c.covered, 0)
  const total = parts.reduce((a, c) => a + c.total, 0)
  return { ...coverageView(first), covered, total, ratio: total > 0 ? covered / total : 0 }
}

export function gapView(fc: GapCollection): GapView | null {
  const f = fc.features[0]
  if (!f) return null
  const p = f.properties
  return { demand: p.demand, area_km2: p.area_km2, nearest_station_m: p.nearest_station_m, region_code: p.region_code, centroid: p.centroid, cells: p.cells, modelled: fc.layer.modelled, demo: fc.layer.demo }
}

/** The biggest of several regions' top gaps (by unserved demand). */
export function biggestGap(gaps: ReadonlyArray<GapView | null>): GapView | null {
  let best: GapView | null = null
  for (const g of gaps) if (g && (!best || g.demand > best.demand)) best = g
  return best
}

/** A place's figures in headline order, at most `max`; figures not in the headline list follow. */
export function programmeView(p: Programme, lang: 'zh' | 'en', max: number): ProgrammeView {
  const order = HEADLINE_KEYS[p.region_code] ?? []
  const rank = (key: string) => {
    const i = order.indexOf(key)
    return i < 0 ? order.length : i
  }
  const figures = [...p.figures]
    .sort((a, b) => rank(a.key) - rank(b.key))
    .slice(0, max)
    .map((f) => ({ key: f.key, label: lang === 'en' ? f.label_en : f.label_zh, value: f.value, unit: f.unit, at_least: f.at_least ?? false }))
  return { code: p.region_code, name: lang === 'en' ? p.name_en : p.name, title: lang === 'en' ? p.title_en : p.title, figures }
}

export function findProgramme(all: Programmes, code: string): Programme | undefined {
  return all.programmes.find((p) => p.region_code === code)
}

/**
 * The programmes' source in the screen's language, from the API's fields (never typed in here):
 * zh "“…” 报道，B12、B13 版"; en "“…” articles, pages B12–B13" (a run of consecutive pages as a range).
 */
export function sourceLine(src: { articles: string; pages: string[]; citation: string }, lang: 'zh' | 'en'): string {
  if (lang === 'zh') return `“${src.articles}” 报道，${src.pages.join('、')} 版`
  if (!src.pages.length) return src.citation
  return `“${src.articles}” articles, ${src.pages.length === 1 ? 'page' : 'pages'} ${pageList(src.pages)}`
}

/** ["B12", "B13"] → "B12–B13"; ["B12", "B15"] → "B12, B15" (a range only for consecutive pages of one section). */
export function pageList(pages: readonly string[]): string {
  const parts = pages.map((p) => /^([A-Z]*)(\d+)$/.exec(p))
  const consecutive = pages.length > 1 && parts.every((m, i) => m && (i === 0 || (m[1] === parts[0]![1] && Number(m[2]) === Number(parts[i - 1]![2]) + 1)))
  return consecutive ? `${pages[0]}–${pages[pages.length - 1]}` : pages.join(', ')
}
