import OpeningHours from 'opening_hours'

/**
 * Why an OpenStreetMap `opening_hours` value does not parse (the parser's own message), or null when
 * it does. Parsed with China as the country, as `isOpenAt` evaluates it, so `PH off` is accepted.
 *
 * @example openingHoursProblem('Mo-Fr 08:00-20:00') // null
 */
export function openingHoursProblem(value: string): string | null {
  try {
    new OpeningHours(value, { lat: 35, lon: 116, address: { country_code: 'cn', state: '' } })
    return null
  } catch (err) {
    return String(err instanceof Error ? err.message : err).trim() || 'does not parse'
  }
}
