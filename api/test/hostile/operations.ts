/**
 * The operations the hostile-input test drives, read from the API's own OpenAPI document
 * (GET /api/openapi.json, generated from the zod routes): a new route is covered without a line here.
 */

/** The subset of JSON Schema the zod-openapi generator emits for this API. */
export interface JsonSchema {
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  format?: string
  pattern?: string
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  exclusiveMaximum?: number
  minItems?: number
  maxItems?: number
  items?: JsonSchema
  prefixItems?: JsonSchema[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  additionalProperties?: boolean | JsonSchema
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  default?: unknown
  $ref?: string
}

export interface Param {
  in: 'path' | 'query' | 'header'
  name: string
  required: boolean
  schema: JsonSchema
}

export interface Operation {
  /** e.g. `PATCH /stations/{id}` (paths as in the document, under /api) */
  key: string
  method: string
  path: string
  params: Param[]
  /** the JSON body's schema, refs resolved; undefined when the operation takes no body */
  body?: JsonSchema
  /** the document lists a security requirement: a write that needs an account */
  secured: boolean
}

/** Inlines every `$ref` and merges `allOf` objects, so generators see plain schemas. */
export function resolveSchema(schema: JsonSchema, components: Record<string, JsonSchema>, depth = 0): JsonSchema {
  if (depth > 20) throw new Error('schema nests deeper than 20 levels (a recursive $ref?)')
  const rec = (s: JsonSchema) => resolveSchema(s, components, depth + 1)
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '')
    const target = components[name]
    if (!target) throw new Error(`unknown $ref ${schema.$ref}`)
    const { $ref: _, ...rest } = schema
    return rec({ ...target, ...rest })
  }
  const out: JsonSchema = { ...schema }
  if (out.allOf) {
    const parts = out.allOf.map(rec)
    delete out.allOf
    for (const p of parts) {
      out.properties = { ...out.properties, ...p.properties }
      out.required = [...new Set([...(out.required ?? []), ...(p.required ?? [])])]
      for (const [k, v] of Object.entries(p)) if (!['properties', 'required'].includes(k) && !(k in out)) (out as Record<string, unknown>)[k] = v
    }
    if (!out.required?.length) delete out.required
  }
  if (out.properties) out.properties = Object.fromEntries(Object.entries(out.properties).map(([k, v]) => [k, rec(v)]))
  if (out.items) out.items = rec(out.items)
  if (out.prefixItems) out.prefixItems = out.prefixItems.map(rec)
  if (out.anyOf) out.anyOf = out.anyOf.map(rec)
  if (out.oneOf) out.oneOf = out.oneOf.map(rec)
  return out
}

interface OpenApiDocument {
  paths: Record<string, Record<string, { parameters?: Param[]; requestBody?: { content: Record<string, { schema: JsonSchema }> }; security?: unknown[] }>>
  components?: { schemas?: Record<string, JsonSchema> }
}

/** Every operation of the document, in its order. */
export function operationsOf(doc: OpenApiDocument): Operation[] {
  const components = doc.components?.schemas ?? {}
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => {
      const json = op.requestBody?.content['application/json']?.schema
      return {
        key: `${method.toUpperCase()} ${path}`,
        method: method.toUpperCase(),
        path,
        params: (op.parameters ?? []).map((p) => ({ in: p.in, name: p.name, required: !!p.required, schema: resolveSchema(p.schema ?? {}, components) })),
        body: json ? resolveSchema(json, components) : undefined,
        secured: (op.security ?? []).length > 0,
      }
    }),
  )
}
