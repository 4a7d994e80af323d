/**
 * The Tianditu (天地图, the national platform of the Ministry of Natural Resources) basemap preset:
 * TIANDITU_KEY=… makes every page draw Tianditu's WMTS raster tiles — vector map `vec` + its
 * annotation `cva`, or imagery `img` + `cia` — instead of the offline basemap. Tianditu's `_w`
 * matrix set is Web Mercator over CGCS2000, which agrees with WGS-84 to centimetres: no offset
 * (unlike GCJ-02 maps), so our WGS-84 stations sit on its streets as they are.
 */

export const TIANDITU_LAYERS = ['vec', 'img'] as const
export type TiandituLayer = (typeof TIANDITU_LAYERS)[number]

export interface TiandituConfig {
  /** the 浏览器端 (browser) key from console.tianditu.gov.cn */
  key: string
  layer: TiandituLayer
  /** 审图号 (map approval number) shown with the map */
  reviewNo: string
}

/**
 * The approval number Tianditu's own site showed for its service when this was written
 * (国家地理信息公共服务平台, GS(2024)0568号, surveying licence 甲测资字1100471). It changes every
 * year or two, and this default could not be verified since (the repository is built and tested
 * offline): check the footer of www.tianditu.gov.cn and set TIANDITU_REVIEW_NO (README "Tianditu basemap").
 */
export const DEFAULT_TIANDITU_REVIEW_NO = 'GS(2024)0568号'
export const TIANDITU_LICENCE = '甲测资字1100471'

/** Tianditu spreads tiles over t0…t7; the CSP allows exactly these (and only with a key). */
export const TIANDITU_ORIGINS = Array.from({ length: 8 }, (_, i) => `https://t${i}.tianditu.gov.cn`)

/** TIANDITU_KEY / TIANDITU_LAYER / TIANDITU_REVIEW_NO → the preset, or null without a key. Throws naming the variable on a bad value. */
export function tiandituFromEnv(env: Record<string, string | undefined>): TiandituConfig | null {
  const key = env.TIANDITU_KEY?.trim()
  if (!key) return null
  if (!/^[0-9a-f]{32}$/i.test(key)) throw new Error('TIANDITU_KEY must be the 32-character key of a 浏览器端 application from console.tianditu.gov.cn')
  const layer = (env.TIANDITU_LAYER?.trim() || 'vec') as TiandituLayer
  if (!TIANDITU_LAYERS.includes(layer)) throw new Error(`TIANDITU_LAYER must be vec (map) or img (imagery), got ${env.TIANDITU_LAYER}`)
  return { key, layer, reviewNo: env.TIANDITU_REVIEW_NO?.trim() || DEFAULT_TIANDITU_REVIEW_NO }
}

/** WMTS GetTile URL templates of one Tianditu layer (MapLibre picks among the eight hosts). */
function wmts(layer: string, key: string): string[] {
  return TIANDITU_ORIGINS.map(
    (o) => `${o}/${layer}_w/wmts?SERVICE=WMTS&REQUEST=GetTile&VERSION=1.0.0&LAYER=${layer}&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk=${encodeURIComponent(key)}`,
  )
}

/** What the page needs to draw the preset: tile templates (base, annotation in Chinese and in English) and the attribution. */
export function tiandituBasemap(c: TiandituConfig) {
  const [zh, en] = c.layer === 'vec' ? ['cva', 'eva'] : ['cia', 'eia']
  return {
    layer: c.layer,
    tiles: wmts(c.layer, c.key),
    annotation_tiles: { zh: wmts(zh, c.key), en: wmts(en, c.key) },
    max_zoom: 18,
    attribution: `© 天地图 国家地理信息公共服务平台 · 审图号 ${c.reviewNo} · ${TIANDITU_LICENCE}`,
  }
}
