import { html, raw } from 'hono/html'

interface ParamSchema {
  type?: string | string[]
  format?: string
  enum?: unknown[]
  default?: unknown
  minimum?: number
  maximum?: number
  pattern?: string
}

/** A parameter's rule in a few words: `number, -180 … 180`, `integer = 1000`, `string (uuid)`. */
function rule(s: ParamSchema = {}): string {
  const type = Array.isArray(s.type) ? s.type.filter((t) => t !== 'null').join(' | ') : (s.type ?? '')
  const parts = [type + (s.format ? ` (${s.format})` : '')]
  if (s.minimum !== undefined || s.maximum !== undefined) parts.push(`${s.minimum ?? '…'} … ${s.maximum ?? '…'}`)
  if (s.enum) parts.push(`∈ {${s.enum.join(', ')}}`)
  if (s.pattern) parts.push(`/${s.pattern}/`)
  if (s.default !== undefined) parts.push(`default ${String(s.default)}`)
  return parts.filter(Boolean).join(', ')
}

interface OpenApiDoc {
  info: { title: string; version: string; description?: string }
  paths: Record<string, Record<string, { summary?: string; parameters?: { name: string; in: string; required?: boolean; description?: string; schema?: ParamSchema }[]; responses?: Record<string, { description?: string }> }>>
}

/**
 * A self-contained, offline HTML page describing the API, rendered from the OpenAPI document
 * (no CDN-hosted Swagger/Scalar bundles: the product must work without internet).
 */
export function renderDocsPage(doc: OpenApiDoc) {
  const ops = Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op })),
  )
  return html`<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${doc.info.title} — API</title>
<style>
  body { font: 15px/1.5 system-ui, "Noto Sans SC", sans-serif; margin: 0; color: #1d2733; background: #f6f7f9; }
  main { max-width: 960px; margin: 0 auto; padding: 24px; }
  h1 { font-size: 24px; margin: 0 0 4px; } .muted { color: #5b6675; }
  section { background: #fff; border: 1px solid #dde2e8; border-radius: 8px; padding: 14px 18px; margin: 14px 0; }
  code { font: 13px ui-monospace, monospace; } .m { font-weight: 700; color: #fff; background: #2b6cb0; border-radius: 4px; padding: 1px 6px; margin-right: 8px; }
  .m.POST { background: #2f855a; } .m.DELETE { background: #c53030; } .m.PUT, .m.PATCH { background: #b7791f; }
  table { border-collapse: collapse; width: 100%; margin-top: 8px; } td, th { text-align: left; padding: 4px 8px; border-top: 1px solid #edf0f3; vertical-align: top; font-size: 14px; }
</style></head><body><main>
<h1>${doc.info.title} <span class="muted">v${doc.info.version}</span></h1>
<p class="muted">${doc.info.description ?? ''} Machine-readable: <a href="/api/openapi.json">/api/openapi.json</a> (OpenAPI 3.1).</p>
${ops.map(
  ({ path, method, op }) => html`<section>
  <div><span class="m ${method}">${method}</span><code>/api${path}</code></div>
  <div>${op.summary ?? ''}</div>
  ${op.parameters?.length
    ? html`<table><tr><th>parameter</th><th>in</th><th>rule</th><th>description</th></tr>
      ${op.parameters.map(
        (p) => html`<tr><td><code>${p.name}</code>${p.required ? raw(' <b>*</b>') : ''}</td><td>${p.in}</td>
          <td><code>${rule(p.schema)}</code></td>
          <td>${p.description ?? ''}</td></tr>`,
      )}</table>`
    : ''}
  <table>${Object.entries(op.responses ?? {}).map(([status, r]) => html`<tr><td><code>${status}</code></td><td>${r.description ?? ''}</td></tr>`)}</table>
</section>`,
)}
<p class="muted">Errors always look like <code>{"error":{"code":"invalid_query","message":"…","issues":[{"path":["bbox"],"message":"…"}]}}</code>.</p>
</main></body></html>`
}
