/**
 * A duration setting from the environment: a whole number of milliseconds ≥ 0, or undefined when
 * unset or empty. A bad value stops start-up with a message naming the variable.
 * @example envMilliseconds('STATEMENT_TIMEOUT_MS') // 15000 with STATEMENT_TIMEOUT_MS=15000
 */
export function envMilliseconds(name: string, env: NodeJS.ProcessEnv = process.env): number | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  const ms = Number(raw)
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`${name}: must be a whole number of milliseconds ≥ 0, got "${raw}"`)
  return ms
}
