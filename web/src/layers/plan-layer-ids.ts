/**
 * The plan's deck.gl layer ids, apart from the layers themselves (plan-stations.ts) so the planner's
 * start-up code can name them for picking without loading deck.gl.
 */
export const PLAN_STATIONS_LAYER_ID = 'plan-stations'
/** numbered badges moved off their point by badgeSlots (badge-slots.ts), pickable like the point */
export const PLAN_BADGES_LAYER_ID = 'plan-site-badges'
