import { describe, expect, it } from 'vitest'
import { readNdjson } from './upload-progress.ts'

const streamOf = (chunks: string[]) => {
  const bytes = chunks.map((c) => new TextEncoder().encode(c))
  return new ReadableStream<Uint8Array>({ start(c) { for (const b of bytes) c.enqueue(b); c.close() } })
}

describe('readNdjson', () => {
  it('joins lines split across chunks, also inside a multi-byte character, and skips blank lines', async () => {
    const text = '{"a":1}\n\n{"name":"鸡黍镇"}\n{"b":[2]}'
    const bytes = new TextEncoder().encode(text)
    const cut = text.indexOf('鸡') + 4 // inside 鸡's three bytes, in byte terms
    const parts = [bytes.slice(0, 3), bytes.slice(3, cut), bytes.slice(cut)]
    const got: unknown[] = []
    await readNdjson(new ReadableStream({ start(c) { for (const p of parts) c.enqueue(p); c.close() } }), (v) => got.push(v))
    expect(got).toEqual([{ a: 1 }, { name: '鸡黍镇' }, { b: [2] }])
  })

  it('reads nothing from an empty stream', async () => {
    const got: unknown[] = []
    await readNdjson(streamOf([]), (v) => got.push(v))
    expect(got).toEqual([])
  })
})
