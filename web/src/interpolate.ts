/**
 * Fills `{name}` placeholders of a UI string; every page's string table uses it.
 * @example interpolate('{n} 个驿站', { n: 5 }) // '5 个驿站'
 */
export function interpolate(template: string, vars: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? ''))
}
