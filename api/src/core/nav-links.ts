import { fromWgs84, type LonLat } from './crs.ts'

export interface NavLinks {
  /** 高德地图 marker page / app: GCJ-02, longitude first */
  amap: string
  /** 百度地图 marker page / app: BD-09, latitude first */
  baidu: string
  /** RFC 5870 `geo:` URI: WGS-84, latitude first; Android hands it to any installed map app */
  geo: string
}

export interface NavLinkOptions {
  /** label shown at the marker (station name) */
  name?: string
  /** Baidu asks every caller to identify itself as `webapp.<company>.<app>` */
  src?: string
}

/** 6 decimals ≈ 0.1 m: far finer than any phone fix, short enough for a URL. */
const fixed = (x: number) => x.toFixed(6)

/**
 * Navigation deep links to a WGS-84 point, each in the coordinate system its app expects
 * (DESIGN §5). Passing WGS-84 to Amap or Baidu as-is puts the marker 300–700 m off in China,
 * which is why the conversion lives here, tested, rather than in the page.
 * @param lonlat [longitude, latitude] in WGS-84 degrees (what we store)
 * @param options name for the marker label; src for Baidu's caller id
 * @returns the three URLs
 * @example navLinks([116.311, 35.067], { name: '金乡县骑士驿站' }).amap
 *   // 'https://uri.amap.com/marker?position=116.316…,35.066…&name=…&coordinate=gaode&callnative=1'
 */
export function navLinks(lonlat: LonLat, options: NavLinkOptions = {}): NavLinks {
  const name = options.name?.trim() || '驿站'
  const src = options.src ?? 'webapp.stationatlas.rider'
  const [gLon, gLat] = fromWgs84(lonlat, 'GCJ02')
  const [bLon, bLat] = fromWgs84(lonlat, 'BD09')
  const [lon, lat] = lonlat
  const amap = new URL('https://uri.amap.com/marker')
  amap.search = new URLSearchParams({
    position: `${fixed(gLon)},${fixed(gLat)}`,
    name,
    coordinate: 'gaode',
    // open the Amap app when it is installed, the web page otherwise
    callnative: '1',
  }).toString()
  const baidu = new URL('https://api.map.baidu.com/marker')
  baidu.search = new URLSearchParams({
    location: `${fixed(bLat)},${fixed(bLon)}`,
    title: name,
    content: name,
    coord_type: 'bd09ll',
    output: 'html',
    src,
  }).toString()
  // `?q=lat,lon(label)` is the Android extension that drops a labelled pin
  const geo = `geo:${fixed(lat)},${fixed(lon)}?q=${fixed(lat)},${fixed(lon)}(${encodeURIComponent(name)})`
  return { amap: amap.toString(), baidu: baidu.toString(), geo }
}
