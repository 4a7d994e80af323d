import { z } from '@hono/zod-openapi'
import { AMENITIES, STATION_KINDS, STATION_STATUSES } from '../core/station-kinds.ts'

/** The one error body every 4xx/5xx carries (DESIGN.md §4). */
export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ example: 'invalid_query' }),
      message: z.string().openapi({ example: 'bbox: west must be less than east' }),
      issues: z
        .array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string() }))
        .optional(),
    }),
  })
  .openapi('Error')

/** `a,b,c` → ['a','b','c'], each checked against `values`; the message names the bad value. */
export function csvEnum<T extends readonly [string, ...string[]]>(values: T, what: string) {
  return z
    .string()
    .transform((s, ctx) => {
      const parts = s.split(',').map((p) => p.trim()).filter(Boolean)
      const bad = parts.filter((p) => !(values as readonly string[]).includes(p))
      if (parts.length === 0 || bad.length) {
        ctx.addIssue({
          code: 'custom',
          message: `${bad.length ? `unknown ${what} "${bad.join('", "')}"` : `empty ${what} list`}; use a comma-separated list of: ${values.join(', ')}`,
        })
        return z.NEVER
      }
      return [...new Set(parts)] as T[number][]
    })
    .openapi({ type: 'string', description: `Comma-separated, any of: ${values.join(', ')}` })
}

export const kindsParam = csvEnum(STATION_KINDS, 'kind')
export const statusesParam = csvEnum(STATION_STATUSES, 'status')
export const amenitiesParam = csvEnum(AMENITIES, 'amenity')

export const regionCode = z
  .string()
  .regex(/^[0-9]{6}$/, 'must be a six-digit GB/T 2260 code, e.g. 370828')
  .openapi({ example: '370828' })

/**
 * lon/lat in a JSON body: a JSON number and nothing else. (z.coerce would take null, [], "" and
 * false as 0 and true as 1: a proposed station at 0°, 0° instead of a 400.)
 */
export const bodyLon = z.number({ message: 'must be a number (WGS-84 longitude, degrees)' }).min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180')
export const bodyLat = z.number({ message: 'must be a number (WGS-84 latitude, degrees)' }).min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90')

/** Decimal notation: what a number in a query string may look like. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/**
 * A number from a query string (or a JSON body): `inner` applied to a decimal string's value or a
 * JSON number; anything else fails `inner` as "expected number". z.coerce.number() alone read an
 * empty `?lon=` as 0 (so /nearest?lon=&lat= answered for 0°, 0°), "0x10" as 16, and in a body
 * null, [] and false as 0, true as 1.
 */
export function decimal<T extends z.ZodType>(inner: T) {
  return z.preprocess((v, ctx) => {
    if (typeof v !== 'string') return v
    if (DECIMAL.test(v)) return Number(v)
    ctx.addIssue({ code: 'custom', message: `must be a number in decimal notation (e.g. 116.31), got ${JSON.stringify(v.slice(0, 40))}` })
    return z.NEVER
  }, inner)
}

export const lon = z.coerce.number().min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180')
export const lat = z.coerce.number().min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90')
// As query parameters: zod 4's coerce accepts `unknown`, which the OpenAPI generator reads as
// "optional and nullable"; say what the rule really is.
export const lonParam = decimal(z.number().min(-180, 'must be ≥ -180').max(180, 'must be ≤ 180')).openapi({ type: 'number', param: { required: true }, description: 'WGS-84 longitude, degrees (-180 … 180)', example: 116.31 })
export const latParam = decimal(z.number().min(-90, 'must be ≥ -90').max(90, 'must be ≤ 90')).openapi({ type: 'number', param: { required: true }, description: 'WGS-84 latitude, degrees (-90 … 90)', example: 35.07 })

/** `w,s,e,n` in WGS-84 degrees; w < e (no antimeridian crossing: not needed for China) and s < n. */
export const bboxParam = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',')
    const nums = parts.map((p) => (p.trim() === '' ? NaN : Number(p)))
    const fail = (message: string) => {
      ctx.addIssue({ code: 'custom', message })
      return z.NEVER
    }
    if (parts.length !== 4 || nums.some((n) => !Number.isFinite(n))) return fail('must be four numbers w,s,e,n (WGS-84 degrees)')
    const [w, s_, e, n] = nums as [number, number, number, number]
    if (w < -180 || e > 180) return fail('longitudes must be within -180…180')
    if (s_ < -90 || n > 90) return fail('latitudes must be within -90…90')
    if (w >= e) return fail('west must be less than east')
    if (s_ >= n) return fail('south must be less than north')
    return [w, s_, e, n] as [number, number, number, number]
  })
  .openapi({ type: 'string', example: '116.1,34.9,116.5,35.3', description: 'w,s,e,n in WGS-84 degrees' })

export const uuidParam = z.uuid({ message: 'must be a UUID' }).openapi({ param: { name: 'id', in: 'path' } })

export const PointGeometry = z.object({
  type: z.literal('Point'),
  coordinates: z.tuple([z.number(), z.number()]),
})

/** PostgreSQL text cannot hold U+0000; refusing it here names the field instead of failing with a 500. */
export const NO_NUL_MESSAGE = 'must not contain the NUL character (\\u0000)'
export const noNul = (s: string) => !s.includes('\u0000')

/** User text: at most `max` characters, no NUL. */
export const text = (max: number) => z.string().max(max, `must be at most ${max} characters`).refine(noNul, NO_NUL_MESSAGE)
