import iconv from 'iconv-lite'

export type TextEncoding = 'utf-8' | 'gb18030' | 'utf-16le'
export type EncodingChoice = 'auto' | TextEncoding

/** The file's text is not in one encoding: re-save it (Excel: 另存为 CSV UTF-8). */
export class EncodingError extends Error {
  constructor(message: string, readonly row: number) {
    super(message)
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Whether a line's bytes are valid UTF-8, and whether they hold anything beyond ASCII. */
function lineKind(bytes: Uint8Array): 'ascii' | 'utf8' | 'other' {
  let ascii = true
  for (const b of bytes) if (b > 0x7f) { ascii = false; break }
  if (ascii) return 'ascii'
  try {
    utf8.decode(bytes)
    return 'utf8'
  } catch {
    return 'other'
  }
}

/**
 * Bytes of a CSV → text. UTF-8 (with or without BOM) and UTF-16 with BOM are recognised; otherwise
 * the file is read as GB18030 (a superset of GBK and GB2312: what Excel on a Chinese Windows writes).
 * A file whose lines are partly valid UTF-8 Chinese and partly not is refused naming the first line in
 * the other encoding, since decoding it either way would garble some rows silently.
 */
export function decodeText(bytes: Uint8Array, choice: EncodingChoice = 'auto'): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: Buffer.from(bytes.subarray(3)).toString('utf8'), encoding: 'utf-8' }
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' }
  if (choice === 'utf-8') return { text: Buffer.from(bytes).toString('utf8'), encoding: 'utf-8' }
  if (choice === 'gb18030') return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' }
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' }
  } catch {
    // not UTF-8 as a whole: GB18030, unless some lines are UTF-8 Chinese (mixed)
  }
  let firstUtf8 = 0
  let firstOther = 0
  let start = 0
  let line = 1
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      const kind = lineKind(bytes.subarray(start, i))
      if (kind === 'utf8' && !firstUtf8) firstUtf8 = line
      if (kind === 'other' && !firstOther) firstOther = line
      if (firstUtf8 && firstOther) {
        throw new EncodingError(`the file mixes encodings: line ${firstUtf8} is UTF-8 but line ${firstOther} is not (GBK?); save the whole file in one encoding (Excel: 另存为 "CSV UTF-8")`, firstOther)
      }
      start = i + 1
      line++
    }
  }
  return { text: iconv.decode(Buffer.from(bytes), 'gb18030'), encoding: 'gb18030' }
}
