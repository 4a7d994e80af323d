/**
 * Reads a zip's central directory (without inflating anything) and refuses archives that would
 * unpack to more than `maxUnpacked` bytes, or whose entries are packed so tightly they can only be
 * a zip bomb. exceljs (through JSZip) would otherwise inflate every part into memory.
 */
export interface ZipVerdict {
  ok: boolean
  problem?: string
  entries?: number
  unpacked?: number
}

const EOCD = 0x06054b50
const CDH = 0x02014b50

export function inspectZip(bytes: Uint8Array, maxUnpacked: number, maxRatio = 1000): ZipVerdict {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 22 || view.getUint32(0, true) !== 0x04034b50) return { ok: false, problem: 'not a zip archive (an .xlsx is one): the file is corrupt or not an .xlsx' }
  let eocd = -1
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65535); i--) {
    if (view.getUint32(i, true) === EOCD) {
      eocd = i
      break
    }
  }
  if (eocd < 0) return { ok: false, problem: 'the zip archive has no central directory: the file is truncated or corrupt' }
  const entries = view.getUint16(eocd + 10, true)
  const size = view.getUint32(eocd + 12, true)
  const offset = view.getUint32(eocd + 16, true)
  if (offset === 0xffffffff || entries === 0xffff) return { ok: false, problem: 'a ZIP64 archive: far larger than any station list; refused' }
  if (offset + size > eocd) return { ok: false, problem: 'the zip central directory points past the end of the file: truncated or corrupt' }
  let p = offset
  let unpacked = 0
  for (let n = 0; n < entries; n++) {
    if (p + 46 > bytes.length || view.getUint32(p, true) !== CDH) return { ok: false, problem: `zip entry ${n + 1} of ${entries} is damaged: truncated or corrupt` }
    const packed = view.getUint32(p + 20, true)
    const plain = view.getUint32(p + 24, true)
    if (plain === 0xffffffff || packed === 0xffffffff) return { ok: false, problem: 'a ZIP64 entry: refused' }
    unpacked += plain
    if (unpacked > maxUnpacked) return { ok: false, problem: `the workbook would unpack to more than ${Math.round(maxUnpacked / 1048576)} MB (a zip bomb, or far more than 50,000 rows)`, entries, unpacked }
    if (plain > 1048576 && plain / Math.max(1, packed) > maxRatio) return { ok: false, problem: `zip entry ${n + 1} is compressed ${Math.round(plain / Math.max(1, packed))}:1 (a zip bomb); refused`, entries, unpacked }
    p += 46 + view.getUint16(p + 28, true) + view.getUint16(p + 30, true) + view.getUint16(p + 32, true)
  }
  return { ok: true, entries, unpacked }
}
