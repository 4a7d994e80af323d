import type { ReportProblem } from '@core/report-problems.ts'

/** One colour per problem (table chips, map legend and map points). */
export const PROBLEM_COLORS: Record<ReportProblem, string> = {
  closed: '#c62828',
  no_water: '#1565c0',
  no_power: '#ef6c00',
  moved: '#6a1b9a',
  dirty: '#6d4c41',
  other: '#546e7a',
}
