import { z } from '@hono/zod-openapi'
import { MAX_PASSWORD_LENGTH, MIN_PASSWORD_LENGTH } from '../auth/passwords.ts'
import { regionCode, text } from './common.ts'

export const email = z
  .email({ message: 'must be an e-mail address' })
  .max(254, 'must be at most 254 characters')
  .transform((s) => s.toLowerCase())
  .openapi({ type: 'string', example: 'editor@example.org' })

/** A new password: the length rule is said in the message (never a default, never short). */
export const newPassword = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`)

const givenPassword = z.string().min(1, 'must not be empty').max(MAX_PASSWORD_LENGTH, `must be at most ${MAX_PASSWORD_LENGTH} characters`)

export const LoginBody = z.object({ email, password: givenPassword }).strict().openapi('LoginRequest')

export const PasswordChangeBody = z
  .object({ current_password: givenPassword, new_password: newPassword })
  .strict()
  .openapi('PasswordChange')

export const ROLES = ['admin', 'editor'] as const
const role = z.enum(ROLES, { message: 'must be admin or editor' })
const regions = z.array(regionCode).max(200, 'at most 200 regions').openapi({ description: 'Granted counties or cities (a city covers its counties)' })

export const UserSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role,
    regions: z.array(z.string()),
    disabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('User')

export const MeResponse = z
  .object({
    user: UserSchema.nullable().openapi({ description: 'null when not signed in' }),
    via: z.enum(['session', 'token']).nullable(),
  })
  .openapi('Me')

export const UserCreateBody = z
  .object({ email, password: newPassword, role, regions: regions.default([]) })
  .strict()
  .openapi('UserCreate')

export const UserPatchBody = z
  .object({ role: role.optional(), regions: regions.optional(), disabled: z.boolean().optional(), password: newPassword.optional() })
  .strict()
  .refine((b) => Object.keys(b).length > 0, { message: 'give at least one of role, regions, disabled, password' })
  .openapi('UserPatch')

export const UserList = z.object({ users: z.array(UserSchema) }).openapi('UserList')

export const TokenCreateBody = z
  .object({ name: text(100).pipe(z.string().trim().min(1, 'must not be empty')) })
  .strict()
  .openapi('TokenCreate')

export const TokenInfoSchema = z
  .object({ id: z.uuid(), name: z.string(), created_at: z.string(), last_used_at: z.string().nullable() })
  .openapi('TokenInfo')

export const TokenCreated = TokenInfoSchema.extend({
  token: z.string().openapi({ description: 'Shown only now: send it as Authorization: Bearer <token>' }),
}).openapi('TokenCreated')

export const TokenList = z.object({ tokens: z.array(TokenInfoSchema) }).openapi('TokenList')
