/**
 * Where the rider is. Browsers give WGS-84 (the W3C Geolocation API is defined in WGS-84), which
 * is what the API and the map use: no conversion here. (Some Chinese in-app browsers hand out
 * GCJ-02; this page is meant for the phone's own browser.)
 */
export type Origin =
  | { lon: number; lat: number; source: 'gps'; accuracy_m: number }
  | { lon: number; lat: number; source: 'tap' }
  | { lon: number; lat: number; source: 'search'; name: string; approx: boolean; seat?: boolean }

export type LocateFailure = 'denied' | 'unavailable' | 'timeout' | 'unsupported'

export function locate(timeoutMs = 12_000): Promise<Origin> {
  return new Promise((resolve, reject: (reason: LocateFailure) => void) => {
    if (!('geolocation' in navigator)) return reject('unsupported')
    navigator.geolocation.getCurrentPosition(
      (p) => resolve({ lon: p.coords.longitude, lat: p.coords.latitude, source: 'gps', accuracy_m: p.coords.accuracy }),
      (e) => reject(e.code === e.PERMISSION_DENIED ? 'denied' : e.code === e.TIMEOUT ? 'timeout' : 'unavailable'),
      // a fix up to a minute old is fine for "what is near me"; high accuracy wakes GPS on phones
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 60_000 },
    )
  })
}

const LAST_KEY = 'atlas.rider.origin'

/** The last position used, so a reload (or an offline start) begins where the rider was. */
export function lastOrigin(): Origin | null {
  try {
    const o = JSON.parse(localStorage.getItem(LAST_KEY) ?? 'null') as Origin | null
    return o && Number.isFinite(o.lon) && Number.isFinite(o.lat) ? o : null
  } catch {
    return null
  }
}
export function rememberOrigin(o: Origin): void {
  try {
    localStorage.setItem(LAST_KEY, JSON.stringify(o))
  } catch {
    /* not remembered */
  }
}

const COUNTY_KEY = 'atlas.rider.lastCounty'

/** The county (or programme place) of the last list or jump: where the map starts when there is no position. */
export function lastCounty(): string | null {
  try {
    const c = localStorage.getItem(COUNTY_KEY)
    return c && /^\d{6}$/.test(c) ? c : null
  } catch {
    return null
  }
}
export function rememberLastCounty(code: string | null): void {
  if (!code || !/^\d{6}$/.test(code)) return
  try {
    localStorage.setItem(COUNTY_KEY, code)
  } catch {
    /* not remembered */
  }
}
