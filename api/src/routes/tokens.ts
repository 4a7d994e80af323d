import { createRoute, z } from '@hono/zod-openapi'
import { authorize, writeRoute } from '../auth/authorize.ts'
import { newApiToken, sha256 } from '../auth/secrets.ts'
import { createToken, listTokens, revokeToken } from '../db/tokens.ts'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { TokenCreateBody, TokenCreated, TokenList } from '../schemas/auth.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'

const create = writeRoute(
  createRoute({
    method: 'post',
    path: '/tokens',
    summary: 'Make an API token for scripts (shown once; it may do what your account may)',
    request: { body: { content: { 'application/json': { schema: TokenCreateBody } }, required: true } },
    responses: {
      201: jsonContent(TokenCreated, 'The token, shown only in this answer'),
      400: jsonContent(ErrorSchema, 'The body broke a rule'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
    },
  }),
  { kind: 'account' },
)

const list = createRoute({
  method: 'get',
  path: '/tokens',
  summary: 'Your API tokens (names and dates, never the tokens)',
  middleware: [authorize({ kind: 'account' })] as const,
  responses: { 200: jsonContent(TokenList, 'Live tokens, newest first'), 401: jsonContent(ErrorSchema, 'Not signed in') },
})

const revoke = writeRoute(
  createRoute({
    method: 'delete',
    path: '/tokens/{id}',
    summary: 'Revoke one of your API tokens',
    request: { params: z.object({ id: uuidParam }) },
    responses: {
      204: { description: 'Revoked' },
      400: jsonContent(ErrorSchema, 'The id is not a UUID'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      404: jsonContent(ErrorSchema, 'You have no live token with this id'),
    },
  }),
  { kind: 'account' },
)

export const tokenRoutes = router()
  .openapi(create, async (c) => {
    const { name } = c.req.valid('json')
    const token = newApiToken()
    const info = await createToken(c.var.deps.sql, c.var.principal!.userId, name, sha256(token))
    return c.json({ ...info, token }, 201)
  })
  .openapi(list, async (c) => c.json({ tokens: await listTokens(c.var.deps.sql, c.var.principal!.userId) }, 200))
  .openapi(revoke, async (c) => {
    const { id } = c.req.valid('param')
    if (!(await revokeToken(c.var.deps.sql, c.var.principal!.userId, id))) throw new ApiError(404, 'not_found', `you have no live token ${id}`)
    return c.body(null, 204)
  })
