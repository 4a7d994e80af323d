/**
 * `hooks.idle` for a page with a map and a deck.gl overlay: true once the page says its content is
 * ready, deck.gl has drawn the latest layers and the map has gone idle; false again whenever one
 * of them changes. Call `layersChanged()` after handing deck.gl new layers, `deckDrawn()` from its
 * onAfterRender, `mapIdle()`/`mapBusy()` from map events and `setReady()` from the page.
 */
export class IdleTracker {
  private layerVersion = 0
  private drawnVersion = -1
  private mapIsIdle = false
  private ready = false

  /** `repaint` asks the map for one more frame; `onIdle` hears every time idle turns true */
  constructor(
    private readonly hooks: { idle: boolean },
    private readonly repaint: () => void = () => {},
    private readonly onIdle: () => void = () => {},
  ) {}

  setReady(ready: boolean): void {
    this.ready = ready
    this.update()
  }
  layersChanged(): void {
    this.layerVersion++
    this.update()
  }
  deckDrawn(): void {
    if (this.drawnVersion === this.layerVersion) return
    this.drawnVersion = this.layerVersion
    this.update()
    // the map may already have gone idle before deck drew: ask it for one more frame
    if (!this.hooks.idle) this.repaint()
  }
  mapIdle(): void {
    this.mapIsIdle = true
    this.update()
  }
  mapBusy(): void {
    this.mapIsIdle = false
    this.update()
  }
  /** re-announce idle (a waiter that arrived after it turned true) */
  check(): void {
    this.update()
  }
  private update(): void {
    this.hooks.idle = this.ready && this.mapIsIdle && this.drawnVersion === this.layerVersion
    if (this.hooks.idle) this.onIdle()
  }
}
