import type { Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { ZodError } from 'zod'
import { isStatementTimeout } from '../db/statement-timeout.ts'

export interface ErrorBody {
  error: { code: string; message: string; issues?: { path: (string | number)[]; message: string }[] }
}

const CODE_BY_TARGET: Record<string, string> = {
  query: 'invalid_query',
  param: 'invalid_params',
  json: 'invalid_body',
  form: 'invalid_body',
  header: 'invalid_headers',
}

/** Throw this for an expected failure; `app.onError` renders it in the one error shape. */
export class ApiError extends HTTPException {
  constructor(
    status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: ErrorBody['error']['issues'],
  ) {
    super(status, { message })
  }
}

export function errorBody(code: string, message: string, issues?: ErrorBody['error']['issues']): ErrorBody {
  return { error: { code, message, ...(issues ? { issues } : {}) } }
}

/** The zod-openapi `defaultHook`: a failed validation becomes a 400 that names each field and rule. */
export function validationHook(result: { success: boolean; target: string; error?: ZodError }, c: Context) {
  if (result.success || !result.error) return
  const issues = result.error.issues.map((i) => ({ path: i.path.map((p) => (typeof p === 'symbol' ? String(p) : p)), message: i.message }))
  const message = issues.map((i) => `${i.path.join('.') || result.target}: ${i.message}`).join('; ')
  return c.json(errorBody(CODE_BY_TARGET[result.target] ?? 'invalid_request', message, issues), 400)
}

/** Renders every error; unexpected ones are logged and hidden behind a 500 without a stack trace. */
export function onError(err: Error, c: Context) {
  if (err instanceof ApiError) return c.json(errorBody(err.code, err.message, err.issues), err.status)
  if (err instanceof HTTPException) {
    const status = err.status
    const code = status === 413 ? 'payload_too_large' : status === 404 ? 'not_found' : status === 401 ? 'unauthorized' : 'bad_request'
    return c.json(errorBody(code, err.message || 'request refused'), status)
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
