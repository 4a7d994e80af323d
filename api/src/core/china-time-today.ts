/** Time of day in China Standard Time (UTC+8 all year, no daylight saving since 1991). */

const CST_OFFSET_MS = 8 * 3600_000

/**
 * The instant at `hhmm` (e.g. "02:00") on today's date in China — what the API reads from
 * `at=HH:mm` — so the page and the server count the same stations as open.
 * Returns null for anything that is not HH:mm.
 * @example chinaTimeToday('02:00', new Date('2026-11-26T20:00:00Z')) // 2026-11-26T18:00:00Z (02:00 on 27 Nov in China)
 */
export function chinaTimeToday(hhmm: string, now: Date = new Date()): Date | null {
  const m = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(hhmm)
  if (!m) return null
  const today = new Date(now.getTime() + CST_OFFSET_MS).toISOString().slice(0, 10)
  return new Date(`${today}T${m[1]}:${m[2]}:00+08:00`)
}
