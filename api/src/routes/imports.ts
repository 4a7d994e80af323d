import { createHash } from 'node:crypto'
import { MessageChannel } from 'node:worker_threads'
import { createRoute, z } from '@hono/zod-openapi'
import type { Context } from 'hono'
import { authorize, writeRoute } from '../auth/authorize.ts'
import { actorLabel, mayWriteIn } from '../auth/principal.ts'
import { applyImport, getImport, ImportConflictError, ImportRejectedError, listImports, planImport, undoImport, type PlannedRow } from '../db/imports.ts'
import type { ImportRow } from '../import/normalise-row.ts'
import type { ParsedImport } from '../import/parse-import.ts'
import { IMPORT_LIMITS } from '../import/read-table.ts'
import { formatBytes } from '../http/body-limits.ts'
import type { AppEnv } from '../http/env.ts'
import { ApiError, onError } from '../http/errors.ts'
import { jsonContent, router } from '../http/router.ts'
import { runWork } from '../http/run-work.ts'
import { ErrorSchema, uuidParam } from '../schemas/common.ts'
import { ImportForm, ImportProgressLine, ImportRecord, ImportReport, ImportResultLine, RejectedImport } from '../schemas/import.ts'

const CRS = { wgs84: 'WGS84', gcj02: 'GCJ02', bd09: 'BD09' } as const

const importRoute = writeRoute(
  createRoute({
    method: 'post',
    path: '/import',
    summary: 'Import stations from .xlsx, .csv or GeoJSON: a dry run row by row, or apply all rows or none (editor; each row must lie in a region of your grants)',
    request: { body: { content: { 'multipart/form-data': { schema: ImportForm } }, required: true } },
    responses: {
      200: {
        description: 'The report; applied when dry_run=false (import_id). With progress=true: NDJSON, ImportProgress lines then one ImportResult line',
        content: { 'application/json': { schema: ImportReport }, 'application/x-ndjson': { schema: ImportProgressLine.or(ImportResultLine) } },
      },
      400: jsonContent(ErrorSchema, 'A field broke its rule, or the file cannot be read (problem, row and column named)'),
      422: jsonContent(RejectedImport, 'Rows were rejected: nothing written; `report` lists every row and why'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'No row lies in a region your grants cover'),
      409: jsonContent(ErrorSchema, 'A station changed while the import was written'),
      413: jsonContent(ErrorSchema, 'More than 20 MB or 50,000 rows (the limit is named)'),
      503: jsonContent(ErrorSchema, 'Reading the file ran past the work budget'),
    },
  }),
  // The rows' regions are known only once the file is read: the route rejects each row outside the
  // caller's grants, and the whole request (403) when no row lies inside them.
  { kind: 'region', regions: async () => null },
)

const idParams = z.object({ id: uuidParam })

const undoRoute = writeRoute(
  createRoute({
    method: 'post',
    path: '/imports/{id}/undo',
    summary: 'Undo an import as a whole: its new stations retired, its updated ones back as they were (recorded in history)',
    request: { params: idParams },
    responses: {
      200: jsonContent(ImportRecord, 'The import, now with undone_at'),
      400: jsonContent(ErrorSchema, 'The id is not a UUID'),
      401: jsonContent(ErrorSchema, 'Not signed in'),
      403: jsonContent(ErrorSchema, 'Your grants do not cover every region the import wrote in'),
      404: jsonContent(ErrorSchema, 'No such import'),
      409: jsonContent(ErrorSchema, 'Undone already, or its stations changed since'),
    },
  }),
  {
    kind: 'region',
    regions: async (c) => {
      const id = idParams.safeParse({ id: c.req.param('id') })
      const imp = id.success ? await getImport(c.var.deps.sql, id.data.id) : null
      return imp ? imp.regions : null
    },
  },
)

const listRoute = createRoute({
  method: 'get',
  path: '/imports',
  summary: 'The newest 50 imports (signed-in accounts)',
  middleware: [authorize({ kind: 'account' })] as const,
  responses: { 200: jsonContent(z.object({ imports: z.array(ImportRecord) }), 'Imports, newest first'), 401: jsonContent(ErrorSchema, 'Not signed in') },
})

/** A report row as the API shows it (without the write's internals). */
function shown(p: PlannedRow, r: ImportRow | undefined) {
  return {
    row: p.row, action: p.action,
    ...(p.id ? { id: p.id } : {}),
    ...(p.name !== undefined ? { name: p.name } : {}),
    ...(r?.fields.address !== undefined ? { address: r.fields.address } : {}),
    ...(p.lon !== undefined ? { lon: p.lon, lat: p.lat } : {}),
    ...(p.region_code ? { region_code: p.region_code } : {}),
    ...(p.changes && p.action !== 'create' ? { changes: p.changes } : {}),
    ...(p.errors ? { errors: p.errors } : {}),
  }
}

function report(parsed: Extract<ParsedImport, { ok: true }>, planned: PlannedRow[], crs: keyof typeof CRS, dryRun: boolean, importId: string | null) {
  const byRow = new Map(parsed.rows.map((r) => [r.row, r]))
  const n = (a: PlannedRow['action']) => planned.filter((p) => p.action === a).length
  return {
    dry_run: dryRun, import_id: importId, format: parsed.format,
    ...(parsed.sheets ? { sheets: parsed.sheets, sheet: parsed.sheet } : {}),
    ...(parsed.encoding ? { encoding: parsed.encoding } : {}),
    crs, headers: parsed.headers, mapping: parsed.mapping,
    created: n('create'), updated: n('update'), unchanged: n('unchanged'), rejected: n('reject'), to_place: n('to_place'),
    rows: planned.map((p) => shown(p, byRow.get(p.row))),
  }
}

/** The first few refused rows, as the 400's message and issues name them. */
function refusal(planned: PlannedRow[], onInvalid: 'reject' | 'skip') {
  const bad = planned.filter((p) => p.action === 'reject' || p.action === 'to_place')
  const issues = bad.slice(0, 50).flatMap((p) =>
    p.action === 'to_place'
      ? [{ path: ['rows', p.row, 'lon'], message: `row ${p.row}: to place: has an address but no coordinates; place it on the map (placed) first` }]
      : (p.errors ?? []).map((e) => ({ path: ['rows', p.row, e.field], message: `row ${p.row}${e.column ? `, column ${e.column}` : ''}: ${e.message}` })),
  )
  const message = onInvalid === 'skip'
    ? 'no row could be imported: every row was rejected or still has to be placed'
    : `${bad.length} row(s) rejected, nothing imported (on_invalid=reject): ${issues.slice(0, 3).map((i) => i.message).join('; ')}${issues.length > 3 ? '; …' : ''}`
  return { message, issues }
}

const actorOf = (c: Context<AppEnv>) => ({ id: c.var.principal!.userId, label: actorLabel(c.var.principal!) })

type Form = z.infer<typeof ImportForm>
type Progress = Omit<z.infer<typeof ImportProgressLine>, 'type'>
type Outcome =
  | { status: 200; body: ReturnType<typeof report> }
  | { status: 422; body: { error: { code: 'rows_rejected'; message: string; issues: { path: (string | number)[]; message: string }[] }; report: ReturnType<typeof report> } }

/**
 * The import itself, alike with or without progress: read the file in a worker thread (its rows
 * converted reported as phase read), plan against the database (check), apply in one transaction
 * (write). Expected failures throw ApiError; a refused apply comes back as the 422 outcome.
 */
async function runImport(c: Context<AppEnv>, form: Form, progress: (p: Progress) => void = () => {}): Promise<Outcome> {
  const file = form.file
  if (file.size > IMPORT_LIMITS.fileBytes) throw new ApiError(413, 'too_large', `file: ${file.size} bytes is more than the import limit of ${formatBytes(IMPORT_LIMITS.fileBytes)} per file`)
  const bytes = new Uint8Array(await file.arrayBuffer())
  const fileSha256 = createHash('sha256').update(bytes).digest('hex')
  // the worker posts rows converted on a port of its own; lines that arrive after it answered are stale
  const channel = new MessageChannel()
  let reading = true
  let lastRead = -1
  channel.port1.on('message', (m: { done: number; total: number }) => {
    if (!reading) return
    lastRead = m.done
    progress({ phase: 'read', done: m.done, total: m.total })
  })
  progress({ phase: 'read', done: 0, total: null })
  // Reading and converting the file is CPU work: a worker thread, under the work budget.
  const parsed = await runWork(c, {
    task: 'parse-import', bytes, filename: file.name || 'upload', crs: CRS[form.crs], encoding: form.encoding, sheet: form.sheet, mapping: form.mapping ?? undefined,
    progress: channel.port2,
  }).finally(() => {
    reading = false
    channel.port1.close()
  })
  // the worker's last line may still be on its way: the rows are all read now
  if (parsed.ok && lastRead !== parsed.rows.length) progress({ phase: 'read', done: parsed.rows.length, total: parsed.rows.length })
  if (!parsed.ok) {
    if (parsed.status === 413) throw new ApiError(413, 'too_large', parsed.message)
    const path = ['file', ...(parsed.row !== undefined ? [parsed.row] : []), ...(parsed.column ? [parsed.column] : [])]
    throw new ApiError(400, 'invalid_body', parsed.message, [{ path, message: parsed.message }])
  }
  const p = c.var.principal!
  const mayWrite = (codes: string[]) => mayWriteIn(p, codes)
  const { sql } = c.var.deps
  const options = { mayWrite, placed: form.placed, onProgress: progress }
  const outsideOnly = (planned: PlannedRow[]) =>
    p.role !== 'admin' && planned.some((r) => r.errors?.some((e) => e.message.startsWith('outside your regions'))) && !planned.some((r) => ['create', 'update', 'unchanged'].includes(r.action))
  const forbid = (planned: PlannedRow[]) => {
    const where = [...new Set(planned.map((r) => r.region_code).filter(Boolean))].join(', ')
    return new ApiError(403, 'forbidden', `your account may not write in region ${where || 'of these rows'}: no row of the file lies in a region of your grants`)
  }
  if (form.dry_run) {
    const planned = await planImport(sql, parsed.rows, options)
    if (outsideOnly(planned)) throw forbid(planned)
    return { status: 200, body: report(parsed, planned, form.crs, true, null) }
  }
  try {
    const applied = await applyImport(sql, parsed.rows, {
      ...options,
      actor: actorOf(c),
      meta: { filename: file.name || 'upload', fileSha256, format: parsed.format, crs: form.crs },
      accept: (planned) => {
        const bad = planned.some((r) => r.action === 'reject' || r.action === 'to_place')
        const good = planned.some((r) => r.action !== 'reject' && r.action !== 'to_place')
        return form.on_invalid === 'skip' ? good : !bad
      },
    })
    return { status: 200, body: report(parsed, applied.rows, form.crs, false, applied.importId) }
  } catch (err) {
    if (err instanceof ImportRejectedError) {
      if (outsideOnly(err.rows)) throw forbid(err.rows)
      const { message, issues } = refusal(err.rows, form.on_invalid)
      return { status: 422, body: { error: { code: 'rows_rejected', message, issues }, report: report(parsed, err.rows, form.crs, false, null) } }
    }
    if (err instanceof ImportConflictError) throw new ApiError(409, 'conflict', err.message)
    throw err
  }
}

/**
 * progress=true: the answer starts at once (200, NDJSON) and carries a line per step, then the
 * outcome the plain answer would have had — its status and body, errors in the one error shape
 * (rendered by onError). Same request, same transaction, same budget; only the answer is streamed,
 * on the request's own connection (no job store, so it works across API processes too).
 */
function streamImport(c: Context<AppEnv>, form: Form): Response {
  const encoder = new TextEncoder()
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      let open = true
      const send = (line: z.infer<typeof ImportProgressLine> | z.infer<typeof ImportResultLine>) => {
        if (open) controller.enqueue(encoder.encode(`${JSON.stringify(line)}\n`))
      }
      try {
        const r = await runImport(c, form, (p) => send({ type: 'progress', ...p }))
        send({ type: 'result', status: r.status, body: r.body })
      } catch (err) {
        const rendered = onError(err instanceof Error ? err : new Error(String(err)), c)
        send({ type: 'result', status: rendered.status, body: await rendered.json() })
      }
      open = false
      controller.close()
    },
  })
  return new Response(body, { status: 200, headers: { 'Content-Type': 'application/x-ndjson; charset=utf-8', 'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' } })
}

export const importRoutes = router()
  .openapi(importRoute, async (c) => {
    const form = c.req.valid('form')
    if (form.progress) return streamImport(c, form) as never
    const r = await runImport(c, form)
    return r.status === 200 ? c.json(r.body, 200) : c.json(r.body, 422)
  })
  .openapi(undoRoute, async (c) => {
    const { id } = c.req.valid('param')
    try {
      const done = await undoImport(c.var.deps.sql, id, actorOf(c))
      if (!done) throw new ApiError(404, 'not_found', `import ${id} does not exist`)
      return c.json(done, 200)
    } catch (err) {
      if (err instanceof ImportConflictError) throw new ApiError(409, 'conflict', err.message)
      throw err
    }
  })
  .openapi(listRoute, async (c) => c.json({ imports: await listImports(c.var.deps.sql) }, 200))
