/** One server-sent event: its `event:` name (default `message`) and its `data:` lines joined by "\n". */
export interface ServerEvent {
  event: string
  data: string
}

/**
 * The events of a `text/event-stream` body (WHATWG HTML "server-sent events" parsing: lines end in
 * LF, CR LF or CR; a blank line ends an event; `:` lines are comments; `id`/`retry` are ignored, as
 * nothing here reconnects). Used instead of EventSource because a fetch body can be cancelled —
 * which cancels the server's work — and carries the same typed URL as every other request.
 * Cancelling the consumer (break / return) cancels the body.
 */
export async function* readEventStream(body: ReadableStream<Uint8Array>): AsyncGenerator<ServerEvent> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let event = ''
  let data: string[] = []
  try {
    for (;;) {
      const { value, done } = await reader.read()
      if (done) return
      buffer += decoder.decode(value, { stream: true })
      // a CR at the very end may be the first half of CR LF: keep it for the next chunk
      const lines = buffer.split(/\r\n|\r(?!$)|\n/)
      buffer = lines.pop()!
      for (const line of lines) {
        if (line === '') {
          if (data.length) yield { event: event || 'message', data: data.join('\n') }
          event = ''
          data = []
          continue
        }
        if (line.startsWith(':')) continue
        const colon = line.indexOf(':')
        const field = colon < 0 ? line : line.slice(0, colon)
        const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
        if (field === 'event') event = value
        else if (field === 'data') data.push(value)
      }
    }
  } finally {
    await reader.cancel().catch(() => {})
  }
}
