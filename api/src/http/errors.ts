import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { InvalidArgumentError, NotFoundError } from '../db/errors.ts'
import { isStatementTimeout } from '../db/statement-timeout.ts'

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] }
}

/**
 * The one error code of each failure kind (README "API" → "Error codes"). 400 has one per place the
 * bad input was in; every other status has exactly one code: 413 is every size or work limit (body
 * bytes, demand items, candidates, sites, rows), 503 a time budget.
 */
export const ERROR_CODES = {
  400: ['invalid_query', 'invalid_body', 'invalid_params', 'invalid_headers'],
  401: ['unauthorized'],
  403: ['forbidden'],
  404: ['not_found'],
  409: ['conflict'],
  413: ['too_large'],
  // an import apply whose rows were refused (DESIGN §4): nothing written, the report with it
  422: ['rows_rejected'],
  429: ['rate_limited'],
  500: ['internal'],
  503: ['over_budget'],
} as const satisfies Record<number, readonly string[]>

export type ErrorCode = (typeof ERROR_CODES)[keyof typeof ERROR_CODES][number]

const CODE_BY_TARGET: Record<string, ErrorCode> = {
  query: 'invalid_query',
  param: 'invalid_params',
  json: 'invalid_body',
  form: 'invalid_body',
  header: 'invalid_headers',
  cookie: 'invalid_headers',
}

/** A 400 not tied to a validator target (malformed JSON, a domain rule): the body for methods that carry one, else the query. */
const invalidInputCode = (c: Context): ErrorCode => (['POST', 'PUT', 'PATCH'].includes(c.req.method) ? 'invalid_body' : 'invalid_query')

/** The code for a status that has one code (every status but 400). */
function codeForStatus(status: number, c: Context): ErrorCode {
  if (status === 400) return invalidInputCode(c)
  const codes = (ERROR_CODES as Record<number, readonly ErrorCode[]>)[status]
  return codes?.[0] ?? (status >= 500 ? 'internal' : invalidInputCode(c))
}

/** Throw this for an expected failure; `app.onError` renders it in the one error shape. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: ErrorBody['error']['issues'],
    /** sent with the error (e.g. Retry-After on a 503) */
    readonly headers?: Record<string, string>,
  ) {
    super(status, { message })
  }
}

export function errorBody(code: string, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: { code, message, ...(issues ? { issues } : {}) } }
}

/**
 * A JSON body that is not Unicode text (http/json-text.ts): bytes that are not UTF-8, or a string
 * with an unpaired surrogate escape (\ud800), which the parser would turn into U+FFFD or PostgreSQL
 * refuse with a 500. Checked here, after authorisation, like every other rule of the body.
 */
function jsonTextProblem(result: { target: string }, c: Context): ErrorBody['error']['issues'] | null {
  if (result.target !== 'json') return null
  const offset = c.get('bodyNotUtf8') as number | undefined
  if (offset !== undefined) return [{ path: [], message: `body: is not valid UTF-8 (byte ${offset} starts no UTF-8 character); send JSON as UTF-8` }]
  const at = c.get('bodyUnpairedSurrogate') as (string | number)[] | undefined
  return at ? [{ path: at, message: 'must be Unicode text: holds an unpaired UTF-16 surrogate (a \\ud800–\\udfff escape without its pair)' }] : null
}

/**
 * A query parameter whose percent-encoding does not spell UTF-8 (`q=%C3%28`): Hono keeps such a value
 * undecoded, so a free-text parameter would search for the literal "%C3%28". Named like any other rule.
 */
function queryTextProblem(result: { target: string }, c: Context): ErrorBody['error']['issues'] | null {
  if (result.target !== 'query') return null
  // runs on every validated query (the rider's nearest too): only a percent sign can fail to decode
  const url = c.req.url
  const at = url.indexOf('?')
  if (at < 0 || url.indexOf('%', at) < 0) return null
  const raw = url.slice(at + 1).split('#')[0]!
  const issues: { path: string[]; message: string }[] = []
  for (const pair of raw ? raw.split('&') : []) {
    const eq = pair.indexOf('=')
    const [name, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)]
    try {
      decodeURIComponent(value.replace(/\+/g, ' '))
    } catch {
      let key = name
      try {
        key = decodeURIComponent(name)
      } catch {
        // the name itself is no UTF-8: name it as sent
      }
      issues.push({ path: [cut(key, 40)], message: 'is not valid UTF-8 percent-encoding; encode the text as UTF-8 (e.g. encodeURIComponent)' })
    }
  }
  return issues.length ? issues.slice(0, 10) : null
}

/** Echoed input in a message is cut to this many characters (a 1 MB bad value must not come back as a 1 MB error). */
const MAX_ISSUE_MESSAGE = 200
const cut = (s: string, max = MAX_ISSUE_MESSAGE) => (s.length > max ? `${s.slice(0, max)}…` : s)

/** The zod-openapi `defaultHook`: a failed validation becomes a 400 that names each field and rule. */
export function validationHook(result: { success: boolean; target: string; error?: ZodError; data?: unknown }, c: Context) {
  const text = jsonTextProblem(result, c)
  if (text) {
    const message = text.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ')
    return c.json(errorBody('invalid_body', message, text), 400)
  }
  const query = queryTextProblem(result, c)
  if (query) return c.json(errorBody('invalid_query', query.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '), query), 400)
  if (result.success || !result.error) return
  const issues = result.error.issues.slice(0, 10).map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: cut(i.message) }))
  const message = cut(issues.map((i) => `${i.path.join('.') || result.target}: ${i.message}`).join('; '), 1000)
  return c.json(errorBody(CODE_BY_TARGET[result.target] ?? invalidInputCode(c), message, issues), 400)
}

/**
 * Renders every error: ApiError as thrown; db/'s domain errors (NotFoundError → 404, InvalidArgumentError
 * → 400 naming the field); Hono's own HTTPExceptions (body limit, malformed JSON) with the one code of
 * their status; unexpected ones are logged and hidden behind a 500 without a stack trace.
 */
export function onError(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.issues), err.status, err.headers)
  if (err instanceof NotFoundError) return c.json(errorBody('not_found', err.message), 404)
  if (err instanceof InvalidArgumentError) {
    return c.json(errorBody(invalidInputCode(c), err.message, [{ path: [err.field], message: err.rule }]), 400)
  }
  if (err instanceof HTTPException && err.status === 415) {
    // @hono/zod-openapi's media-type gate: a body that is not JSON. 415 has no code of its own (one
    // code per failure kind): it is a bad Content-Type header, named as such.
    const message = `must be application/json (got ${JSON.stringify((c.req.header('content-type') ?? '').slice(0, 100) || 'none')})`
    return c.json(errorBody('invalid_headers', `content-type: ${message}`, [{ path: ['content-type'], message }]), 400)
  }
  if (err instanceof HTTPException) {
    const status = err.status
    return c.json(errorBody(codeForStatus(status, c), err.message || 'request refused'), status)
  }
  if (isStatementTimeout(err)) {
    return c.json(errorBody('over_budget', 'the database query ran past STATEMENT_TIMEOUT_MS; try again later or ask for less (a county, a coarser resolution)'), 503, { 'Retry-After': '30' })
  }
  // the client left and its query was cancelled (db/cancellable.ts): nobody reads this answer
  if (c.req.raw.signal.aborted) return c.json(errorBody('internal', 'the client closed the connection'), 500)
  console.error(`${c.req.method} ${c.req.path} failed:`, err)
  return c.json(errorBody('internal', 'the server failed to answer this request; it has been logged'), 500)
}

export function notFound(c: Context) {
  return c.json(errorBody('not_found', `no such endpoint: ${c.req.method} ${c.req.path}`), 404)
}
