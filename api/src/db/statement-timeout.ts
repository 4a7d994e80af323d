/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout or a CancelRequest. */
const QUERY_CANCELED = '57014'

/**
 * Whether an error is a statement that PostgreSQL stopped because it ran past `statement_timeout`
 * (the server answers 503 over_budget), as opposed to one cancelled because its client left.
 */
export function isStatementTimeout(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === QUERY_CANCELED && /statement timeout/.test(String((err as { message?: unknown }).message))
}
