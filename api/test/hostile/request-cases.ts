/**
 * One generated request: an operation, who sends it, a valid request from the schemas, and one
 * category's change to it — plus what the answer must be.
 */
import fc from 'fast-check'
import { CATEGORIES, RAW, VALID, withBadUtf8, type Draft, type Mutation } from './hostile-values.ts'
import type { Operation } from './operations.ts'
import { slotsOfOperation } from './hostile-values.ts'
import { valueOf, type World } from './schema-values.ts'

export type PrincipalName = 'anonymous' | 'editor (session)' | 'editor of another region (session)' | 'admin (session)' | 'editor (token)' | 'admin (token)'
export const PRINCIPALS: PrincipalName[] = ['anonymous', 'editor (session)', 'editor of another region (session)', 'admin (session)', 'editor (token)', 'admin (token)']
export const isCookie = (p: PrincipalName) => p.endsWith('(session)')

/** What a write route needs (auth/authorize.ts WRITE_ROUTES), by `METHOD /path`. */
export type Scopes = Record<string, 'region' | 'admin' | 'account'>

export interface RequestCase {
  op: Operation
  principal: PrincipalName
  mutation: Mutation
  draft: Draft
}

/** May this principal get a 2xx from this operation at all (given the world's regions)? */
export function mayBeAllowed(op: Operation, p: PrincipalName, scopes: Scopes): boolean {
  if (!op.secured) return true
  if (p === 'anonymous') return false
  const scope = scopes[op.key]
  if (scope === 'admin') return p.startsWith('admin')
  if (scope === 'region') return !p.startsWith('editor of another region')
  return true
}

/** An arbitrary of valid drafts for an operation (no credentials yet). */
function validDraft(op: Operation, world: World): fc.Arbitrary<Draft> {
  const params = op.params.map((p) => {
    const v = valueOf(p.schema, world, op.path, p.name)
    return p.required ? v.map((x) => [p, x] as const) : fc.option(v, { nil: undefined, freq: 2 }).map((x) => [p, x] as const)
  })
  const body = op.body ? valueOf(op.body, world, op.path) : fc.constant(undefined)
  return fc.tuple(fc.tuple(...params), body).map(([ps, b]) => {
    const d: Draft = { pathParams: {}, query: [], headers: {}, body: b, raw: [] }
    for (const [p, x] of ps) {
      if (x === undefined || x === null) continue
      const text = String(x)
      if (p.in === 'path') d.pathParams[p.name] = text
      else if (p.in === 'query') d.query.push([p.name, text])
      else d.headers[p.name] = text
    }
    tileInRange(d.pathParams)
    return d
  })
}

/**
 * A tile's x and y are drawn on their own (0 … 4095) but are only valid below 2^z: fold them in, so
 * a valid draft is valid and a mutated field is the one the 400 must name.
 */
function tileInRange(p: Record<string, string>): void {
  if (p.z === undefined || p.x === undefined || p.y === undefined) return
  const n = 2 ** Number(p.z)
  p.x = String(Number(p.x) % n)
  p.y = `${Number(p.y.replace(/\.mvt$/, '')) % n}.mvt`
}

/** Every category that fits an operation for this principal, `valid` three times as likely. */
function mutations(op: Operation, p: PrincipalName): fc.Arbitrary<Mutation> {
  const slots = slotsOfOperation(op)
  const fitting = Object.values(CATEGORIES).map((b) => b(op, slots, isCookie(p))).filter((a): a is fc.Arbitrary<Mutation> => a !== null)
  return fc.oneof({ weight: 3 * Math.max(1, Math.round(fitting.length / 8)), arbitrary: fc.constant(VALID) }, ...fitting.map((a) => ({ weight: 1, arbitrary: a })))
}

/** Requests over every operation × principal × fitting category. */
export function requestCases(ops: Operation[], world: World): fc.Arbitrary<RequestCase> {
  const byOp = new Map<string, fc.Arbitrary<RequestCase>>()
  const forOp = (op: Operation, p: PrincipalName) => {
    const key = `${op.key}|${p}`
    let a = byOp.get(key)
    if (!a) {
      a = fc.tuple(validDraft(op, world), mutations(op, p)).map(([generated, mutation]) => {
        // a copy: fast-check may hand the same generated value out again while shrinking
        const draft: Draft = { ...generated, pathParams: { ...generated.pathParams }, query: [...generated.query], headers: { ...generated.headers }, body: structuredClone(generated.body), raw: [] }
        mutation.apply(draft)
        return { op, principal: p, mutation, draft }
      })
      byOp.set(key, a)
    }
    return a
  }
  return fc.tuple(fc.constantFrom(...ops), fc.constantFrom(...PRINCIPALS)).chain(([op, p]) => forOp(op, p))
}

/** The categories that can fit an operation (for the coverage check). */
export function categoriesFor(op: Operation): string[] {
  const slots = slotsOfOperation(op)
  return ['valid', ...Object.entries(CATEGORIES).filter(([, b]) => b(op, slots, true) !== null || b(op, slots, false) !== null).map(([n]) => n)]
}

/** The fetch arguments of a case, with the principal's credentials. */
export function toRequest(c: RequestCase, credentials: Record<string, string>): { url: string; init: RequestInit } {
  const d = c.draft
  const path =
    '/api' +
    c.op.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
      const raw = d.rawPath?.[name]
      if (raw !== undefined) return raw
      const v = d.pathParams[name] ?? ''
      // the tile row keeps its literal ".mvt" suffix
      return name === 'y' ? v.split('.').map(encodeURIComponent).join('.') : encodeURIComponent(v)
    })
  const query = d.query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
  if (d.rawQuery) query.push(d.rawQuery)
  const url = query.length ? `${path}?${query.join('&')}` : path
  const headers: Record<string, string> = { ...credentials, ...d.headers }
  // a mutation that removed a credential header (bad credentials) or the Origin (CSRF) wins
  if (c.mutation.category === 'bad credentials') delete headers.cookie
  if (c.mutation.category === 'CSRF' && !('origin' in d.headers)) delete headers.origin
  let body: string | Uint8Array | undefined
  if (c.op.method !== 'GET') {
    if (d.rawBody !== undefined) body = d.rawBody
    else if (d.body !== undefined) {
      let json = JSON.stringify(d.body)
      d.raw.forEach((raw, i) => (json = json.replace(JSON.stringify(RAW(i)), raw)))
      body = d.badUtf8 !== undefined ? withBadUtf8(json, d.badUtf8) : json
    }
    if (body !== undefined && !('content-type' in d.headers)) headers['content-type'] = 'application/json'
  }
  return { url, init: { method: c.op.method, headers, body: body as BodyInit | undefined } }
}

/** A short description of a case for failure messages and the reproduction hint. */
export function describeCase(c: RequestCase, url: string): string {
  return `${c.principal} ${c.op.method} ${url.length > 200 ? `${url.slice(0, 200)}…` : url} [${c.mutation.category}: ${c.mutation.detail.slice(0, 120)}]`
}
