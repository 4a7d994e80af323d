/**
 * What every answer to a generated request must be, whatever was sent: the rules of issue 11's
 * "Tests that try to break it" and of api/src/http/errors.ts, as a list of broken rules.
 */
import { ERROR_CODES } from '../../src/http/errors.ts'
import { mayBeAllowed, type RequestCase, type Scopes } from './request-cases.ts'

/** Text that only an internal failure puts in an answer: stack frames, file paths, PostgreSQL's own errors. */
const INTERNALS: [RegExp, string][] = [
  [/\n\s+at \S/, 'a stack trace'],
  [/\bat (?:async )?\S+ \((?:file:|\/|node:)/, 'a stack frame'],
  [/(?:\/work\/|\/home\/|\/tmp\/|node_modules|file:\/\/|[A-Za-z]:\\\\)/, 'a file path'],
  [/\.(?:ts|js|mjs):\d+/, 'a source location'],
  [/PostgresError|syntax error at or near|violates (?:foreign key|unique|check|not-null) constraint|duplicate key value|invalid input syntax for|relation "[^"]+" does not exist|column "[^"]+" (?:does not exist|of relation)|invalid byte sequence for encoding|current transaction is aborted|unterminated quoted string/, 'SQL error text'],
  [/RangeError|TypeError|ReferenceError|SyntaxError: Unexpected|Maximum call stack/, 'a JavaScript error'],
]

/** Fields whose value the API may legitimately store differently from what was sent. */
// e-mail is stored lower-case, `at` as an ISO time, region_code as the county the point lies in (a city code "agrees")
const NOT_ECHOED = new Set(['email', 'password', 'current_password', 'new_password', 'cursor', 'at', 'region_code'])

export interface Answer {
  status: number
  contentType: string
  text: string
}

/** The rules this answer breaks (empty: it is fine). */
export function problemsOf(c: RequestCase, a: Answer, scopes: Scopes, sent: unknown): string[] {
  const out: string[] = []
  const { status } = a
  const m = c.mutation
  if (status >= 500) out.push(`answered ${status}`)
  else if (status < 200 || (status >= 300 && status < 400)) out.push(`answered ${status}, neither 2xx nor 4xx`)
  const ok = status >= 200 && status < 300
  if (typeof m.expect === 'number' && status !== m.expect) out.push(`must answer ${m.expect}, answered ${status}`)
  if (m.expect === 'reject' && ok) out.push(`accepted (${status}) a request that must be refused`)
  const allowed = mayBeAllowed(c.op, c.principal, scopes)
  if (!allowed && ok) out.push(`${c.principal} got ${status} from a write it has no right to`)
  if (c.op.secured && c.principal === 'anonymous' && ![401, 404, 413].includes(status) && typeof m.expect !== 'number') out.push(`anonymous write answered ${status}, not 401`)
  for (const [re, what] of INTERNALS) if (re.test(a.text.slice(0, 200_000))) out.push(`the answer shows ${what}: ${JSON.stringify(a.text.match(re)?.[0])}`)
  if (status >= 400) out.push(...errorShapeProblems(c, a))
  if (ok && c.op.method !== 'GET' && a.contentType.includes('json') && sent && typeof sent === 'object') out.push(...echoProblems(sent as Record<string, unknown>, a.text))
  return out
}

function errorShapeProblems(c: RequestCase, a: Answer): string[] {
  const out: string[] = []
  if (!a.contentType.startsWith('application/json')) return [`error answered as ${a.contentType || 'no content type'}, not JSON`]
  if (a.text.length > 4096) out.push(`error body is ${a.text.length} characters (echoes the input back?)`)
  let body: any
  try {
    body = JSON.parse(a.text)
  } catch {
    return [...out, 'error body is not JSON']
  }
  const e = body?.error
  const codes = (ERROR_CODES as Record<number, readonly string[]>)[a.status]
  if (!e || typeof e.message !== 'string' || !e.message) out.push('error body lacks error.message')
  if (!codes?.includes(e?.code)) out.push(`error.code ${JSON.stringify(e?.code)} is not one of ERROR_CODES[${a.status}]`)
  if (e?.issues !== undefined && !(Array.isArray(e.issues) && e.issues.every((i: any) => Array.isArray(i.path) && typeof i.message === 'string'))) out.push('error.issues is malformed')
  const field = c.mutation.field
  // only a request whose one bad value is this field must be refused for it (others may fail on another rule)
  if (a.status === 400 && field && c.mutation.expect === 'reject') {
    const named = e?.message?.includes(field) || e?.issues?.some((i: any) => i.path.includes(field))
    if (!named) out.push(`400 does not name the field ${JSON.stringify(field)}: ${JSON.stringify(e?.message)}`)
  }
  if (a.status === 413 && !/limit/.test(e?.message ?? '')) out.push('413 does not name the limit')
  return out
}

/** A stored free-text field must come back exactly as sent (an SQL or script payload is data, not code). */
function echoProblems(sent: Record<string, unknown>, text: string): string[] {
  let body: any
  try {
    body = JSON.parse(text)
  } catch {
    return ['2xx body is not JSON']
  }
  const stored = body?.properties ?? body
  const out: string[] = []
  for (const [k, v] of Object.entries(sent)) {
    if (typeof v !== 'string' || NOT_ECHOED.has(k) || !stored || typeof stored[k] !== 'string') continue
    if (stored[k] !== v && stored[k] !== v.trim()) out.push(`stored ${k} as ${JSON.stringify(stored[k]).slice(0, 80)}, sent ${JSON.stringify(v).slice(0, 80)}`)
  }
  return out
}
