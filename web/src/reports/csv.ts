/**
 * The filtered list as a CSV file for Excel: UTF-8 with a byte-order mark (so Excel reads 中文),
 * a header row in the page's language, and every text cell that starts with = + - @ (or a tab or
 * carriage return) prefixed with ' by papaparse's `escapeFormulae`, so a rider's note can never
 * run as a formula in an editor's spreadsheet (CSV injection). Coordinates stay numbers.
 */
import Papa from 'papaparse'
import { formatDateTime } from '../format.ts'
import type { Lang } from '../i18n/lang.ts'
import { kindName } from '../i18n/names.ts'
import type { ReportRow } from './paging.ts'
import { t } from './strings.ts'

export const BOM = '\ufeff'

export interface CsvNames {
  /** a region code → its name in the page's language */
  region(code: string | null): string
}

export function reportsCsv(rows: readonly ReportRow[], names: CsvNames, lang: Lang): string {
  const fields = [t('colTime'), t('colPlace'), t('colCounty'), t('colStation'), t('colKind'), t('colProblem'), t('colNote'), t('colStatus'), t('csvLon'), t('csvLat'), t('csvResolvedAt'), t('csvId')]
  const data = rows.map((r) => [
    formatDateTime(new Date(r.created_at)),
    names.region(r.place_code),
    names.region(r.county_code),
    r.station_name,
    r.station_kind ? kindName(r.station_kind, 'full', lang) : '',
    t(`problem.${r.problem}`),
    r.note,
    t(`status.${r.status}`),
    r.position ? r.position[0] : '',
    r.position ? r.position[1] : '',
    r.resolved_at ? formatDateTime(new Date(r.resolved_at)) : '',
    r.id,
  ])
  return BOM + Papa.unparse({ fields, data }, { escapeFormulae: true, newline: '\r\n' })
}

/** `stationatlas-reports-2026-12-01.csv` (the day in China Standard Time). */
export function csvFileName(at: Date): string {
  const day = at.toLocaleDateString('sv-SE', { timeZone: 'Asia/Shanghai' })
  return `stationatlas-reports-${day}.csv`
}
