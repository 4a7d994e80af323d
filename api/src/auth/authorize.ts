import type { Context, MiddlewareHandler } from 'hono'
import type { AppEnv } from '../http/env.ts'
import { ApiError } from '../http/errors.ts'
import { mayWriteIn } from './principal.ts'

/**
 * What a write needs, beyond being signed in:
 * - `region`: an editor whose grants cover every region the write touches (an admin always);
 *   `regions(c)` names them — for an existing target, where it is; for a new or moved station,
 *   where it will be too. It returns null when it cannot tell (malformed body, unknown id): the
 *   route's own validation then answers 400 or 404 and nothing is written.
 * - `admin`: an admin.
 * - `account`: any signed-in account, acting on its own account (tokens, password, sign-out).
 */
export type WriteScope =
  | { kind: 'region'; regions: (c: Context<AppEnv>) => Promise<(string | null)[] | null> }
  | { kind: 'admin' }
  | { kind: 'account' }

export interface WriteRouteEntry {
  method: string
  /** OpenAPI path, e.g. /stations/{id} (under /api) */
  path: string
  scope: WriteScope['kind']
}

/**
 * Every authorised write route, registered by `writeRoute` when its module loads: the
 * authorisation-matrix test is generated from this table and checks it against the OpenAPI
 * document, so a new write route that skips `writeRoute` fails the test.
 */
export const WRITE_ROUTES: WriteRouteEntry[] = []

/**
 * State-changing routes that anyone may call, each with the reason. Anything else that is not a
 * GET must be a `writeRoute`.
 */
export const PUBLIC_WRITES: Record<string, string> = {
  'POST /auth/login': 'signing in is how one becomes authorised (rate-limited per account and client)',
  'POST /stations/{id}/reports': 'riders report problems without an account (rate-limited per client)',
  'POST /siting': 'computes suggestions and stores nothing',
  'POST /export/scenario': 'builds a download of the plan in the body and stores nothing',
}

/** How the OpenAPI document says a write authenticates (the schemes are registered in app.ts). */
export const WRITE_SECURITY = [{ session: [] }, { bearer: [] }]

/** The one authorisation middleware (DESIGN §7.13): 401 anonymous, 403 wrong role or region. */
export function authorize(scope: WriteScope): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = c.var.principal
    if (!p) throw new ApiError(401, 'unauthorized', 'sign in first (POST /api/auth/login) or send Authorization: Bearer <token>')
    if (scope.kind === 'admin' && p.role !== 'admin') throw new ApiError(403, 'forbidden', 'only an admin may do this')
    if (scope.kind === 'region' && p.role !== 'admin') {
      const codes = await scope.regions(c)
      if (codes && !mayWriteIn(p, codes)) {
        const where = [...new Set(codes.map((x) => x ?? 'outside every region'))].join(', ')
        throw new ApiError(403, 'forbidden', `your account may not write in region ${where}: ask an admin for a grant`)
      }
    }
    await next()
  }
}

/**
 * A createRoute config for a write: adds the authorisation middleware (which runs before the
 * request is validated, so an anonymous caller hears 401 whatever it sent) and registers the route.
 */
export function writeRoute<R extends { method: string; path: string }>(route: R, scope: WriteScope): R & { middleware: MiddlewareHandler<AppEnv>[] } {
  WRITE_ROUTES.push({ method: route.method.toUpperCase(), path: route.path, scope: scope.kind })
  return { ...route, security: WRITE_SECURITY, middleware: [authorize(scope)] }
}

/** The JSON body parsed by a route's own schema, for a scope that must look inside it; null if invalid. */
export async function bodyAs<T>(c: Context, schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }): Promise<T | null> {
  let raw: unknown
  try {
    raw = await c.req.json()
  } catch {
    return null
  }
  const r = schema.safeParse(raw)
  return r.success ? r.data : null
}
