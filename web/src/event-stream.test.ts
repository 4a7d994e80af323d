import { describe, expect, test } from 'vitest'
import { readEventStream } from './event-stream.ts'

const body = (...chunks: string[]) =>
  new ReadableStream<Uint8Array>({
    start(c) {
      for (const s of chunks) c.enqueue(new TextEncoder().encode(s))
      c.close()
    },
  })

describe('readEventStream', () => {
  test('parses named events, multi-line data, comments and every line ending, across chunk borders', async () => {
    const out = []
    for await (const e of readEventStream(body('event: progress\ndata: {"a"', ':1}\n\n: a comment\r\nevent: result\r\ndata: x\r\ndata: y\r', '\r\ndata: plain\n\n'))) out.push(e)
    expect(out).toEqual([
      { event: 'progress', data: '{"a":1}' },
      { event: 'result', data: 'x\ny' },
      { event: 'message', data: 'plain' },
    ])
  })

  test('an empty body gives no events; a last event without its blank line is dropped', async () => {
    const out = []
    for await (const e of readEventStream(body('data: half'))) out.push(e)
    expect(out).toEqual([])
  })
})
