/** Basemap colours: quiet neutrals so the four station colours carry the map. */
export const PALETTE = {
  background: '#e4e7e3',
  focusFill: '#fbfaf6',
  contextFill: '#eeeee9',
  focusBorder: '#8e98a4',
  focusHalo: '#c9a86a',
  contextBorder: '#c5c6bf',
  cityLine: '#6f6386',
  cityCasing: '#ffffff',
  focusLabel: '#2e3846',
  contextLabel: '#8a8e96',
  cityLabel: '#5b5170',
  labelHalo: 'rgba(255, 255, 255, 0.92)',
} as const
