/**
 * One scale for 1080p and 4K: tour.css sets the root font size from the viewport (16 px at
 * 1920×1080, 32 px at 3840×2160), every panel is sized in rem, and the map's pixel sizes (label
 * text, line widths, station dots) are multiplied by the same factor, so the screen looks the
 * same from across the room whatever its resolution. Crispness comes from devicePixelRatio,
 * which MapLibre and deck.gl both honour.
 */
export function uiScale(): number {
  const px = parseFloat(getComputedStyle(document.documentElement).fontSize)
  return Number.isFinite(px) && px > 0 ? px / 16 : 1
}
