import { openingHoursProblem } from '../opening-hours-problem.ts'

/** Either the OSM `opening_hours` value, or why the text could not be converted (never a guess). */
export type HoursResult = { value: string } | { problem: string }

const DAY_CHAR: Record<string, number> = { 一: 0, 二: 1, 三: 2, 四: 3, 五: 4, 六: 5, 日: 6, 天: 6 }
const OSM_DAYS = ['Mo', 'Tu', 'We', 'Th', 'Fr', 'Sa', 'Su'] as const
const DAY_RANGE = /^(?:周|星期|礼拜)([一二三四五六日天])(?:(?:至|到|-|~)(?:周|星期|礼拜)?([一二三四五六日天]))?$/
const DAY_WORDS: Record<string, number[] | 'all'> = {
  工作日: [0, 1, 2, 3, 4], 周末: [5, 6], 双休日: [5, 6], 每天: 'all', 每日: 'all', 天天: 'all', 全周: 'all', 全年: 'all', 周一至周日: 'all',
}
const ALL_DAY = new Set(['24小时', '24h', '24H', '全天', '全天候', '全天24小时', '24小时开放', '24小时营业', '全天开放', '00:00-24:00', '0:00-24:00'])
const CLOSED = new Set(['休息', '闭馆', '关闭', '不开放', '休馆'])
const TIME = /^(上午|早上|下午|晚上)?(\d{1,2})(?:[:.](\d{2})|点(?:(\d{1,2})分?|半)?|时)?$/
const RANGE_SEP = /(?:-|~|至|到|—|–)/

function normalise(text: string): string {
  return text
    .replace(/[\uFF01-\uFF5E]/g, (ch) => String.fromCharCode(ch.charCodeAt(0) - 0xfee0)) // full-width → ASCII
    .replace(/[—–～〜]/g, '-')
    .replace(/\u3000/g, ' ')
    .trim()
}

function time(token: string): number | null {
  const m = TIME.exec(token)
  if (!m) return null
  let h = Number(m[2])
  const min = m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? Number(m[4]) : /半$/.test(token) ? 30 : 0
  if ((m[1] === '下午' || m[1] === '晚上') && h < 12) h += 12
  if (h > 24 || min > 59 || (h === 24 && min > 0)) return null
  return h * 60 + min
}

const hhmm = (t: number) => `${String(Math.floor(t / 60)).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`

function timeRange(token: string): string | null {
  if (ALL_DAY.has(token)) return '00:00-24:00'
  const parts = token.split(RANGE_SEP)
  if (parts.length !== 2) return null
  const a = time(parts[0]!)
  let b = time(parts[1]!)
  if (a === null || b === null) return null
  // "下午2:00-6:00": the period word covers both ends
  if (/^(下午|晚上)/.test(parts[0]!) && !/^(上午|早上|下午|晚上)/.test(parts[1]!) && b < 12 * 60) b += 12 * 60
  if (a === b) return null
  return `${hhmm(a)}-${hhmm(b)}`
}

function days(token: string): number[] | 'all' | null {
  const word = DAY_WORDS[token]
  if (word) return word
  const m = DAY_RANGE.exec(token)
  if (!m) return null
  const a = DAY_CHAR[m[1]!]!
  const b = m[2] ? DAY_CHAR[m[2]]! : a
  if (b < a) return null
  return Array.from({ length: b - a + 1 }, (_, i) => a + i)
}

function osmDays(set: Set<number>): string {
  const sorted = [...set].sort((x, y) => x - y)
  const runs: string[] = []
  for (let i = 0; i < sorted.length; ) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
    runs.push(j === i ? OSM_DAYS[sorted[i]!]! : j === i + 1 ? `${OSM_DAYS[sorted[i]!]},${OSM_DAYS[sorted[j]!]}` : `${OSM_DAYS[sorted[i]!]}-${OSM_DAYS[sorted[j]!]}`)
    i = j + 1
  }
  return runs.join(',')
}

/**
 * Opening hours as county ledgers write them → OpenStreetMap `opening_hours`. Converts what is
 * unambiguous: "8:00-20:00", "全天"/"24小时", "周一至周五 9:00-17:00", "工作日 9:00-17:00；周六 9:00-12:00",
 * "8:00-12:00、14:00-18:00", "下午2点-6点", "周一闭馆"; a value that already parses as OSM syntax is
 * kept. Anything else is reported with the part that was not understood, never guessed.
 *
 * @example chineseHours('周一至周五 9:00-17:00') // { value: 'Mo-Fr 09:00-17:00' }
 * @example chineseHours('节假日除外') // { problem: '…' }
 */
export function chineseHours(text: string): HoursResult {
  // a ledger repeats a handful of values thousands of times, and the opening_hours parser is the
  // slow part (≈ 0.3 ms a value): remember the answers
  let r = MEMO.get(text)
  if (!r) {
    if (MEMO.size >= 10_000) MEMO.clear()
    r = convert(text)
    MEMO.set(text, r)
  }
  return r
}

const MEMO = new Map<string, HoursResult>()

function convert(text: string): HoursResult {
  const raw = normalise(text)
  if (!raw) return { problem: 'empty' }
  // already OSM syntax (day names, 24/7, PH, off …): kept as written
  if (/^[\x20-\x7e]+$/.test(raw) && /[A-Za-z/]/.test(raw) && openingHoursProblem(raw) === null) return { value: raw }
  if (ALL_DAY.has(raw.replace(/\s+/g, ''))) return { value: '24/7' }
  // split days from times ("周一至周五9:00" → "周一至周五 9:00"), then into tokens
  const spaced = raw.replace(/([一二三四五六日天末作])(?=\d|上午|下午|早上|晚上|全天|24|休息|闭馆|关闭|不开放|休馆)/g, '$1 ').replace(/(\d)(?=周|星期|礼拜|工作日|每天|每日)/g, '$1;')
  const tokens = spaced.split(/[\s,，、;；]+/).filter(Boolean)
  const rules: { days: Set<number> | 'all'; times: string[]; closed: boolean }[] = []
  let current: (typeof rules)[number] | null = null
  for (const t of tokens) {
    const d = days(t)
    if (d) {
      if (!current || current.times.length || current.closed) {
        current = { days: d === 'all' ? 'all' : new Set(d), times: [], closed: false }
        rules.push(current)
      } else if (current.days !== 'all' && d !== 'all') {
        for (const x of d) current.days.add(x)
      } else current.days = 'all'
      continue
    }
    if (CLOSED.has(t) && current && current.times.length === 0) {
      current.closed = true
      continue
    }
    const r = timeRange(t)
    if (!r) return { problem: `"${t}" is not a day or a time range this importer understands; write OSM syntax such as "Mo-Fr 09:00-17:00"` }
    if (!current) {
      current = { days: 'all', times: [], closed: false }
      rules.push(current)
    }
    if (current.closed) return { problem: `"${text}": a day marked closed also has times` }
    current.times.push(r)
  }
  if (rules.length === 0) return { problem: 'no times found' }
  const parts: string[] = []
  for (const r of rules) {
    if (!r.closed && r.times.length === 0) return { problem: `days without times in "${text}"` }
    const dayText = r.days === 'all' ? '' : osmDays(r.days)
    const body = r.closed ? 'off' : r.times.join(',')
    parts.push(dayText ? `${dayText} ${body}` : body)
  }
  let value = parts.join('; ')
  if (value === '00:00-24:00') value = '24/7'
  const problem = openingHoursProblem(value)
  return problem ? { problem: `converted to "${value}", which does not parse: ${problem}` } : { value }
}
