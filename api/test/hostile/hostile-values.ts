/**
 * The hostile-input categories: each puts one kind of bad (or merely odd) value into one place of an
 * otherwise valid request, and says what the API must answer. Places come from the operation's
 * OpenAPI parameters and body schema, so every operation gets every category that fits it.
 */
import fc from 'fast-check'
import type { Operation } from './operations.ts'
import { allowsNull, coordinateOf, isNumeric, isString, slotName, slotsOf } from './schema-values.ts'
import type { JsonSchema } from './operations.ts'

/** A request under construction: the valid one first, then one category's change. */
export interface Draft {
  pathParams: Record<string, string>
  query: [string, string][]
  headers: Record<string, string>
  /** the JSON body as a value (serialised last) … */
  body?: unknown
  /** … or exactly these bytes */
  rawBody?: string | Uint8Array
  /** JSON text to put in place of a RAW marker string when the body is serialised (NaN, 1e309 …) */
  raw: string[]
  /** a path segment sent exactly as given (not percent-encoded) */
  rawPath?: Record<string, string>
  /** percent-encoded query text appended as is (invalid UTF-8 escapes) */
  rawQuery?: string
  /** replace BAD_MARKER in the serialised body by these invalid UTF-8 bytes (an index of BAD_UTF8_BYTES) */
  badUtf8?: number
}

export const BAD_MARKER = '"__BAD_UTF8__"'

/**
 * What the API must answer: `reject` any 4xx (never 2xx); `any` 2xx or 4xx; a number that exact status.
 * `field`: the name a 400 must carry in its message.
 */
export interface Mutation {
  category: string
  detail: string
  expect: 'reject' | 'any' | number
  field?: string
  apply(d: Draft): void
}

export const RAW = (i: number) => `\u0001RAW${i}\u0001`

interface Slot {
  where: 'path' | 'query' | 'header' | 'body'
  name: string
  path: (string | number)[]
  schema: JsonSchema
}

/** Every place of an operation a value can go. */
export function slotsOfOperation(op: Operation): Slot[] {
  const params: Slot[] = op.params.map((p) => ({ where: p.in, name: p.name, path: [p.name], schema: p.schema }))
  const body: Slot[] = op.body ? slotsOf(op.body).map((s) => ({ where: 'body', name: slotName(s.path), path: s.path, schema: s.schema })) : []
  return [...params, ...body]
}

/**
 * The name a 400 must carry for a slot: a parameter's name, a body field's top-level name (a value
 * deep in `edits.added.0.lon` may fail with its siblings, which setAt had to make up, but always under `edits`).
 */
const fieldOf = (s: Slot) => (s.where === 'body' ? String(s.path[0]) : s.name)

/** Sets a value at `path` in an object, making the containers on the way. */
function setAt(root: unknown, path: (string | number)[], value: unknown): unknown {
  if (!path.length) return value
  const [head, ...rest] = path
  const container: any = root !== null && typeof root === 'object' ? root : typeof head === 'number' ? [] : {}
  container[head!] = setAt(container[head!], rest, value)
  return container
}

/** Puts `text` into a slot: query and header as strings, path params encoded, body as a JSON value. */
function put(d: Draft, slot: Slot, value: unknown) {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  if (slot.where === 'query') {
    d.query = d.query.filter(([k]) => k !== slot.name)
    d.query.push([slot.name, text])
  } else if (slot.where === 'path') d.pathParams[slot.name] = text
  // a header is bytes: what a raw client sends for non-Latin-1 text is its UTF-8, byte by byte
  else if (slot.where === 'header') d.headers[slot.name] = Buffer.from(text, 'utf8').toString('latin1')
  else d.body = setAt(d.body, slot.path, value)
}

/** Puts JSON text (not a JSON value) into a body slot; a param slot gets the text itself. */
function putRaw(d: Draft, slot: Slot, json: string, asParam = json) {
  if (slot.where !== 'body') return put(d, slot, asParam)
  d.raw.push(json)
  put(d, slot, RAW(d.raw.length - 1))
}

const pick = <T>(xs: T[]) => fc.constantFrom(...xs)
const PASSWORD_FIELDS = new Set(['password', 'current_password', 'new_password'])

const NAN = { category: 'NaN' }
const SQL = [
  "'; DROP TABLE station; --",
  "' OR '1'='1",
  '1; SELECT pg_sleep(5)',
  "x' UNION SELECT password_hash FROM app_user --",
  '$1',
  "\\'; TRUNCATE app_user CASCADE; --",
  "990101' OR region_code IS NOT NULL --",
  '%',
  '_',
  "E'\\x00'",
]
const SCRIPT = ['<script>alert(1)</script>', '"><img src=x onerror=alert(1)>', 'javascript:alert(1)', '{{7*7}}${7*7}', '</title><svg onload=alert(1)>', '=HYPERLINK("http://x")']
const UNICODE = ['\u202Eevil\u202C', 'a\u200Bb', 'e\u0301\u0301\u0301', '👩‍👩‍👧‍👦', '\uFEFFbom', 'İıß', '１２３４５６', '\u3000', 'x'.repeat(3) + '\u{10FFFF}']
const LONE_SURROGATES = ['\\ud800', 'a\\udfffb', '\\udbff\\ud800']
const TRAVERSAL = ['..%2F..%2Fetc%2Fpasswd', '..%2f..%2fapi%2fusers', '%2e%2e%2f%2e%2e%2f', '....%2F%2F....%2F%2Fetc', '..%5C..%5Cwindows%5Cwin.ini', '%252e%252e%252f', '..', '.', '%2e%2e', '00000000-0000-4000-8000-000000000000%2F..%2F..%2Fusers', '..;%2F', '%00', '%C0%AE%C0%AE%2F']
const BAD_UTF8_BYTES = [[0xff], [0xc3, 0x28], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0xf8, 0x88, 0x80, 0x80, 0x80], [0xe2, 0x82]]
const BAD_UTF8_ESCAPES = ['%FF', '%C3%28', '%ED%A0%80', '%C0%AF', '%E2%82']
// a byte-order mark before valid JSON is not here: the server ignores it, as RFC 8259 §8.1 allows
// (found.test.ts); one before broken JSON is
const MALFORMED = ['{', '{"a":', '{"name": "x",}', "{'a':1}", 'null', '[]', '"str"', '123', 'true', '', '\uFEFF{', '{"a":1}{"b":2}', 'undefined', '{"a":01}', '{"a":1e}', '{"a":"\\x41"}', '[1,2', '{"a":"unterminated}']
const WRONG_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/jsonx', 'json', 'text/html', 'application/octet-stream']
const UNKNOWN_KEYS = ['__proto__', 'constructor', 'prototype', 'isAdmin', 'role_override', 'created_at', 'password_hash', 'evil']
const EVIL_ORIGINS = ['https://evil.example', 'null', 'http://localhost.evil.example', 'http://localhost:1234', 'https://localhost']
const BAD_AUTH = ['Bearer', 'Bearer ', 'Basic dXNlcjpwYXNz', 'Bearer a b', 'Bearer 0000000000000000000000000000000000000000', 'bearer\t', 'Token abc', "Bearer ' OR 1=1 --"]

const numericSlots = (slots: Slot[]) => slots.filter((s) => isNumeric(s.schema))
const stringSlots = (slots: Slot[]) => slots.filter((s) => isString(s.schema))
const bounded = (s: JsonSchema) => s.minimum !== undefined || s.maximum !== undefined || s.exclusiveMinimum !== undefined || s.exclusiveMaximum !== undefined

type Builder = (op: Operation, slots: Slot[], cookie: boolean) => fc.Arbitrary<Mutation> | null

/** One slot of `slots` (null when there is none) and a mutation of it. */
const inSlot = (slots: Slot[], f: (s: Slot) => fc.Arbitrary<Mutation>) => (slots.length ? pick(slots).chain(f) : null)
const hasBody = (op: Operation) => !!op.body

/** The categories, by name; a builder returns null when the category has no place in the operation. */
export const CATEGORIES: Record<string, Builder> = {
  NaN: (_op, slots) =>
    inSlot(numericSlots(slots), (s) => fc.constant({ ...NAN, detail: `${s.name}=NaN`, expect: 'reject', field: s.where === 'body' ? 'JSON' : s.name, apply: (d: Draft) => putRaw(d, s, 'NaN') })),
  '±Infinity': (_op, slots) =>
    inSlot(numericSlots(slots), (s) =>
      pick(['Infinity', '-Infinity']).map((v) => ({ category: '±Infinity', detail: `${s.name}=${v}`, expect: 'reject', field: fieldOf(s), apply: (d: Draft) => putRaw(d, s, v === 'Infinity' ? '1e999' : '-1e999', v) })),
    ),
  '1e309': (_op, slots) =>
    inSlot(numericSlots(slots), (s) =>
      fc.boolean().map((asText) => ({ category: '1e309', detail: `${s.name}=1e309${asText ? ' (as a string)' : ''}`, expect: 'reject', field: fieldOf(s), apply: (d: Draft) => (asText ? put(d, s, '1e309') : putRaw(d, s, '1e309')) })),
    ),
  'lon/lat out of range': (_op, slots) =>
    inSlot(numericSlots(slots).filter((s) => coordinateOf(s.name, s.schema)), (s) => {
      const values = coordinateOf(s.name, s.schema) === 'lon' ? [180.000001, -180.5, 360, 1e6, -999] : [90.000001, -90.5, 180, -1e6]
      return pick(values).map((v) => ({ category: 'lon/lat out of range', detail: `${s.name}=${v}`, expect: 'reject', field: fieldOf(s), apply: (d: Draft) => put(d, s, s.where === 'body' ? v : String(v)) }))
    }),
  'reversed bbox': (_op, slots) =>
    inSlot(slots.filter((s) => s.name === 'bbox'), (s) =>
      pick(['116.1,35.1,116.0,35.0', '116.1,35.0,116.0,35.1', '116.0,35.1,116.1,35.0', '1,2,3', '1,2,3,4,5', 'a,b,c,d', ',,,', '-181,0,0,1', '0,-91,1,0', 'NaN,0,1,1', 'Infinity,0,1,1', '116,35,116,35']).map((v) => ({
        category: 'reversed bbox', detail: `bbox=${v}`, expect: 'reject', field: 'bbox', apply: (d: Draft) => put(d, s, v),
      })),
    ),
  '1 MB string': (_op, slots) =>
    inSlot(stringSlots(slots).filter((s) => s.where !== 'path'), (s) =>
      pick(['a', '中', '%']).map((ch) => ({ category: '1 MB string', detail: `${s.name}=${JSON.stringify(ch)}×2^20`, expect: 'reject', field: fieldOf(s), apply: (d: Draft) => put(d, s, ch.repeat(1 << 20)) })),
    ),
  '10,000-deep JSON': (op, slots) => {
    const deep = (open: string, leaf: string, close: string) => open.repeat(10_000) + leaf + close.repeat(10_000)
    const forms = [deep('[', '', ']'), deep('{"a":', '1', '}'), deep('[{"x":', 'null', '}]')]
    if (hasBody(op)) {
      const bodySlots = slots.filter((s) => s.where === 'body')
      return fc.tuple(fc.integer({ min: 0, max: forms.length - 1 }), fc.option(pick(bodySlots.length ? bodySlots : [null as unknown as Slot]), { nil: undefined })).map(([i, s]) => ({
        category: '10,000-deep JSON', detail: `${s ? s.path.join('.') : 'the body'} = ${forms[i]!.slice(0, 12)}…`, expect: 'reject', field: s ? fieldOf(s) : undefined,
        apply: (d: Draft) => (s ? putRaw(d, s, forms[i]!) : void (d.rawBody = forms[i]!)),
      }))
    }
    return inSlot(stringSlots(slots).filter((s) => s.where === 'query'), (s) => fc.constant({ category: '10,000-deep JSON', detail: `${s.name}=[[[…]]]`, expect: 'reject', field: fieldOf(s), apply: (d: Draft) => put(d, s, forms[0]!) }))
  },
  'invalid UTF-8': (op, slots) => {
    const body = stringSlots(slots).filter((s) => s.where === 'body')
    const params = slots.filter((s) => s.where === 'query' || s.where === 'path')
    const options: fc.Arbitrary<Mutation>[] = []
    if (body.length)
      options.push(fc.tuple(pick(body), fc.integer({ min: 0, max: BAD_UTF8_BYTES.length - 1 })).map(([s, i]) => ({
        category: 'invalid UTF-8', detail: `${s.path.join('.')} holds bytes ${BAD_UTF8_BYTES[i]!.map((b) => b.toString(16)).join(' ')}`, expect: 'reject', field: 'body',
        apply: (d: Draft) => {
          d.raw.push(BAD_MARKER)
          put(d, s, RAW(d.raw.length - 1))
          d.badUtf8 = i
        },
      })))
    if (params.length)
      options.push(fc.tuple(pick(params), pick(BAD_UTF8_ESCAPES)).map(([s, esc]) => ({
        category: 'invalid UTF-8', detail: `${s.name}=${esc}`, expect: 'reject', field: fieldOf(s),
        apply: (d: Draft) => {
          if (s.where === 'path') (d.rawPath ??= {})[s.name] = `a${esc}`
          else {
            d.query = d.query.filter(([k]) => k !== s.name)
            d.rawQuery = `${encodeURIComponent(s.name)}=${esc}`
          }
        },
      })))
    void op
    return options.length ? fc.oneof(...options) : null
  },
  NUL: (_op, slots) =>
    // (no header slots: HTTP itself cannot carry a NUL in a header, fetch refuses to send one)
    inSlot(stringSlots(slots).filter((s) => s.where !== 'header'), (s) =>
      pick(['\u0000', 'a\u0000', '\u0000b', 'x\u0000y']).map((v) => ({
        category: 'NUL', detail: `${s.name}=${JSON.stringify(v)}`, expect: PASSWORD_FIELDS.has(s.name) ? 'any' : 'reject', field: fieldOf(s),
        apply: (d: Draft) => (s.where === 'path' ? ((d.rawPath ??= {})[s.name] = encodeURIComponent(v)) : put(d, s, v)),
      })),
    ),
  'SQL payload': (_op, slots) =>
    inSlot(stringSlots(slots), (s) => pick(SQL).map((v) => ({ category: 'SQL payload', detail: `${s.name}=${v}`, expect: 'any', field: fieldOf(s), apply: (d: Draft) => put(d, s, v) }))),
  'script payload': (_op, slots) =>
    inSlot(stringSlots(slots), (s) => pick(SCRIPT).map((v) => ({ category: 'script payload', detail: `${s.name}=${v}`, expect: 'any', field: fieldOf(s), apply: (d: Draft) => put(d, s, v) }))),
  'odd Unicode': (_op, slots) =>
    inSlot(stringSlots(slots), (s) => {
      const lone = s.where === 'body' ? LONE_SURROGATES.map((v) => ({ v, lone: true })) : []
      return pick([...UNICODE.map((v) => ({ v, lone: false })), ...lone]).map(({ v, lone: isLone }) => ({
        category: 'odd Unicode', detail: `${s.name}=${JSON.stringify(v)}`, expect: isLone && !PASSWORD_FIELDS.has(s.name) ? 'reject' : 'any', field: fieldOf(s),
        apply: (d: Draft) => (isLone ? putRaw(d, s, `"${v}"`) : put(d, s, v)),
      }))
    }),
  'unknown field': (op) => {
    if (!op.body) return null
    const body = op.body
    const strict = body.additionalProperties === false
    return fc.tuple(pick(UNKNOWN_KEYS.filter((k) => !(k in (body.properties ?? {})))), pick<unknown>([1, 'x', true, { role: 'admin' }, null])).map(([k, v]) => ({
      category: 'unknown field', detail: `body.${k}=${JSON.stringify(v)}`, expect: strict ? 'reject' : 'any', field: k,
      apply: (d: Draft) => {
        if (d.body === null || typeof d.body !== 'object' || Array.isArray(d.body)) d.body = {}
        // JSON.parse makes "__proto__" an own key; an object literal would set the prototype instead
        Object.defineProperty(d.body, k, { value: v, enumerable: true, configurable: true, writable: true })
      },
    }))
  },
  'wrong content type': (op) =>
    op.body ? pick(WRONG_TYPES).map((t) => ({ category: 'wrong content type', detail: `content-type: ${t}`, expect: 'reject', field: 'content-type', apply: (d: Draft) => void (d.headers['content-type'] = t) })) : null,
  'huge Content-Length': (op) =>
    pick(['99999999999', '9007199254740993', '1' + '0'.repeat(30)]).map((v) => ({
      category: 'huge Content-Length', detail: `content-length: ${v}`, expect: op.method === 'GET' ? 'any' : 413,
      apply: (d: Draft) => {
        d.headers['content-length'] = v
        if (op.method !== 'GET' && d.body === undefined && d.rawBody === undefined) d.rawBody = '{}'
      },
    })),
  'duplicate params': (op, slots) => {
    const query = slots.filter((s) => s.where === 'query')
    const options: fc.Arbitrary<Mutation>[] = []
    if (query.length)
      options.push(fc.tuple(pick(query), fc.boolean()).map(([s, same]) => ({
        category: 'duplicate params', detail: `${s.name} given twice${same ? ' (same value)' : ''}`, expect: 'reject', field: fieldOf(s),
        apply: (d: Draft) => {
          const first = d.query.find(([k]) => k === s.name)?.[1] ?? '1'
          d.query = d.query.filter(([k]) => k !== s.name)
          d.query.push([s.name, first], [s.name, same ? first : `${first}0`])
        },
      })))
    if (op.body && op.body.properties)
      options.push(pick(Object.keys(op.body.properties)).map((k) => ({
        category: 'duplicate params', detail: `body key ${k} twice`, expect: 'any', field: k,
        apply: (d: Draft) => {
          const obj = d.body && typeof d.body === 'object' ? (d.body as Record<string, unknown>) : {}
          const text = JSON.stringify(obj)
          d.rawBody = text === '{}' ? `{${JSON.stringify(k)}:1,${JSON.stringify(k)}:2}` : `{${JSON.stringify(k)}:"first",${text.slice(1)}`
        },
      })))
    return options.length ? fc.oneof(...options) : null
  },
  'path traversal': (_op, slots) =>
    inSlot(slots.filter((s) => s.where === 'path'), (s) => pick(TRAVERSAL).map((v) => ({ category: 'path traversal', detail: `${s.name}=${v}`, expect: 'reject', field: fieldOf(s), apply: (d: Draft) => void ((d.rawPath ??= {})[s.name] = v) }))),
  'wrong type': (_op, slots) =>
    inSlot(slots, (s) => {
      const numeric = isNumeric(s.schema)
      if (s.where !== 'body') {
        if (!numeric) return fc.constant({ category: 'wrong type', detail: `${s.name}=[]`, expect: 'any', field: fieldOf(s), apply: (d: Draft) => put(d, s, '[]') } as Mutation)
        return pick(['abc', '5abc', '[]', 'true', '0x10', '', ' ', '1,5', '٣']).map((v) => ({ category: 'wrong type', detail: `${s.name}=${JSON.stringify(v)}`, expect: 'reject' as const, field: fieldOf(s), apply: (d: Draft) => put(d, s, v) }))
      }
      const t = s.schema.type
      const candidates: unknown[] = [12345, 'text', true, [], {}, null, [1, 2]]
      const wrong = candidates.filter((v) => {
        if (v === null) return !allowsNull(s.schema)
        if (Array.isArray(v)) return !(t === 'array' || (Array.isArray(t) && t.includes('array')))
        const jt = typeof v === 'number' ? ['number', 'integer'] : typeof v === 'string' ? ['string'] : typeof v === 'boolean' ? ['boolean'] : ['object']
        const types = Array.isArray(t) ? t : t ? [t] : []
        return types.length > 0 && !jt.some((x) => types.includes(x)) && !(s.schema.anyOf ?? []).some((a) => jt.includes(String(a.type)))
      })
      return wrong.length ? pick(wrong).map((v) => ({ category: 'wrong type', detail: `${s.path.join('.')}=${JSON.stringify(v)}`, expect: 'reject' as const, field: fieldOf(s), apply: (d: Draft) => put(d, s, v) })) : fc.constant({ category: 'wrong type', detail: 'none fits', expect: 'any' as const, apply: () => {} })
    }),
  'out of bounds': (_op, slots) =>
    inSlot(slots.filter((s) => bounded(s.schema) || s.schema.maxLength !== undefined || (s.schema.minLength ?? 0) > 0 || s.schema.enum || s.schema.pattern || s.schema.format === 'uuid' || s.schema.type === 'integer'), (s) => {
      const sc = s.schema
      const values: unknown[] = []
      if (sc.minimum !== undefined) values.push(sc.minimum - 1, sc.minimum - 1e-9)
      if (sc.exclusiveMinimum !== undefined) values.push(sc.exclusiveMinimum)
      if (sc.maximum !== undefined) values.push(sc.maximum + 1, sc.maximum * 2 + 1)
      if (sc.type === 'integer' || (Array.isArray(sc.type) && sc.type.includes('integer'))) values.push(1.5, 2 ** 53 + 2)
      if (sc.maxLength !== undefined) values.push('x'.repeat(sc.maxLength + 1))
      if ((sc.minLength ?? 0) > 0) values.push('x'.repeat(sc.minLength! - 1))
      if (sc.enum) values.push('not_a_value', String(sc.enum[0]).toUpperCase() === String(sc.enum[0]) ? 'x' : String(sc.enum[0]).toUpperCase())
      // only values the pattern refuses ('1234567' is a fine layer id)
      if (sc.pattern) values.push(...['abc!', '1234567', ''].filter((v) => !new RegExp(sc.pattern!, 'u').test(v)))
      if (sc.format === 'uuid') values.push('not-a-uuid', '00000000-0000-0000-0000-00000000000g', '{00000000-0000-4000-8000-000000000000}')
      if (!values.length) return fc.constant({ category: 'out of bounds', detail: 'none fits', expect: 'any' as const, apply: () => {} })
      return pick(values).map((v) => ({ category: 'out of bounds', detail: `${s.path.join('.')}=${JSON.stringify(v).slice(0, 40)}`, expect: 'reject' as const, field: fieldOf(s), apply: (d: Draft) => put(d, s, s.where === 'body' ? v : String(v)) }))
    }),
  'malformed JSON': (op) => (op.body ? pick(MALFORMED).map((t) => ({ category: 'malformed JSON', detail: JSON.stringify(t), expect: 'reject', apply: (d: Draft) => void (d.rawBody = t) })) : null),
  CSRF: (op, _slots, cookie) =>
    op.method !== 'GET' && (cookie || op.key === 'POST /auth/login')
      ? fc.oneof(pick(EVIL_ORIGINS), fc.constant(null)).map((o) => ({
          category: 'CSRF', detail: o === null ? 'no Origin' : `origin: ${o}`, expect: cookie ? 403 : op.key === 'POST /auth/login' ? 403 : 'any',
          apply: (d: Draft) => {
            if (o === null) {
              if (!cookie) d.headers.origin = 'https://evil.example'
              else delete d.headers.origin
            } else d.headers.origin = o
          },
        }))
      : null,
  'bad credentials': () =>
    pick(BAD_AUTH).map((a) => ({
      category: 'bad credentials', detail: `authorization: ${a}`, expect: 401,
      apply: (d: Draft) => {
        delete d.headers.cookie
        d.headers.authorization = a
      },
    })),
}

/** The valid request itself (weighted up: it reaches the handlers that the others are refused before). */
export const VALID: Mutation = { category: 'valid', detail: 'as generated', expect: 'any', apply: () => {} }

/** The serialised body with BAD_MARKER replaced by the string "a<invalid bytes>b". */
export function withBadUtf8(json: string, i: number): Uint8Array {
  const at = json.indexOf(BAD_MARKER)
  const enc = new TextEncoder()
  return new Uint8Array([...enc.encode(json.slice(0, at)), 0x22, 0x61, ...BAD_UTF8_BYTES[i]!, 0x62, 0x22, ...enc.encode(json.slice(at + BAD_MARKER.length))])
}
