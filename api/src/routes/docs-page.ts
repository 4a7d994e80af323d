import { html, raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/** The parts of a JSON Schema (OpenAPI 3.1) the page reads. */
export interface JsonSchema {
  $ref?: string
  type?: string | string[]
  format?: string
  enum?: unknown[]
  const?: unknown
  default?: unknown
  example?: unknown
  examples?: unknown[]
  minimum?: number
  maximum?: number
  exclusiveMinimum?: number
  minItems?: number
  pattern?: string
  description?: string
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  prefixItems?: JsonSchema[]
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  additionalProperties?: boolean | JsonSchema
  nullable?: boolean
}

interface Parameter {
  name: string
  in: string
  required?: boolean
  description?: string
  schema?: JsonSchema
}

interface Operation {
  summary?: string
  description?: string
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
  responses?: Record<string, { description?: string; content?: Record<string, { schema?: JsonSchema }> }>
}

export interface OpenApiDoc {
  info: { title: string; version: string; description?: string }
  paths: Record<string, Record<string, Operation>>
  components?: { schemas?: Record<string, JsonSchema> }
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;')

/**
 * The Markdown the descriptions use, as HTML: `code`, **bold**, [links](url) and blank-line paragraphs;
 * everything else is escaped text.
 */
export function inlineMarkdown(text: string): HtmlEscapedString {
  const parts = text.split('`')
  // odd segments were between backticks; an unpaired last backtick stays literal
  const out = parts.map((part, i) => {
    if (i % 2 === 1 && i < parts.length - 1) return `<code>${escapeHtml(part)}</code>`
    const t = escapeHtml(i % 2 === 1 ? `\`${part}` : part)
    return t
      .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
      .replace(/\[([^\]]+)\]\(((?:https?:\/\/|\/)[^)\s]+)\)/g, '<a href="$2">$1</a>')
      .replace(/\n{2,}/g, '</p><p>')
  })
  return raw(out.join('')) as HtmlEscapedString
}

/** A parameter's rule in a few words: `number, -180 … 180`, `integer, default 1000`, `string (uuid)`. */
function rule(s: JsonSchema = {}): string {
  const type = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null').join(' | ') : (s.type ?? '')
  const parts = [type + (s.format ? ` (${s.format})` : '')]
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? '…'} … ${s.maximum ?? '…'}`)
  if (s.enum) parts.push(`one of ${s.enum.join(', ')}`)
  if (s.pattern) parts.push(`/${s.pattern}/`)
  if (s.default !== undefined) parts.push(`default ${String(s.default)}`)
  return parts.filter(Boolean).join(', ')
}

const FORMAT_EXAMPLES: Record<string, string> = {
  uuid: '3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b',
  'date-time': '2026-06-01T08:30:00.000Z',
  date: '2026-06-01',
  email: 'editor@example.org',
  uri: 'https://example.org/',
}

/**
 * An example value for a schema, built from the schema itself: its `example`/`examples`, `default`,
 * `const` or first `enum` value where given, else the smallest value its type and bounds allow;
 * objects list their properties (required first), arrays hold one item. `$ref`s are resolved in
 * `components.schemas`; recursion stops after a few levels.
 */
export function exampleOf(schema: JsonSchema | undefined, doc: OpenApiDoc, depth = 0): unknown {
  if (!schema || depth > 8) return null
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '')
    return exampleOf(doc.components?.schemas?.[name], doc, depth + 1)
  }
  if (schema.example !== undefined) return schema.example
  if (schema.examples?.length) return schema.examples[0]
  if (schema.const !== undefined) return schema.const
  if (schema.default !== undefined) return schema.default
  if (schema.enum?.length) return schema.enum[0]
  const alt = schema.oneOf ?? schema.anyOf
  if (alt?.length) return exampleOf(alt.find((a) => a.type !== 'null') ?? alt[0], doc, depth + 1)
  if (schema.allOf?.length) {
    return Object.assign({}, ...schema.allOf.map((s) => exampleOf(s, doc, depth + 1) as object))
  }
  const type = Array.isArray(schema.type) ? schema.type.find((t) => t !== 'null') : schema.type
  switch (type) {
    case 'string':
      return FORMAT_EXAMPLES[schema.format ?? ''] ?? 'string'
    case 'integer':
    case 'number':
      return schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : 0)
    case 'boolean':
      return true
    case 'null':
      return null
    case 'array':
      if (schema.prefixItems) return schema.prefixItems.map((s) => exampleOf(s, doc, depth + 1))
      return [exampleOf(schema.items, doc, depth + 1)]
    default: {
      if (!schema.properties) return type === 'object' ? {} : null
      const required = new Set(schema.required ?? [])
      const keys = Object.keys(schema.properties).sort((a, b) => Number(required.has(b)) - Number(required.has(a)))
      return Object.fromEntries(keys.map((k) => [k, exampleOf(schema.properties![k], doc, depth + 1)]))
    }
  }
}

/** A query or path value as a reader writes it: `:` and `,` left readable, everything else URL-encoded. */
const encodeValue = (v: unknown) => encodeURIComponent(String(v)).replace(/%3A/gi, ':').replace(/%2C/gi, ',')

/** The example request line: the path with its path parameters filled and the query's required (or exemplified) parameters. */
export function exampleRequest(method: string, path: string, op: Operation, doc: OpenApiDoc): string {
  let url = `/api${path}`
  const query: string[] = []
  for (const p of op.parameters ?? []) {
    const value = exampleOf(p.schema, doc)
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeValue(value))
    else if (p.in === 'query' && (p.required || p.schema?.example !== undefined)) query.push(`${p.name}=${encodeValue(value)}`)
  }
  return `${method} ${url}${query.length ? `?${query.join('&')}` : ''}`
}

/** The first success response with a JSON (or GeoJSON) schema: status and example body. */
function exampleResponse(op: Operation, doc: OpenApiDoc): { status: string; body: unknown } | null {
  for (const [status, r] of Object.entries(op.responses ?? {})) {
    if (!status.startsWith('2')) continue
    const content = r.content?.['application/json'] ?? r.content?.['application/geo+json']
    if (!content?.schema) return { status, body: undefined }
    return { status, body: exampleOf(content.schema, doc) }
  }
  return null
}

const json = (v: unknown) => JSON.stringify(v, null, 2)

/**
 * A self-contained, offline HTML page describing the API, rendered from the OpenAPI document
 * (no CDN-hosted Swagger/Scalar bundles: the product must work without internet). Descriptions are
 * rendered as Markdown; every endpoint gets an example request and response generated from its schemas.
 */
export function renderDocsPage(doc: OpenApiDoc) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  )
  return html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — API</title>
<link rel="icon" href="/favicon.ico" type="image/svg+xml">
<style>
  body { font: 15px/1.5 system-ui, "Noto Sans SC", sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
  main { max-width: 1040px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 24px; margin: 0 0 4px; } h2 { font-size: 15px; margin: 0; font-weight: 600; } .muted { color: #5b6675; }
  nav { columns: 2; font-size: 14px; } nav a { text-decoration: none; }
  section { background: #fff; border: 1px solid #dde2e8; border-radius: 8px; padding: 14px 18px; margin: 14px 0; }
  code, pre { font: 13px/1.45 ui-monospace, "SFMono-Regular", Menlo, monospace; }
  p code, td code, li code { background: #eef1f5; border-radius: 3px; padding: 0 4px; }
  .m { display: inline-block; min-width: 56px; text-align: center; font-weight: 700; color: #fff; background: #2b6cb0; border-radius: 4px; padding: 1px 6px; margin-right: 8px; }
  .m.POST { background: #2f855a; } .m.DELETE { background: #c53030; } .m.PUT, .m.PATCH { background: #b7791f; }
  table { border-collapse: collapse; width: 100%; margin-top: 10px; table-layout: fixed; }
  th { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6675; font-weight: 600; }
  td, th { text-align: left; padding: 5px 8px; border-top: 1px solid #edf0f3; vertical-align: top; font-size: 14px; overflow-wrap: anywhere; }
  /* every table starts with the same first column, so parameters and responses line up */
  col.name, col.status { width: 19%; } col.in { width: 8%; } col.rule { width: 27%; }
  details { margin-top: 10px; } summary { cursor: pointer; color: #2b6cb0; font-size: 14px; }
  pre { background: #f3f5f8; border: 1px solid #e3e7ec; border-radius: 6px; padding: 10px 12px; overflow-x: auto; max-height: 420px; margin: 6px 0 0; }
  .label { font-size: 12px; text-transform: uppercase; letter-spacing: .04em; color: #5b6675; margin-top: 10px; }
</style></head><body><main>
<h1>${doc.info.title} <span class="muted">v${doc.info.version}</span></h1>
<p class="muted">${inlineMarkdown(doc.info.description ?? '')} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).
Examples below are generated from the schemas (their declared examples, defaults and bounds), not recorded answers.</p>
<nav>${ops.map(({ path, method }) => html`<div><a href="#${method}-${path}"><code>${method} /api${path}</code></a></div>`)}</nav>
${ops.map(({ path, method, op }) => {
  const body = op.requestBody?.content?.['application/json']?.schema
  const response = exampleResponse(op, doc)
  return html`<section id="${method}-${path}">
  <h2><span class="m ${method}">${method}</span><code>/api${path}</code></h2>
  <p>${inlineMarkdown(op.summary ?? '')}</p>
  ${op.description ? html`<p class="muted">${inlineMarkdown(op.description)}</p>` : ''}
  ${op.parameters?.length
    ? html`<table><colgroup><col class="name"><col class="in"><col class="rule"><col></colgroup>
      <tr><th>parameter</th><th>in</th><th>rule</th><th>description</th></tr>
      ${op.parameters.map(
        (p) => html`<tr><td><code>${p.name}</code>${p.required ? raw(' <b title="required">*</b>') : ''}</td><td>${p.in}</td>
          <td>${rule(p.schema) ? html`<code>${rule(p.schema)}</code>` : ''}</td>
          <td>${inlineMarkdown(p.description ?? p.schema?.description ?? '')}</td></tr>`,
      )}</table>`
    : ''}
  <table><colgroup><col class="status"><col></colgroup>
    <tr><th>status</th><th>response</th></tr>
    ${Object.entries(op.responses ?? {}).map(([status, r]) => html`<tr><td><code>${status}</code></td><td>${inlineMarkdown(r.description ?? '')}</td></tr>`)}
  </table>
  <details><summary>Example</summary>
    <div class="label">request</div>
    <pre>${exampleRequest(method, path, op, doc)}${body ? `\nContent-Type: application/json\n\n${json(exampleOf(body, doc))}` : ''}</pre>
    ${response ? html`<div class="label">response ${response.status}</div><pre>${response.body === undefined ? '(no body)' : json(response.body)}</pre>` : ''}
  </details>
</section>`
})}
<p class="muted">Errors always look like <code>{"error":{"code":"invalid_query","message":"…","issues":[{"path":["bbox"],"message":"…"}]}}</code>;
the codes, one per kind of failure: 400 <code>invalid_query</code> / <code>invalid_body</code> / <code>invalid_params</code> / <code>invalid_headers</code>,
401 <code>unauthorized</code>, 403 <code>forbidden</code>, 404 <code>not_found</code>, 409 <code>conflict</code>, 413 <code>too_large</code>,
422 <code>rows_rejected</code> (an import apply refused: its report with it), 429 <code>rate_limited</code>, 503 <code>over_budget</code>, 500 <code>internal</code>.</p>
</main></body></html>`
}
