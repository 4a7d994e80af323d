/**
 * What a rider can report at a stop, and a report's states. Plain constants (no zod) so the rider
 * page can import them without pulling the schema library into its bundle.
 */
export const REPORT_PROBLEMS = ['closed', 'no_water', 'no_power', 'moved', 'dirty', 'other'] as const
export type ReportProblem = (typeof REPORT_PROBLEMS)[number]

export const REPORT_STATUSES = ['open', 'resolved'] as const
export type ReportStatus = (typeof REPORT_STATUSES)[number]
