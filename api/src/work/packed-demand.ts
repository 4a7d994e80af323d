import type { DemandItem } from '../core/demand-item.ts'

/**
 * Demand items as a few flat arrays, to hand to a worker thread: posting typed arrays and one joined
 * string is a memory copy, where structured-cloning the objects costs the request thread ~10 ms per
 * 1,000 items (黑河市 at res 9, 83,761 items: packing 45–78 ms once, cloning the objects 830–1,370 ms
 * every time, measured on this machine under load). Packed once per demand array (they are cached
 * and never changed), then copied to the worker each time, so nothing is transferred away.
 */
export interface PackedDemand {
  lon: Float64Array
  lat: Float64Array
  weight: Float64Array
  /** H3 indexes joined by "," */
  h3: string
  /** index into `regions` per item, -1 for none */
  region: Int32Array
  regions: string[]
}

const packed = new WeakMap<readonly DemandItem[], PackedDemand>()

/** packDemand, remembered per array (callers never change an array they passed). */
export function packDemand(items: readonly DemandItem[]): PackedDemand {
  let p = packed.get(items)
  if (!p) {
    const steps = packItems(items, Infinity)
    let r = steps.next()
    while (!r.done) r = steps.next()
    packed.set(items, (p = r.value))
  }
  return p
}

/**
 * packDemand done ahead, in slices with a pause between them (the thread answers other requests
 * meanwhile), for an array just loaded into the demand cache: the first request over it then finds
 * it packed. Packing 黑河市's 98k res-9 cells in one go held the thread 45–78 ms.
 */
export async function packDemandAhead(items: readonly DemandItem[], sliceSize = 8192): Promise<void> {
  if (packed.has(items)) return
  const steps = packItems(items, sliceSize)
  let r = steps.next()
  while (!r.done) {
    await new Promise<void>((resolve) => setImmediate(resolve))
    r = steps.next()
  }
  packed.set(items, r.value)
}

function* packItems(items: readonly DemandItem[], sliceSize: number): Generator<void, PackedDemand, void> {
  const n = items.length
  const lon = new Float64Array(n)
  const lat = new Float64Array(n)
  const weight = new Float64Array(n)
  const region = new Int32Array(n)
  const regions: string[] = []
  const regionIndex = new Map<string, number>()
  const h3 = new Array<string>(n)
  for (let i = 0; i < n; i++) {
    const d = items[i]!
    lon[i] = d.lon
    lat[i] = d.lat
    weight[i] = d.weight
    h3[i] = d.h3
    if (d.region_code === null) region[i] = -1
    else {
      let r = regionIndex.get(d.region_code)
      if (r === undefined) regionIndex.set(d.region_code, (r = regions.push(d.region_code) - 1))
      region[i] = r
    }
    if ((i + 1) % sliceSize === 0) yield
  }
  return { lon, lat, weight, h3: h3.join(','), region, regions }
}

export function unpackDemand(p: PackedDemand): DemandItem[] {
  const h3 = p.lon.length ? p.h3.split(',') : []
  const out = new Array<DemandItem>(p.lon.length)
  for (let i = 0; i < out.length; i++) {
    const r = p.region[i]!
    out[i] = { h3: h3[i]!, lon: p.lon[i]!, lat: p.lat[i]!, weight: p.weight[i]!, region_code: r < 0 ? null : p.regions[r]! }
  }
  return out
}
