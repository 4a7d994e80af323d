/**
 * Body limits, security headers and CORS on the real app: an oversized body is refused before any
 * route parses it, every answer carries the CSP the pages pass, and no origin gets CORS unless listed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { startTestApi } from '../../test/test-app.ts'
import { addAccount, asSession, signIn } from '../../test/accounts.ts'
import { DEFAULT_BODY_LIMITS, formatBytes, parseBytes } from './body-limits.ts'

let api: Awaited<ReturnType<typeof startTestApi>>

beforeAll(async () => {
  api = await startTestApi()
})
afterAll(async () => {
  await api?.close()
})

/** A body as a stream: no Content-Length, so the limit must be enforced while reading. */
function streamed(text: string, chunk = 16 * 1024): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text)
  let at = 0
  let pulled = 0
  const s = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= bytes.length) return controller.close()
      pulled++
      controller.enqueue(bytes.subarray(at, (at += chunk)))
    },
  })
  return Object.assign(s, { pulled: () => pulled })
}

const sitingOf = (bytes: number) => {
  const head = '{"kind":"rider_rest","region":"370828","count":1,"candidates":['
  const point = '[116.3,35.07],'
  return head + point.repeat(Math.ceil((bytes - head.length) / point.length)) + '[116.3,35.07]]}'
}

describe('body limits', () => {
  it('refuses a siting body over 1 MB by its Content-Length with 413 too_large naming the limit', async () => {
    const body = sitingOf(DEFAULT_BODY_LIMITS.siting + 10)
    const res = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': String(body.length) }, body })
    expect(res.status).toBe(413)
    const err = (await res.json()).error
    expect(err.code).toBe('too_large')
    expect(err.message).toContain('siting body limit of 1 MB (1048576 bytes)')
  })

  it('stops reading a streamed body as soon as it passes the limit', async () => {
    const text = sitingOf(8 * 1024 * 1024)
    const body = streamed(text)
    const res = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit)
    expect(res.status).toBe(413)
    expect((await res.json()).error.message).toMatch(/1 MB/)
    // 1 MB in 16 KB chunks is 65 chunks; the 8 MB body has 512
    expect((body as unknown as { pulled(): number }).pulled()).toBeLessThanOrEqual(66)
  })

  it('lets a siting body under the limit through to validation', async () => {
    const body = sitingOf(900 * 1024)
    const res = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: body.replace('"count":1', '"count":0') })
    expect(res.status).toBe(400)
    expect((await res.json()).error.code).toBe('invalid_body')
  })

  it('limits a report body to 8 KB and other JSON routes to 64 KB', async () => {
    const id = '00000000-0000-4000-8000-000000000000'
    const report = await api.request(`/api/stations/${id}/reports`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ problem: 'other', note: 'x'.repeat(9000) }) })
    expect(report.status).toBe(413)
    expect((await report.json()).error.message).toContain('reports body limit of 8 KB')
    const patch = await api.request(`/api/reports/${id}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'resolved', pad: 'x'.repeat(70_000) }) })
    expect(patch.status).toBe(413)
    expect((await patch.json()).error.message).toContain('default body limit of 64 KB')
    const scenario = await api.request('/api/scenarios', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(300 * 1024) }) })
    expect(scenario.status).toBe(413)
    expect((await scenario.json()).error.message).toContain('scenarios body limit of 256 KB')
  })

  it('takes its limits from the configuration', async () => {
    const small = createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: { planningMemoryBytes: 2 ** 30, maxCandidates: 1e4, maxSites: 100 }, work: api.work }, { bodyLimits: { ...DEFAULT_BODY_LIMITS, siting: 100 } })
    const res = await small.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: sitingOf(200) })
    expect(res.status).toBe(413)
    expect((await res.json()).error.message).toContain('100 bytes')
  })

  it('parses sizes as a user writes them and says what is wrong otherwise', () => {
    expect(parseBytes('X', '65536')).toBe(65536)
    expect(parseBytes('X', '64kb')).toBe(65536)
    expect(parseBytes('X', '1MB')).toBe(1048576)
    expect(() => parseBytes('BODY_LIMIT_SITING', 'lots')).toThrow(/BODY_LIMIT_SITING: "lots" is not a size/)
    expect(formatBytes(256 * 1024)).toBe('256 KB')
  })
})

describe('security headers', () => {
  it('sends a Content-Security-Policy without inline or eval script on the API and the docs page', async () => {
    for (const path of ['/api/health', '/api/docs']) {
      const res = await api.request(path)
      expect(res.status).toBe(200)
      const csp = res.headers.get('content-security-policy')!
      expect(csp).toContain("script-src 'self'")
      expect(csp).not.toMatch(/script-src[^;]*unsafe/)
      expect(csp).toContain("worker-src 'self' blob:")
      expect(csp).toContain("object-src 'none'")
      expect(res.headers.get('x-content-type-options')).toBe('nosniff')
      expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN')
    }
    // the docs page needs no script at all
    expect(await (await api.request('/api/docs')).text()).not.toMatch(/<script/i)
  })

  it('never puts internals in an error', async () => {
    const res = await api.request('/api/siting', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"kind":' })
    expect(res.status).toBe(400)
    const text = await res.text()
    expect(text).not.toMatch(/at .*\.ts:\d+|node_modules|SyntaxError|stack/)
  })
})

describe('CORS', () => {
  it('is off by default: no Access-Control headers for any origin', async () => {
    const res = await api.request('/api/health', { headers: { origin: 'https://elsewhere.example' } })
    expect(res.headers.get('access-control-allow-origin')).toBeNull()
    const pre = await api.request('/api/siting', { method: 'OPTIONS', headers: { origin: 'https://elsewhere.example', 'access-control-request-method': 'POST' } })
    expect(pre.headers.get('access-control-allow-origin')).toBeNull()
  })

  it('allows only the origins in CORS_ORIGINS', async () => {
    const open = createApp({ sql: api.sql, database: api.database, config: { basemapStyleUrl: null, basemapAttribution: null }, limits: { planningMemoryBytes: 2 ** 30, maxCandidates: 1e4, maxSites: 100 }, work: api.work }, { corsOrigins: ['https://atlas.example.gov.cn'] })
    const ok = await open.request('/api/health', { headers: { origin: 'https://atlas.example.gov.cn' } })
    expect(ok.headers.get('access-control-allow-origin')).toBe('https://atlas.example.gov.cn')
    const pre = await open.request('/api/siting', { method: 'OPTIONS', headers: { origin: 'https://atlas.example.gov.cn', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,authorization' } })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/)
    const other = await open.request('/api/health', { headers: { origin: 'https://elsewhere.example' } })
    expect(other.headers.get('access-control-allow-origin')).toBeNull()
  })
})

describe('list paging', () => {
  it('pages saved scenarios newest first with next_cursor, each exactly once', async () => {
    // saving a scenario needs an editor of its region (issue 11)
    await addAccount(api, 'paging@example.org', 'editor', ['361021'])
    const editor = asSession(await signIn(api, 'paging@example.org'))
    const ids: string[] = []
    for (let i = 0; i < 3; i++) {
      const body = { name: `paging ${i}`, kind: 'rider_rest', region: '361021', edits: { added: [], moved: [], removed: [] } }
      const res = await api.request('/api/scenarios', { method: 'POST', headers: editor, body: JSON.stringify(body) })
      expect(res.status).toBe(201)
      ids.push(((await res.json()) as { id: string }).id)
    }
    const first = (await api.get('/api/scenarios?region=361021&limit=2')).body
    expect(first.scenarios.map((s: { id: string }) => s.id)).toEqual([ids[2], ids[1]])
    expect(first.next_cursor).toMatch(/^\d+_/)
    const second = (await api.get(`/api/scenarios?region=361021&limit=2&cursor=${first.next_cursor}`)).body
    expect(second.scenarios.map((s: { id: string }) => s.id)).toEqual([ids[0]])
    expect(second.next_cursor).toBeUndefined()
    const bad = await api.get('/api/scenarios?cursor=x')
    expect(bad.status).toBe(400)
    expect(bad.body.error.message).toMatch(/cursor: must be a next_cursor value/)
  })
})
