import type { TravelMode } from '../core/road-types.ts'

/**
 * How a plan's figures were measured, in words for an export (a CSV column, a GeoJSON property, an
 * xlsx note): a reader of the file must see whether "covered" meant a circle or a ride along roads.
 * @example coverageRuleLabel({ metric: 'network', mode: 'ebike', minutes: 5 }) // 'network: 5 min by ebike along roads (路网)'
 */
export function coverageRuleLabel(rule: { metric: 'straight' | 'network'; mode?: TravelMode | null; minutes?: number | null }): string {
  if (rule.metric === 'network' && rule.mode && rule.minutes) return `network: ${rule.minutes} min by ${rule.mode} along roads (路网)`
  return 'straight: within each station’s radius_m (直线)'
}
