/**
 * The stations the edit layer works on: those in the map's view (every status, so a retired one can
 * be restored), read with one bounded, paged `/api/stations?bbox=` request set, only from a zoom at
 * which a county's stations can be told apart. A newer view cancels the read of an older one.
 */
import { fetchStationsInBox } from '../../api.ts'
import type { StationFeature } from '../../types.ts'

/** Below this zoom the view holds too many stations to edit one by one. */
export const MIN_EDIT_ZOOM = 11
/** At most this many stations in one view (a dense city centre at z 11): beyond, ask to zoom in. */
export const MAX_VIEW_STATIONS = 2000

export type BBox = [number, number, number, number]

/** The view's box grown by `pad` of its size on each side (a small pan needs no new read), clamped to the globe. */
export function paddedBox([w, s, e, n]: BBox, pad = 0.25): BBox {
  const dx = (e - w) * pad
  const dy = (n - s) * pad
  const r = (x: number) => Math.round(x * 1e5) / 1e5
  return [r(Math.max(-180, w - dx)), r(Math.max(-90, s - dy)), r(Math.min(180, e + dx)), r(Math.min(90, n + dy))]
}

/** Whether `inner` lies inside `outer`. */
export function boxWithin(inner: BBox, outer: BBox): boolean {
  return inner[0] >= outer[0] && inner[1] >= outer[1] && inner[2] <= outer[2] && inner[3] <= outer[3]
}

export class ViewStations {
  stations: StationFeature[] = []
  truncated = false
  loaded: BBox | null = null
  loading = false
  error: string | null = null
  private ctrl: AbortController | null = null

  /** Reads the stations of `view` (padded) unless the last read already covers it; `force` reads again. */
  async load(view: BBox, force = false): Promise<boolean> {
    if (!force && this.loaded && boxWithin(view, this.loaded) && !this.truncated) return false
    this.ctrl?.abort()
    const ctrl = (this.ctrl = new AbortController())
    const box = paddedBox(view)
    this.loading = true
    try {
      const got = await fetchStationsInBox(box, MAX_VIEW_STATIONS, ctrl.signal)
      if (ctrl.signal.aborted) return false
      this.stations = got.features
      this.truncated = got.truncated
      this.loaded = box
      this.error = null
      return true
    } catch (err) {
      if (ctrl.signal.aborted) return false
      this.error = err instanceof Error ? err.message : String(err)
      return true
    } finally {
      if (this.ctrl === ctrl) this.loading = false
    }
  }

  /** Puts a written station in place (or adds it), so the map shows the write at once. */
  put(station: StationFeature): void {
    const i = this.stations.findIndex((s) => s.properties.id === station.properties.id)
    this.stations = i === -1 ? [...this.stations, station] : this.stations.map((s, j) => (j === i ? station : s))
  }

  get(id: string): StationFeature | undefined {
    return this.stations.find((s) => s.properties.id === id)
  }

  clear(): void {
    this.ctrl?.abort()
    this.stations = []
    this.loaded = null
    this.loading = false
  }
}
