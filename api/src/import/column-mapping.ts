/**
 * Which column of an imported table feeds which station field. Canonical names need no mapping;
 * the headers county ledgers use (名称, 经度, 开放时间 …) are recognised; anything else is ignored
 * unless the editor maps it.
 */
export const IMPORT_FIELDS = [
  'id', 'external_id', 'name', 'kind', 'lon', 'lat', 'address', 'opening_hours', 'amenities', 'phone', 'operator',
  'capacity', 'status', 'radius_m', 'region_code',
] as const
export type ImportField = (typeof IMPORT_FIELDS)[number]

/** Headers recognised for each field (compared without spaces and case). */
export const HEADER_ALIASES: Record<ImportField, readonly string[]> = {
  id: ['id', 'uuid', '系统编号'],
  external_id: ['external_id', '编号', '站点编号', '驿站编号', '序号编码', '台账编号', 'code'],
  name: ['name', '名称', '站点名称', '驿站名称', '阵地名称', '服务站名称'],
  kind: ['kind', '类型', '站点类型', '驿站类型', '类别'],
  lon: ['lon', 'lng', 'longitude', 'x', '经度'],
  lat: ['lat', 'latitude', 'y', '纬度'],
  address: ['address', '地址', '详细地址', '站点地址', '位置'],
  opening_hours: ['opening_hours', '开放时间', '服务时间', '营业时间', '开放时段'],
  amenities: ['amenities', '服务内容', '设施', '服务设施', '配套设施', '服务项目'],
  phone: ['phone', '联系电话', '电话', '联系方式'],
  operator: ['operator', '运营单位', '管理单位', '责任单位', '主管单位'],
  capacity: ['capacity', '容纳人数', '可容纳人数', '容量'],
  status: ['status', '状态', '运行状态'],
  radius_m: ['radius_m', '覆盖半径', '服务半径', '覆盖半径(米)', '覆盖半径（米）'],
  region_code: ['region_code', '区划代码', '行政区划代码', '区县代码'],
}

const squash = (h: string) => h.replace(/[\s\uFEFF]+/g, '').toLowerCase()
const BY_HEADER = new Map<string, ImportField>()
for (const f of IMPORT_FIELDS) for (const a of HEADER_ALIASES[f]) BY_HEADER.set(squash(a), f)

export type ColumnMapping = Record<string, ImportField | null>

/** A problem with the header row itself: the whole file is refused, naming the columns. */
export class HeaderError extends Error {
  constructor(message: string, readonly columns: string[]) {
    super(message)
  }
}

/** Spreadsheet column letters for a 0-based index (0 → A, 26 → AA), as the editor sees them. */
export function columnLetter(i: number): string {
  let s = ''
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s
  return s
}

/**
 * The mapping for these headers: the editor's `given` entries first, the recognised names for the
 * rest. Refuses duplicate headers and two columns feeding one field (naming both), and a mapping
 * entry that names no column or no field.
 */
export function detectMapping(headers: readonly string[], given: ColumnMapping = {}): ColumnMapping {
  const seen = new Map<string, number>()
  headers.forEach((h, i) => {
    const prev = seen.get(h)
    if (prev !== undefined) throw new HeaderError(`duplicate header "${h}" in columns ${columnLetter(prev)} and ${columnLetter(i)}: rename one`, [columnLetter(prev), columnLetter(i)])
    seen.set(h, i)
  })
  for (const [col, field] of Object.entries(given)) {
    if (!seen.has(col)) throw new HeaderError(`mapping: the file has no column "${col}" (its headers: ${headers.slice(0, 30).join(', ')})`, [col])
    if (field !== null && !(IMPORT_FIELDS as readonly string[]).includes(field)) throw new HeaderError(`mapping: "${field}" is not a station field; use one of ${IMPORT_FIELDS.join(', ')} or null`, [col])
  }
  const mapping: ColumnMapping = {}
  const fed = new Map<ImportField, string>()
  for (const h of headers) {
    const field = h in given ? given[h]! : (BY_HEADER.get(squash(h)) ?? null)
    mapping[h] = field
    if (field === null) continue
    const other = fed.get(field)
    if (other !== undefined) {
      throw new HeaderError(`columns "${other}" (${columnLetter(headers.indexOf(other))}) and "${h}" (${columnLetter(headers.indexOf(h))}) both map to ${field}: map one of them to null`, [other, h])
    }
    fed.set(field, h)
  }
  return mapping
}

/** Whether a header row has a column recognised as the station name (how the default sheet is chosen). */
export function namesStations(headers: readonly unknown[]): boolean {
  return headers.some((h) => BY_HEADER.get(squash(String(h ?? ''))) === 'name')
}
