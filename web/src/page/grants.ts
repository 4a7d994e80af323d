/**
 * Who may write where, as the server decides it (api/src/auth/authorize.ts): an admin everywhere; an
 * editor in a granted county, or in any county of a granted city; nobody else. Pure, for the pages'
 * buttons and prompts (the server checks again on every write).
 */

/** The smallest shape of an account this needs (GET /api/auth/me's user). */
export interface Grantee {
  role: 'admin' | 'editor'
  regions: string[]
  disabled: boolean
}

/** GB/T 2260: a county 370828 lies in city 370800, a city in province 370000. */
export function codeParent(code: string): string | null {
  if (!/^\d{6}$/.test(code)) return null
  if (!code.endsWith('00')) return `${code.slice(0, 4)}00`
  if (!code.endsWith('0000')) return `${code.slice(0, 2)}0000`
  return null
}

/** The region and its ancestors, from the region data's parents where known, else from the code. */
export function lineage(code: string, parents: ReadonlyMap<string, string | null> = new Map()): string[] {
  const out: string[] = []
  for (let c: string | null | undefined = code; c && out.length < 4; c = parents.has(c) ? parents.get(c) : codeParent(c)) out.push(c)
  return out
}

/** May `user` write in `region`? (null region: only an admin.) */
export function mayWriteIn(user: Grantee | null, region: string | null, parents?: ReadonlyMap<string, string | null>): boolean {
  if (!user || user.disabled) return false
  if (user.role === 'admin') return true
  if (!region) return false
  return lineage(region, parents).some((c) => user.regions.includes(c))
}

/** Where the sign-in page sends the user afterwards: a path on this site (never `//host`, a URL or /signin itself), else the map. */
export function nextPath(search: string): string {
  const next = new URLSearchParams(search).get('next') ?? '/'
  return next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') && !next.startsWith('/signin') ? next : '/'
}
