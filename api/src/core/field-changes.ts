/** `{ field: [before, after] }` for each field whose value differs. */
export type FieldChanges = Record<string, [unknown, unknown]>

/**
 * The fields that differ between two versions of a record, with both values. A missing record
 * (`null`: before a create, after a delete) counts as every field being null. Values are compared
 * as JSON, so arrays such as amenities compare by content.
 *
 * @example fieldChanges({ name: 'a', phone: null }, { name: 'b', phone: null }) // { name: ['a', 'b'] }
 */
export function fieldChanges(before: Record<string, unknown> | null, after: Record<string, unknown> | null): FieldChanges {
  const out: FieldChanges = {}
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})])
  for (const k of keys) {
    const b = before?.[k] ?? null
    const a = after?.[k] ?? null
    if (JSON.stringify(b) !== JSON.stringify(a)) out[k] = [b, a]
  }
  return out
}
