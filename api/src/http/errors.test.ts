import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi'
import { HTTPException } from 'hono/http-exception'
import { describe, expect, it } from 'vitest'
import { InvalidArgumentError, NotFoundError } from '../db/errors.ts'
import { repoPath } from '../paths.ts'
import { ApiError, ERROR_CODES, notFound, onError, validationHook } from './errors.ts'

/** A tiny app whose routes throw each kind of failure, rendered by the real onError. */
function appThrowing() {
  const app = new OpenAPIHono({ defaultHook: validationHook })
  app.get('/missing', () => {
    throw new NotFoundError('layer', 'nope', 'layer: no demand layer "nope"')
  })
  app.get('/finer', () => {
    throw new InvalidArgumentError('resolution', 'must be ≤ 7', 'resolution: stored at 7')
  })
  app.post('/finer', () => {
    throw new InvalidArgumentError('resolution', 'must be ≤ 7', 'resolution: stored at 7')
  })
  for (const status of [401, 403, 404, 409, 413, 422, 429, 503] as const) {
    app.get(`/http/${status}`, () => {
      throw new HTTPException(status, { message: `refused with ${status}` })
    })
  }
  app.post('/http/400', () => {
    throw new HTTPException(400, { message: 'Malformed JSON in request body' })
  })
  app.get('/crash', () => {
    throw new Error('secret stack detail')
  })
  app.openapi(
    createRoute({ method: 'get', path: '/cookie', request: { cookies: z.object({ s: z.string().min(3, 'must be ≥ 3 characters') }) }, responses: { 200: { description: 'ok' } } }),
    (c) => c.text('ok'),
  )
  app.onError(onError)
  app.notFound(notFound)
  return app
}

describe('onError', () => {
  const app = appThrowing()
  const body = async (path: string, init?: RequestInit) => {
    const res = await app.request(path, init)
    return { status: res.status, error: ((await res.json()) as any).error }
  }

  it("maps db/'s NotFoundError to 404 not_found with its message", async () => {
    expect(await body('/missing')).toEqual({ status: 404, error: { code: 'not_found', message: 'layer: no demand layer "nope"' } })
  })

  it('maps InvalidArgumentError to 400 naming the field, invalid_query on a GET and invalid_body on a POST', async () => {
    const issues = [{ path: ['resolution'], message: 'must be ≤ 7' }]
    expect(await body('/finer')).toEqual({ status: 400, error: { code: 'invalid_query', message: 'resolution: stored at 7', issues } })
    expect(await body('/finer', { method: 'POST' })).toEqual({ status: 400, error: { code: 'invalid_body', message: 'resolution: stored at 7', issues } })
  })

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [404, 'not_found'],
    [409, 'conflict'],
    [413, 'too_large'],
    [422, 'rows_rejected'],
    [429, 'rate_limited'],
    [503, 'over_budget'],
  ])("gives Hono's own HTTPException %d the one code of its status, %s", async (status, code) => {
    expect(await body(`/http/${status}`)).toEqual({ status, error: { code, message: `refused with ${status}` } })
  })

  it('answers a malformed body with invalid_body, a bad cookie with invalid_headers', async () => {
    expect((await body('/http/400', { method: 'POST' })).error.code).toBe('invalid_body')
    const cookie = await body('/cookie', { headers: { cookie: 's=x' } })
    expect(cookie.status).toBe(400)
    expect(cookie.error.code).toBe('invalid_headers')
  })

  it('hides an unexpected error behind 500 internal without its message', async () => {
    const original = console.error
    console.error = () => {}
    try {
      const res = await body('/crash')
      expect(res.status).toBe(500)
      expect(res.error.code).toBe('internal')
      expect(JSON.stringify(res.error)).not.toContain('secret')
    } finally {
      console.error = original
    }
  })

  it('lists one code for every status but 400, whose four codes name where the input was', () => {
    for (const [status, codes] of Object.entries(ERROR_CODES)) expect([status, codes.length]).toEqual([status, status === '400' ? 4 : 1])
    expect(new Set(Object.values(ERROR_CODES).flat()).size).toBe(Object.values(ERROR_CODES).flat().length)
  })
})

/** Every .ts file under `dir`, tests excluded. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return path.endsWith('.ts') && !path.endsWith('.test.ts') ? [path] : []
  })
}

describe('the error codes the API source uses', () => {
  it('are exactly the listed code of their status wherever a status and code are written together', () => {
    const wrong: string[] = []
    let seen = 0
    for (const file of sources(repoPath('api/src'))) {
      const text = readFileSync(file, 'utf8')
      // new ApiError(413, 'too_large', …) and c.json(errorBody('rate_limited', …), 429, …)
      const pairs = [
        ...[...text.matchAll(/new ApiError\(\s*(\d{3}),\s*'([a-z_]+)'/g)].map((m) => [Number(m[1]), m[2]!] as const),
        ...[...text.matchAll(/errorBody\(\s*'([a-z_]+)'[^;]*?\),\s*(\d{3})\b/g)].map((m) => [Number(m[2]), m[1]!] as const),
      ]
      for (const [status, code] of pairs) {
        seen++
        const allowed = (ERROR_CODES as Record<number, readonly string[]>)[status] ?? []
        if (!allowed.includes(code)) wrong.push(`${file}: ${status} ${code}`)
      }
    }
    expect(seen).toBeGreaterThan(5)
    expect(wrong).toEqual([])
  })

  it('never throws an HTTP error from db/ (db/ throws domain errors that onError maps)', () => {
    const offenders = sources(repoPath('api/src/db')).filter((f) => /\bApiError\b|\bHTTPException\b|from ['"]hono/.test(readFileSync(f, 'utf8')))
    expect(offenders).toEqual([])
  })
})

describe('ApiError', () => {
  it('keeps its status, code and issues', () => {
    const e = new ApiError(413, 'too_large', 'count: 1000 exceeds maxSites (100)', [{ path: ['count'], message: 'at most 100' }])
    expect([e.status, e.code, e.message, e.issues]).toEqual([413, 'too_large', 'count: 1000 exceeds maxSites (100)', [{ path: ['count'], message: 'at most 100' }]])
  })
})

describe('a body that is not JSON (found by hostile-input.test.ts)', () => {
  it('answers 400 invalid_headers naming content-type, not a 415 without a code of its own', async () => {
    const app = new OpenAPIHono({ defaultHook: validationHook })
    app.openapi(
      createRoute({
        method: 'post',
        path: '/json',
        request: { body: { content: { 'application/json': { schema: z.object({ a: z.string() }) } }, required: true } },
        responses: { 200: { description: 'ok' } },
      }),
      (c) => c.text('ok'),
    )
    app.onError(onError)
    for (const type of ['text/plain', 'application/xml', 'multipart/form-data; boundary=x']) {
      const res = await app.request('/json', { method: 'POST', headers: { 'content-type': type }, body: '{"a":"x"}' })
      expect(res.status, type).toBe(400)
      const body = (await res.json()) as any
      expect(body.error.code).toBe('invalid_headers')
      expect(body.error.issues[0].path).toEqual(['content-type'])
      expect(body.error.message).toMatch(/^content-type: must be application\/json/)
    }
  })
})
