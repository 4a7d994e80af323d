import { readFileSync } from 'node:fs'
import { repoPath } from '../src/paths.ts'
import { OWN_ORIGIN } from './accounts.ts'
import type { startTestApi } from './test-app.ts'

type Api = Awaited<ReturnType<typeof startTestApi>>

export const fixture = (name: string) => readFileSync(repoPath(`api/test/fixtures/import/${name}`))

/** A multipart import request's form: the file plus text fields (mapping/placed as JSON). */
export function importForm(name: string, bytes: Uint8Array, fields: Record<string, string | object> = {}): FormData {
  const form = new FormData()
  form.append('file', new File([bytes as Uint8Array<ArrayBuffer>], name))
  for (const [k, v] of Object.entries(fields)) form.append(k, typeof v === 'string' ? v : JSON.stringify(v))
  return form
}

/** POST /api/import as a signed-in browser (cookie + our Origin); the body is parsed JSON. */
export async function postImport(api: Api, cookie: string, name: string, bytes: Uint8Array, fields: Record<string, string | object> = {}) {
  const res = await api.request('/api/import', { method: 'POST', headers: { cookie, origin: OWN_ORIGIN }, body: importForm(name, bytes, fields) })
  return { status: res.status, body: (await res.json()) as any }
}

/** A hash of every table an import could touch: a refused import must leave it unchanged. */
export async function tablesChecksum(api: Api): Promise<string> {
  const [row] = await api.sql<{ h: string }[]>`
    SELECT md5(concat_ws('|',
      (SELECT string_agg(md5(s::text), ',' ORDER BY s.id) FROM station s),
      (SELECT string_agg(md5(c::text), ',' ORDER BY c.id) FROM change_log c),
      (SELECT string_agg(md5(i::text), ',' ORDER BY i.id) FROM station_import i),
      (SELECT string_agg(md5(r::text), ',' ORDER BY r.code) FROM region r),
      (SELECT string_agg(md5(d::text), ',' ORDER BY d.name) FROM data_version d),
      (SELECT string_agg(md5(n::text), ',' ORDER BY n.region_code) FROM region_station_count n))) AS h`
  return row!.h
}
