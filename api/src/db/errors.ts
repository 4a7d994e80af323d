/**
 * The failures db/ reports, as plain domain errors: they say what is wrong in the data's terms and
 * know nothing of HTTP. `api/src/http/errors.ts` (onError) turns each into its status and code.
 */

/** What a lookup was for: the thing that does not exist. */
export type MissingKind = 'region' | 'layer' | 'station' | 'report' | 'scenario'

/** A lookup by id or code found nothing (→ 404 `not_found`). */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError'
  constructor(
    readonly kind: MissingKind,
    readonly id: string,
    message = `${kind}: no ${kind} has id ${id}`,
  ) {
    super(message)
  }
}

/**
 * A well-formed argument the data cannot honour, e.g. a resolution finer than the layer is stored
 * at (→ 400, `invalid_query` or `invalid_body` by where the request carried it). `field` is the
 * argument's name as the request spells it; `rule` the rule it broke, in a few words.
 */
export class InvalidArgumentError extends Error {
  override readonly name = 'InvalidArgumentError'
  constructor(
    readonly field: string,
    readonly rule: string,
    message: string,
  ) {
    super(message)
  }
}
