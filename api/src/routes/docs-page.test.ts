import { describe, expect, it } from 'vitest'
import { createApp } from '../app.ts'
import { DEFAULT_LIMITS } from '../http/env.ts'
import { exampleOf, exampleRequest, inlineMarkdown, type OpenApiDoc } from './docs-page.ts'

// The docs need no database: the app is built on a stand-in that is never queried.
const app = createApp({ sql: null as never, database: 'embedded', config: { basemapStyleUrl: null, basemapAttribution: null }, limits: DEFAULT_LIMITS, work: null as never })
const page = async () => (await app.request('/api/docs')).text()
const openapi = async () => (await (await app.request('/api/openapi.json')).json()) as OpenApiDoc

describe('inlineMarkdown', () => {
  it('turns backticks into <code>, escapes the rest, and keeps an unpaired backtick literal', () => {
    expect(String(inlineMarkdown('a `next_cursor` <b> & **bold** [docs](/api/docs)'))).toBe(
      'a <code>next_cursor</code> &lt;b&gt; &amp; <strong>bold</strong> <a href="/api/docs">docs</a>',
    )
    expect(String(inlineMarkdown('`<x>`'))).toBe('<code>&lt;x&gt;</code>')
    expect(String(inlineMarkdown('one ` only'))).toBe('one ` only')
    expect(String(inlineMarkdown('[x](javascript:alert(1))'))).toBe('[x](javascript:alert(1))')
  })
})

describe('GET /api/docs', () => {
  it('shows no literal backticks: every `code` span of the descriptions is rendered', async () => {
    const html = await page()
    expect(html).not.toContain('`')
    expect(html).toContain('<code>next_cursor</code>')
    expect(html).toContain('<code>ST_DWithin(geography, geography, r, false)</code>')
  })

  it('gives every endpoint an example request and response generated from its schemas', async () => {
    const html = await page()
    const doc = await openapi()
    const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.keys(methods).map((m) => [m.toUpperCase(), path] as const))
    expect(operations.length).toBeGreaterThan(15)
    for (const [method, path] of operations) {
      const section = html.slice(html.indexOf(`<section id="${method}-${path}">`))
      const body = section.slice(0, section.indexOf('</section>'))
      expect([method, path, body.includes('<div class="label">request</div>')]).toEqual([method, path, true])
      expect([method, path, /<div class="label">response 2\d\d<\/div>/.test(body)]).toEqual([method, path, true])
    }
    // the examples come from the schemas' own examples and defaults (escaped in the HTML)
    expect(html).toContain('GET /api/coverage?region=370828&amp;radius_m=1500&amp;layer=population')
    expect(html).toContain('&quot;postgis&quot;: &quot;3.6.2&quot;')
  })

  it('lines its tables up: every table has the same first column', async () => {
    const html = await page()
    const tables = html.match(/<table><colgroup><col class="(\w+)">/g) ?? []
    expect(tables.length).toBeGreaterThan(20)
    expect(html).toMatch(/col\.name, col\.status \{ width: 19%; \}/)
  })

  it('names its icon, so the browser does not ask for a missing /favicon.ico', async () => {
    expect(await page()).toContain('<link rel="icon" href="/favicon.ico" type="image/svg+xml">')
  })
})

describe('exampleOf', () => {
  const doc: OpenApiDoc = { info: { title: 't', version: '1' }, paths: {}, components: { schemas: { P: { type: 'object', required: ['b'], properties: { a: { type: 'integer', minimum: 1 }, b: { $ref: '#/components/schemas/Q' } } }, Q: { type: 'string', enum: ['x', 'y'] } } } }

  it('prefers declared examples and defaults, then the smallest value the type and bounds allow, required first', () => {
    expect(exampleOf({ $ref: '#/components/schemas/P' }, doc)).toEqual({ b: 'x', a: 1 })
    expect(Object.keys(exampleOf({ $ref: '#/components/schemas/P' }, doc) as object)).toEqual(['b', 'a'])
    expect(exampleOf({ type: 'number', example: 1500, default: 3 }, doc)).toBe(1500)
    expect(exampleOf({ type: 'array', items: { type: 'string', format: 'uuid' } }, doc)).toEqual(['3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b'])
    expect(exampleOf({ type: 'array', prefixItems: [{ type: 'number', example: 116.3 }, { type: 'number', example: 35.07 }] }, doc)).toEqual([116.3, 35.07])
    expect(exampleOf({ anyOf: [{ type: 'null' }, { type: 'boolean' }] }, doc)).toBe(true)
  })

  it('fills path parameters and the query parameters that are required or exemplified', () => {
    const op = { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }, { name: 'at', in: 'query', schema: { type: 'string', example: '08:30' } }, { name: 'x', in: 'query', schema: { type: 'string' } }] }
    expect(exampleRequest('GET', '/s/{id}', op, doc)).toBe('GET /api/s/3f2b8c1e-5d4a-4e6f-9a7b-1c2d3e4f5a6b?at=08:30')
  })
})
