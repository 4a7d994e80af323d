import { OpenAPIHono } from '@hono/zod-openapi'
import type { AppEnv } from './env.ts'
import { validationHook } from './errors.ts'

/** A route group: every request it validates fails in the one error shape. */
export function router() {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook })
}

export const jsonContent = <T>(schema: T, description: string) => ({
  content: { 'application/json': { schema } },
  description,
})
