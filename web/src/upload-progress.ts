/**
 * Upload progress for the typed client: `fetch` has no upload progress, XMLHttpRequest has
 * (`upload.onprogress`). `xhrFetch` is a fetch for hc's per-request `fetch` option that sends with
 * XMLHttpRequest, reports bytes sent, and resolves as soon as the headers are in with a Response
 * whose body streams the text as it arrives — so a streamed answer (NDJSON) is read line by line.
 */

/** A fetch over XMLHttpRequest that calls `onUpload(sent, total)` as the request body goes out. */
export function xhrFetch(onUpload: (sent: number, total: number) => void): typeof fetch {
  return (input, init = {}) =>
    new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url
      xhr.open(init.method ?? 'GET', url)
      new Headers(init.headers).forEach((v, k) => xhr.setRequestHeader(k, v))
      let seen = 0
      let push: ReadableStreamDefaultController<Uint8Array> | null = null
      const encoder = new TextEncoder()
      const body = new ReadableStream<Uint8Array>({ start: (c) => void (push = c) })
      const flush = () => {
        const text = xhr.responseText
        if (text.length > seen) push?.enqueue(encoder.encode(text.slice(seen)))
        seen = text.length
      }
      xhr.upload.onprogress = (e) => onUpload(e.loaded, e.lengthComputable ? e.total : 0)
      xhr.onreadystatechange = () => {
        if (xhr.readyState !== XMLHttpRequest.HEADERS_RECEIVED) return
        const headers = new Headers()
        for (const line of xhr.getAllResponseHeaders().trim().split(/[\r\n]+/)) {
          const at = line.indexOf(':')
          if (at > 0) headers.append(line.slice(0, at).trim(), line.slice(at + 1).trim())
        }
        const empty = [101, 204, 205, 304].includes(xhr.status)
        resolve(new Response(empty ? null : body, { status: xhr.status, statusText: xhr.statusText, headers }))
      }
      xhr.onprogress = flush
      xhr.onload = () => {
        flush()
        push?.close()
      }
      const fail = (what: string) => () => {
        const err = new TypeError(`${init.method ?? 'GET'} ${url}: ${what}`)
        push?.error(err)
        reject(err)
      }
      xhr.onerror = fail('network error')
      xhr.onabort = fail('aborted')
      xhr.ontimeout = fail('timed out')
      init.signal?.addEventListener('abort', () => xhr.abort())
      xhr.send((init.body ?? null) as XMLHttpRequestBodyInit | null)
    })
}

/**
 * Calls `onLine` with each JSON line of an NDJSON stream (lines split across chunks are joined;
 * blank lines skipped), and resolves when the stream ends.
 */
export async function readNdjson(body: ReadableStream<Uint8Array>, onLine: (value: unknown) => void): Promise<void> {
  const reader = body.getReader()
  const decoder = new TextDecoder()
  let rest = ''
  for (;;) {
    const { value, done } = await reader.read()
    if (done) break
    rest += decoder.decode(value, { stream: true })
    const lines = rest.split('\n')
    rest = lines.pop()!
    for (const line of lines) if (line.trim()) onLine(JSON.parse(line))
  }
  rest += decoder.decode()
  if (rest.trim()) onLine(JSON.parse(rest))
}
