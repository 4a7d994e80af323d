/** Account and session settings (README "Configuration"). */
export interface AuthConfig {
  /** a session ends after this long without a request (SESSION_IDLE_MINUTES, default 120) */
  sessionIdleMs: number
  /** and in any case this long after sign-in (SESSION_MAX_HOURS, default 168 = 7 days) */
  sessionAbsoluteMs: number
  /**
   * TRUST_PROXY=1: the server sits behind a reverse proxy that sets X-Forwarded-For / -Proto / -Host,
   * so those name the client, the scheme (Secure cookies) and the origin (CSRF). Off by default:
   * without a proxy anyone could forge them.
   */
  trustProxy: boolean
  /** sign-in attempts per account per window (LOGIN_MAX_PER_ACCOUNT, default 10 per 15 min) */
  loginPerAccount: number
  /** sign-in attempts per client address per window (LOGIN_MAX_PER_CLIENT, default 30 per 15 min) */
  loginPerClient: number
  loginWindowMs: number
}

export const DEFAULT_AUTH: AuthConfig = {
  sessionIdleMs: 120 * 60_000,
  sessionAbsoluteMs: 168 * 3600_000,
  trustProxy: false,
  loginPerAccount: 10,
  loginPerClient: 30,
  loginWindowMs: 15 * 60_000,
}

const num = (v: string | undefined) => (v === undefined || v === '' ? undefined : Number(v))

/** AuthConfig from the environment; a value that is not a positive number is refused at start-up. */
export function authConfigFromEnv(env: NodeJS.ProcessEnv): Partial<AuthConfig> {
  const out: Partial<AuthConfig> = {}
  const positive = (name: string, v: number | undefined) => {
    if (v === undefined) return undefined
    if (!Number.isFinite(v) || v <= 0) throw new Error(`${name} must be a positive number, got ${JSON.stringify(env[name])}`)
    return v
  }
  const idle = positive('SESSION_IDLE_MINUTES', num(env.SESSION_IDLE_MINUTES))
  if (idle) out.sessionIdleMs = idle * 60_000
  const max = positive('SESSION_MAX_HOURS', num(env.SESSION_MAX_HOURS))
  if (max) out.sessionAbsoluteMs = max * 3600_000
  const perAccount = positive('LOGIN_MAX_PER_ACCOUNT', num(env.LOGIN_MAX_PER_ACCOUNT))
  if (perAccount) out.loginPerAccount = Math.floor(perAccount)
  const perClient = positive('LOGIN_MAX_PER_CLIENT', num(env.LOGIN_MAX_PER_CLIENT))
  if (perClient) out.loginPerClient = Math.floor(perClient)
  if (env.TRUST_PROXY !== undefined) out.trustProxy = ['1', 'true', 'yes'].includes(env.TRUST_PROXY.toLowerCase())
  return out
}
