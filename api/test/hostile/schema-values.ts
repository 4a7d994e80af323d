/**
 * Valid values from the OpenAPI schemas: the well-formed requests that hostile values are then put
 * into, one field at a time. Field names the schema cannot describe well enough (a station must lie
 * in a county, an id must exist, hours must parse) get a hint: values a real client would send.
 */
import fc from 'fast-check'
import type { JsonSchema } from './operations.ts'

/** What the fuzzer knows about the database it runs against. */
export interface World {
  /** the county the editor may write in, and points in it */
  region: string
  /** codes a valid request may name; never the region of the "editor of another region" */
  regions: string[]
  west: [number, number, number, number]
  stationIds: string[]
  scenarioIds: string[]
  reportIds: string[]
  userIds: string[]
  tokenIds: string[]
  emails: string[]
  password: string
}

const KINDS = ['service_centre', 'red_sail', 'rider_rest', 'worksite']
const AMENITIES = ['water', 'charging', 'microwave', 'toilet', 'rest', 'first_aid', 'heating', 'cooling', 'wifi', 'repair', 'medicine', 'reading']
const HOURS = ['24/7', 'Mo-Fr 08:00-20:00', 'Mo-Su 06:00-22:00', 'Sa,Su 09:00-17:00; PH off']

const types = (s: JsonSchema): string[] => (Array.isArray(s.type) ? s.type : s.type ? [s.type] : [])
export const isNumeric = (s: JsonSchema) => types(s).some((t) => t === 'number' || t === 'integer')
export const isString = (s: JsonSchema) => types(s).includes('string') || !!s.anyOf?.some(isString)
export const allowsNull = (s: JsonSchema) => types(s).includes('null') || !!s.anyOf?.some(allowsNull)

/** A comma-separated list of some of `words`, as the API's list parameters take. */
const commaList = (words: string[]) => fc.subarray(words, { minLength: 1, maxLength: 3 }).map((w) => w.join(','))

/** Which coordinate a number is, by its name or its bounds (tuples like [lon, lat] have no names). */
export function coordinateOf(name: string, s: JsonSchema): 'lon' | 'lat' | null {
  if (name === 'lon' || (s.minimum === -180 && s.maximum === 180)) return 'lon'
  if (name === 'lat' || (s.minimum === -90 && s.maximum === 90)) return 'lat'
  return null
}

/** A value a careful client would send for this field, or null to follow the schema alone. */
function hinted(name: string, s: JsonSchema, world: World, opPath: string): fc.Arbitrary<unknown> | null {
  const [w, south, e, n] = world.west
  const coordinate = coordinateOf(name, s)
  // most points inside the editor's county, some just outside every region (the API must refuse or derive null)
  if (coordinate === 'lon') return fc.oneof({ weight: 4, arbitrary: fc.double({ min: w + 1e-4, max: e - 1e-4, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(w - 0.5, 100.0) })
  if (coordinate === 'lat') return fc.oneof({ weight: 4, arbitrary: fc.double({ min: south + 1e-4, max: n - 1e-4, noNaN: true }) }, { weight: 1, arbitrary: fc.constantFrom(south - 0.5, 20.0) })
  if (s.enum) return null
  switch (name) {
    case 'id':
      if (opPath.startsWith('/stations/')) return fc.constantFrom(...world.stationIds)
      if (opPath.startsWith('/scenarios/')) return fc.constantFrom(...world.scenarioIds)
      if (opPath.startsWith('/reports/')) return fc.constantFrom(...world.reportIds)
      if (opPath.startsWith('/users/')) return fc.constantFrom(...world.userIds)
      if (opPath.startsWith('/tokens/')) return fc.constantFrom(...world.tokenIds)
      return opPath === '/siting' || opPath === '/scenarios' ? fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/) : null
    case 'region':
    case 'region_code':
      return fc.constantFrom(...world.regions)
    case 'regions':
      return fc.subarray(world.regions, { maxLength: 2 })
    case 'kind':
      return commaList(KINDS)
    case 'status':
      return commaList(['planned', 'active', 'retired'])
    case 'amenity':
      return commaList(AMENITIES)
    case 'opening_hours':
      return fc.constantFrom(...HOURS, null)
    case 'bbox':
      return fc.tuple(fc.double({ min: w - 0.1, max: w, noNaN: true }), fc.double({ min: south - 0.1, max: south, noNaN: true }), fc.double({ min: e, max: e + 0.1, noNaN: true }), fc.double({ min: n, max: n + 0.1, noNaN: true })).map((b) => b.join(','))
    case 'open_at':
      return fc.oneof(fc.constant('now'), fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString()))
    case 'at':
      return fc.oneof(fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 })).map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`), fc.constant('2026-12-01T10:00:00+08:00'))
    case 'email':
      return fc.oneof(fc.constantFrom(...world.emails), fc.stringMatching(/^[a-z]{1,8}@example\.org$/))
    case 'password':
    case 'current_password':
    case 'new_password':
      return fc.oneof(fc.constant(world.password), fc.string({ minLength: 12, maxLength: 30 }))
    case 'if-match':
      return fc.integer({ min: 1, max: 3 }).map((v) => `"${v}"`)
    case 'version':
      return fc.integer({ min: 1, max: 3 })
    case 'layer':
      return fc.constantFrom('population', 'population', 'no-such-layer')
    case 'resolution':
      return fc.integer({ min: 5, max: 9 })
    case 'radius_m':
      return fc.integer({ min: 100, max: 5000 })
    case 'count':
      return fc.integer({ min: 1, max: 4 })
    case 'minutes':
      return fc.integer({ min: 1, max: 30 })
    case 'limit':
      return fc.integer({ min: Math.max(1, s.minimum ?? 1), max: Math.min(50, s.maximum ?? 50) })
    case 'z':
      return fc.integer({ min: 0, max: 12 })
    case 'x':
      return fc.integer({ min: 0, max: 4095 })
    case 'y':
      return fc.integer({ min: 0, max: 4095 }).map((y) => `${y}.mvt`)
    case 'cursor':
      return fc.stringMatching(/^[A-Za-z0-9_-]{1,24}$/)
    case 'candidates':
      return fc.array(fc.tuple(hinted('lon', {}, world, opPath)!, hinted('lat', {}, world, opPath)!), { minLength: 1, maxLength: 5 })
    case 'capacity':
      return fc.option(fc.integer({ min: 0, max: 1000 }))
    case 'name':
    case 'note':
    case 'address':
    case 'operator':
    case 'phone':
      return fc.string({ unit: 'grapheme', maxLength: Math.min(s.maxLength ?? 40, 40), minLength: s.minLength ?? 0 }).filter((t) => !t.includes('\0'))
    default:
      return null
  }
}

/** An arbitrary of valid values of `s`; `name` is the field's name (for hints). */
export function valueOf(s: JsonSchema, world: World, opPath: string, name = ''): fc.Arbitrary<unknown> {
  const hint = hinted(name, s, world, opPath)
  if (hint) return hint
  if (s.const !== undefined) return fc.constant(s.const)
  if (s.enum) return fc.constantFrom(...s.enum)
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives) return fc.oneof(...alternatives.map((a) => valueOf(a, world, opPath, name)))
  const t = types(s).filter((x) => x !== 'null')[0]
  switch (t) {
    case 'object': {
      const props = s.properties ?? {}
      const model = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, valueOf(v, world, opPath, k)]))
      return fc.record(model, { requiredKeys: (s.required ?? []).filter((k) => k in props) })
    }
    case 'array': {
      if (s.prefixItems) return fc.tuple(...s.prefixItems.map((p, i) => valueOf(p, world, opPath, `${name}[${i}]`)))
      const min = s.minItems ?? 0
      return fc.array(valueOf(s.items ?? {}, world, opPath), { minLength: min, maxLength: Math.max(min, Math.min(s.maxItems ?? 3, 3)) })
    }
    case 'integer':
      return fc.integer({ min: Math.ceil(s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0)), max: Math.floor(Math.min(s.maximum ?? 1000, 1000)) })
    case 'number': {
      const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1e-6 : 0)
      return fc.double({ min, max: Math.min(s.maximum ?? 1000, Math.max(min, 1000)), noNaN: true, noDefaultInfinity: true })
    }
    case 'boolean':
      return fc.boolean()
    case 'string': {
      if (s.format === 'uuid') return fc.uuid()
      if (s.format === 'date-time') return fc.date({ min: new Date('2026-01-01'), max: new Date('2027-12-31'), noInvalidDate: true }).map((d) => d.toISOString())
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern))
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 30, 30) }).filter((x) => !x.includes('\0'))
    }
    default:
      return fc.constant(null)
  }
}

/** Every place in a body schema a value can go: `[field]`, `[field, 0]`, `[field, 0, 1]` … */
export function slotsOf(s: JsonSchema, path: (string | number)[] = [], depth = 0): { path: (string | number)[]; schema: JsonSchema }[] {
  if (depth > 4) return []
  const out: { path: (string | number)[]; schema: JsonSchema }[] = []
  if (path.length) out.push({ path, schema: s })
  for (const [k, v] of Object.entries(s.properties ?? {})) out.push(...slotsOf(v, [...path, k], depth + 1))
  if (s.prefixItems) s.prefixItems.forEach((p, i) => out.push(...slotsOf(p, [...path, i], depth + 1)))
  else if (s.items) out.push(...slotsOf(s.items, [...path, 0], depth + 1))
  return out
}

/** The field name a slot path ends in (`['candidates', 0, 1]` → `lat` by bounds, else the last name). */
export function slotName(path: (string | number)[]): string {
  return String([...path].reverse().find((p) => typeof p === 'string') ?? '')
}
