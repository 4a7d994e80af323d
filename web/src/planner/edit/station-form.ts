/**
 * The station form's pure part: what the inputs hold (strings, as the DOM gives them), the same rules
 * the API's zod schema applies (api/src/schemas/station.ts: lengths, ranges, NUL, opening_hours parsed
 * by the `opening_hours` package), with messages that name the field in the page's language, and the
 * body a save sends — only the fields that changed, so a conflict can be redone on the latest version.
 */
import { AMENITIES, STATION_KINDS, STATION_STATUSES, type Amenity, type StationKind, type StationStatus } from '@core/station-kinds.ts'
import type { StationCreateBody } from '../../api.ts'
import type { StationFeature } from '../../types.ts'
import { te, type EditStringKey } from './strings.ts'

export interface FormValues {
  kind: string
  name: string
  address: string
  opening_hours: string
  amenities: string[]
  phone: string
  operator: string
  capacity: string
  status: string
  radius_m: string
  lon: string
  lat: string
}
export type FormField = keyof FormValues

/** What a write sends (POST, or PATCH without `version`): every field of the API's StationCreate, none left out. */
export type StationFields = { [K in Exclude<keyof StationCreateBody, 'region_code'>]-?: Exclude<StationCreateBody[K], undefined> }

export const FORM_FIELDS: readonly FormField[] = ['kind', 'name', 'address', 'opening_hours', 'amenities', 'phone', 'operator', 'capacity', 'status', 'radius_m', 'lon', 'lat']

/** Lon/lat as the form shows them: 7 decimals (≈ 1 cm), as the API stores them. */
export const coord = (x: number): string => String(Math.round(x * 1e7) / 1e7)

export function formValues(s: StationFeature): FormValues {
  const p = s.properties
  const [lon, lat] = s.geometry.coordinates as [number, number]
  return {
    kind: p.kind, name: p.name, address: p.address ?? '', opening_hours: p.opening_hours ?? '', amenities: [...p.amenities],
    phone: p.phone ?? '', operator: p.operator ?? '', capacity: p.capacity == null ? '' : String(p.capacity),
    status: p.status, radius_m: p.radius_m == null ? '' : String(p.radius_m), lon: coord(lon), lat: coord(lat),
  }
}

/** A new station's form at a point: a rider rest stop, active, everything else empty. */
export function newFormValues(lon: number, lat: number, kind: StationKind = 'rider_rest'): FormValues {
  return { kind, name: '', address: '', opening_hours: '', amenities: [], phone: '', operator: '', capacity: '', status: 'active', radius_m: '', lon: coord(lon), lat: coord(lat) }
}

export type Validation = { ok: true; fields: StationFields } | { ok: false; errors: Partial<Record<FormField, string>> }

const MAX_LEN: Partial<Record<FormField, number>> = { name: 200, address: 500, opening_hours: 500, phone: 50, operator: 200 }

/**
 * Checks every field by the API's rules; `hoursProblem` is the core's openingHoursProblem (the parser
 * is loaded with the edit mode). Messages name the field: "开放时间：…" / "Opening hours: …".
 */
export function validateForm(v: FormValues, hoursProblem: (value: string) => string | null): Validation {
  const errors: Partial<Record<FormField, string>> = {}
  const say = (field: FormField, key: EditStringKey, vars: Record<string, string | number> = {}) => {
    errors[field] ??= te(key, { field: te(`f.${field}` as EditStringKey), ...vars })
  }
  const text = (field: FormField): string | null => {
    const raw = v[field] as string
    if (raw.includes('\u0000')) say(field, 'v.nul')
    const max = MAX_LEN[field]
    if (max !== undefined && raw.length > max) say(field, 'v.tooLong', { n: max, len: raw.length })
    const trimmed = raw.trim()
    return trimmed === '' ? null : trimmed
  }
  const whole = (field: FormField, min: number, max: number, rule: 'range' | 'positive'): number | null => {
    const raw = (v[field] as string).trim()
    if (raw === '') return null
    const n = Number(raw)
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(n)) return say(field, 'v.int'), null
    if (n < min || n > max) say(field, rule === 'positive' ? 'v.positive' : 'v.range', { min, max })
    return n
  }
  const degrees = (field: 'lon' | 'lat', limit: number): number => {
    const raw = v[field].trim()
    const n = Number(raw)
    if (raw === '') say(field, 'v.required')
    else if (!Number.isFinite(n)) say(field, 'v.number')
    else if (n < -limit || n > limit) say(field, 'v.range', { min: -limit, max: limit })
    return n
  }

  if (!(STATION_KINDS as readonly string[]).includes(v.kind)) say('kind', 'v.required')
  const name = text('name')
  if (name === null) say('name', 'v.required')
  const address = text('address')
  const hours = text('opening_hours')
  if (hours !== null && !errors.opening_hours) {
    const problem = hoursProblem(hours)
    if (problem) say('opening_hours', 'v.hours', { problem })
  }
  const phone = text('phone')
  const operator = text('operator')
  const capacity = whole('capacity', 0, 1_000_000, 'range')
  const radius = whole('radius_m', 1, 50_000, 'positive')
  if (!(STATION_STATUSES as readonly string[]).includes(v.status)) say('status', 'v.required')
  const lon = degrees('lon', 180)
  const lat = degrees('lat', 90)
  const amenities = v.amenities.filter((a): a is Amenity => (AMENITIES as readonly string[]).includes(a))

  if (Object.keys(errors).length) return { ok: false, errors }
  return {
    ok: true,
    fields: {
      kind: v.kind as StationKind, name: name!, address, opening_hours: hours, amenities: AMENITIES.filter((a) => amenities.includes(a)),
      phone, operator, capacity, status: v.status as StationStatus, radius_m: radius, lon, lat,
    },
  }
}

/** The station's current fields in the same shape (to tell what an edit changed). */
export function stationFields(s: StationFeature): StationFields {
  const p = s.properties
  const [lon, lat] = s.geometry.coordinates as [number, number]
  return {
    kind: p.kind, name: p.name, address: p.address, opening_hours: p.opening_hours, amenities: AMENITIES.filter((a) => p.amenities.includes(a)),
    phone: p.phone, operator: p.operator, capacity: p.capacity, status: p.status, radius_m: p.radius_m, lon, lat,
  }
}

/** Only the fields that differ from `base` (lon and lat travel together: a move). */
export function changedFields(base: StationFields, next: StationFields): Partial<StationFields> {
  const out: Partial<StationFields> = {}
  for (const k of Object.keys(next) as (keyof StationFields)[]) {
    if (k === 'lon' || k === 'lat') continue
    if (JSON.stringify(base[k]) !== JSON.stringify(next[k])) (out as Record<string, unknown>)[k] = next[k]
  }
  if (coord(base.lon) !== coord(next.lon) || coord(base.lat) !== coord(next.lat)) Object.assign(out, { lon: next.lon, lat: next.lat })
  return out
}

/**
 * The API's 400 issues as field → message, for the fields this form has (the rest, with no input to
 * stand by, come back under `other`).
 */
export function serverFieldErrors(issues: readonly { path: readonly (string | number)[]; message: string }[]): { fields: Partial<Record<FormField, string>>; other: string[] } {
  const fields: Partial<Record<FormField, string>> = {}
  const other: string[] = []
  for (const i of issues) {
    const f = (i.path[0] === 'region_code' ? 'lon' : i.path[0]) as FormField
    if (FORM_FIELDS.includes(f)) fields[f] ??= te('serverField', { message: i.message })
    else other.push(i.message)
  }
  return { fields, other }
}
