/**
 * When a form field is shown and checked: the one rule for the kiosk's form engine (core/forms)
 * and the journey screen (renderer/journey). A field with a condition is visible while the field
 * the condition names holds the value; and when that field is itself hidden by a condition, so is
 * every field that depends on it. Structural types, so service definitions (api/forms.ts) fit.
 */

export interface VisibilityCondition {
  readonly field: string;
  readonly equals: string | boolean;
}

export interface ConditionalField {
  readonly id: string;
  readonly visibleIf?: VisibilityCondition | undefined;
}

/**
 * Whether `field` is visible with these answers. `fields`: the fields around it (the same step),
 * so that a field whose controlling question is hidden is hidden too; without them only the
 * answer counts (the host drops the answers of hidden fields as a step is submitted).
 */
export function isVisible(
  field: ConditionalField,
  values: Readonly<Record<string, unknown>>,
  fields: readonly ConditionalField[] = [],
): boolean {
  const seen = new Set<string>();
  let current: ConditionalField | undefined = field;
  while (current?.visibleIf) {
    const condition: VisibilityCondition = current.visibleIf;
    const other = condition.field;
    if (values[other] !== condition.equals || seen.has(current.id)) return false;
    seen.add(current.id);
    current = fields.find((f) => f.id === other);
  }
  return true;
}
