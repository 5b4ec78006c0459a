import * as v from 'valibot';

/** The error body every failure shares, for the OpenAPI document. */
export const ErrorBody = v.object({
  error: v.object({
    code: v.string(),
    message: v.string(),
    details: v.optional(v.array(v.object({ path: v.string(), message: v.string() }))),
  }),
  request_id: v.string(),
});

/** A whole number within bounds, with a message naming them. */
export function boundedInteger(min: number, max: number) {
  return v.pipe(
    v.number('must be a number'),
    v.integer('must be a whole number'),
    v.minValue(min, `must be between ${min} and ${max}`),
    v.maxValue(max, `must be between ${min} and ${max}`),
  );
}

/** A PATCH body must change something. */
export function nonEmptyPatch<T extends v.GenericSchema<Record<string, unknown>>>(schema: T) {
  return v.pipe(
    schema,
    v.check((value) => Object.keys(value).length > 0, 'must name at least one field to change'),
  );
}

/** Loose object: the answer documents shown in OpenAPI where the shape is open-ended. */
export const AnyObject = v.record(v.string(), v.unknown());
