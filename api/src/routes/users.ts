import { createRoute, z } from '@hono/zod-openapi'
import { authorize, writeRoute } from '../auth/authorize.ts'
import { hashPassword } from '../auth/passwords.ts'
import { createUser, DuplicateEmailError, LastAdminError, listUsers, UnknownRegionsError, updateUser } from '../db/users.ts'
import { ApiError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { UserCreateBody, UserList, UserPatchBody, UserSchema } from '../schemas/auth.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'

const unknownRegions = (err: UnknownRegionsError) =>
  new ApiError(400, 'invalid_body', `regions: ${err.message}`, [{ path: ['regions'], message: err.message }])

const create = writeRoute(
  createRoute({
    method: 'post',
    path: '/users',
    summary: 'Admin: create an account (editor with region grants, or admin)',
    request: { body: { content: { 'application/json': { schema: UserCreateBody } }, required: true } },
    responses: {
      201: jsonContent(UserSchema, 'The account'),
      400: jsonContent(ErrorSchema, 'The body broke a rule (password at least 12 characters; regions must exist)'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Not an admin'),
      409: jsonContent(ErrorSchema, 'An account with this e-mail exists'),
    },
  }),
  { kind: 'admin' },
)

const list = createRoute({
  method: 'get',
  path: '/users',
  summary: 'Admin: every account with its role and grants',
  middleware: [authorize({ kind: 'admin' })] as const,
  responses: { 200: jsonContent(UserList, 'Accounts by e-mail'), 401: jsonContent(ErrorSchema, 'Not signed in'), 403: jsonContent(ErrorSchema, 'Not an admin') },
})

const patch = writeRoute(
  createRoute({
    method: 'patch',
    path: '/users/{id}',
    summary: 'Admin: change role, region grants, disabled, or set a new password (disabling or a new password ends its sessions)',
    request: { params: z.object({ id: uuidParam }), body: { content: { 'application/json': { schema: UserPatchBody } }, required: true } },
    responses: {
      200: jsonContent(UserSchema, 'The account'),
      400: jsonContent(ErrorSchema, 'The body broke a rule'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Not an admin'),
      404: jsonContent(ErrorSchema, 'No such account'),
      409: jsonContent(ErrorSchema, 'The change would leave no enabled admin'),
    },
  }),
  { kind: 'admin' },
)

export const userRoutes = router()
  .openapi(create, async (c) => {
    const b = c.req.valid('json')
    try {
      const user = await createUser(c.var.deps.sql, { email: b.email, passwordHash: await hashPassword(b.password), role: b.role, regions: b.regions })
      return c.json(user, 201)
    } catch (err) {
      if (err instanceof DuplicateEmailError) throw new ApiError(409, 'conflict', `email: ${err.message}`)
      if (err instanceof UnknownRegionsError) throw unknownRegions(err)
      throw err
    }
  })
  .openapi(list, async (c) => c.json({ users: await listUsers(c.var.deps.sql) }, 200))
  .openapi(patch, async (c) => {
    const { id } = c.req.valid('param')
    const b = c.req.valid('json')
    try {
      const user = await updateUser(c.var.deps.sql, id, {
        role: b.role,
        regions: b.regions,
        disabled: b.disabled,
        passwordHash: b.password ? await hashPassword(b.password) : undefined,
      })
      if (!user) throw new ApiError(404, 'not_found', `account ${id} does not exist`)
      return c.json(user, 200)
    } catch (err) {
      if (err instanceof LastAdminError) throw new ApiError(409, 'conflict', err.message)
      if (err instanceof UnknownRegionsError) throw unknownRegions(err)
      throw err
    }
  })
