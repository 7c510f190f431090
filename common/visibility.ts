/**
 * The field-visibility rule of the forms, for the host's journey (what is validated and
 * submitted) and the renderer's journey screen (what is shown) alike: a field with a condition is
 * visible when the field it names holds the value it asks for, and that field is visible itself. A
 * condition may name a field of an earlier step (its value then comes from the journey so far).
 */

/** What the rule needs of a field definition (api/forms.ts `FieldDefinition` has this shape). */
export interface ConditionalField {
  readonly id: string;
  readonly visibleIf?: { readonly field: string; readonly equals: string | boolean } | undefined;
}

/**
 * Whether `field` is visible given `values` (field id → value). `fields` are the fields of the
 * same step: a field whose controlling field among them is hidden is hidden too.
 */
export function isVisible(
  field: ConditionalField,
  values: Readonly<Record<string, unknown>>,
  fields: readonly ConditionalField[] = [],
  seen: ReadonlySet<string> = new Set(),
): boolean {
  const condition = field.visibleIf;
  if (!condition) return true;
  const controlling = fields.find((f) => f.id === condition.field);
  if (controlling && !seen.has(controlling.id)) {
    if (!isVisible(controlling, values, fields, new Set([...seen, field.id]))) return false;
  }
  return values[condition.field] === condition.equals;
}
