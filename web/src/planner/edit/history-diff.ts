/**
 * A station's history as the panel shows it, newest first: each version with who, when and what it
 * did, and a row per changed field, before → after, in words (kind and amenity names, status, the
 * county's name). Longitude and latitude become one "position" row with the distance moved.
 */
import { STATION_KINDS, type StationKind } from '@core/station-kinds.ts'
import { greatCircleDistance } from '@core/great-circle-distance.ts'
import type { StationHistoryItem } from '../../api.ts'
import { formatDistance } from '../../format.ts'
import { amenityName, kindName } from '../../i18n/names.ts'
import { te, type EditStringKey } from './strings.ts'

export interface DiffRow {
  field: string
  label: string
  /** '' for a create (nothing was there before) */
  before: string
  after: string
}

export interface HistoryEntry {
  version: number | null
  at: string
  actor: string
  action: string
  actionLabel: string
  rows: DiffRow[]
  /** this is the version the station is at now (nothing to restore) */
  current: boolean
  /** a version restore can bring back */
  restorable: boolean
}

/** The order fields are listed in (as the form has them); others follow. */
const ORDER = ['name', 'kind', 'status', 'position', 'region_code', 'address', 'opening_hours', 'amenities', 'phone', 'operator', 'capacity', 'radius_m', 'external_id', 'source']
/** Written by the loader, not by editors: listed only when they change. */
const QUIET = new Set(['source', 'external_id', 'region_code'])

export interface DiffOptions {
  /** a county's name for its code */
  regionName?: (code: string) => string
}

/** One value in words; null and empty lists as "(empty)". */
export function formatValue(field: string, value: unknown, opts: DiffOptions = {}): string {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)) return te('empty')
  if (field === 'kind' && (STATION_KINDS as readonly string[]).includes(String(value))) return kindName(value as StationKind)
  if (field === 'status') return te(`status.${value}` as EditStringKey)
  if (field === 'amenities' && Array.isArray(value)) return value.map((a) => amenityName(String(a))).join('、')
  if (field === 'region_code') return opts.regionName ? opts.regionName(String(value)) : String(value)
  if (field === 'radius_m' && typeof value === 'number') return formatDistance(value)
  return String(value)
}

const fieldLabel = (field: string) => te(`f.${field}` as EditStringKey)
const pos = (lon: unknown, lat: unknown) => (typeof lon === 'number' && typeof lat === 'number' ? ([lon, lat] as [number, number]) : null)
const posText = (p: [number, number] | null) => (p ? `${p[0].toFixed(5)}, ${p[1].toFixed(5)}` : te('empty'))

/**
 * The changed fields of one write as rows, in the form's order; a create lists only what it set.
 * `before` is the whole station before the write (history records only the fields that changed, so a
 * move along one axis needs the other coordinate from it).
 */
export function diffRows(changes: Record<string, readonly [unknown, unknown]>, opts: DiffOptions = {}, action = 'update', before: Record<string, unknown> = {}): DiffRow[] {
  const rows: DiffRow[] = []
  const fresh = action === 'create' || action === 'baseline'
  for (const [field, [was, now]] of Object.entries(changes)) {
    if (field === 'lon' || field === 'lat') continue
    if (fresh && (now === null || (Array.isArray(now) && !now.length))) continue
    if (fresh && QUIET.has(field) && field !== 'region_code') continue
    rows.push({ field, label: fieldLabel(field), before: fresh ? '' : formatValue(field, was, opts), after: formatValue(field, now, opts) })
  }
  if ('lon' in changes || 'lat' in changes) {
    const from = pos(changes.lon?.[0] ?? before.lon, changes.lat?.[0] ?? before.lat)
    const to = pos(changes.lon?.[1] ?? before.lon, changes.lat?.[1] ?? before.lat)
    const moved = !fresh && from && to ? ` (${te('moved', { d: formatDistance(greatCircleDistance(from, to), 'route') })})` : ''
    rows.push({ field: 'position', label: fieldLabel('position'), before: fresh ? '' : posText(from), after: posText(to) + moved })
  }
  const rank = (f: string) => (ORDER.indexOf(f) === -1 ? ORDER.length : ORDER.indexOf(f))
  return rows.sort((x, y) => rank(x.field) - rank(y.field))
}

/** The whole history, newest first, marking the current version and what may be restored. */
export function historyEntries(items: readonly StationHistoryItem[], currentVersion: number, opts: DiffOptions = {}): HistoryEntry[] {
  // replay the writes oldest first, so each one knows the whole station it changed
  let state: Record<string, unknown> = {}
  const entries = items.map((it) => {
    const changes = it.changes as Record<string, [unknown, unknown]>
    const rows = diffRows(changes, opts, it.action, state)
    state = { ...state, ...Object.fromEntries(Object.entries(changes).map(([k, [, now]]) => [k, now])) }
    return {
      version: it.version,
      at: it.at,
      actor: it.actor,
      action: it.action,
      actionLabel: te(`action.${it.action}` as EditStringKey),
      rows,
      current: it.version === currentVersion,
      restorable: it.version !== null && it.version !== currentVersion,
    }
  })
  return entries.reverse()
}
