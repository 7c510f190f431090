import { describe, expect, it } from 'vitest';
import type { FieldDefinition } from '../../../../api/forms.ts';
import { validateField, validateStep } from '../../../../core/forms/validate.ts';

const today = '2026-11-29';
const field = (type: FieldDefinition['type'], extra: Partial<FieldDefinition> = {}): FieldDefinition => ({
  id: 'f',
  type,
  required: true,
  ...extra,
});

describe('validateField', () => {
  it('requires required fields and accepts empty optional ones', () => {
    expect(validateField(field('text'), '   ', today)).toBe('required');
    expect(validateField(field('text'), null, today)).toBe('required');
    expect(validateField(field('text', { required: false }), '', today)).toBeNull();
    expect(validateField(field('boolean'), false, today)).toBe('must_accept');
    expect(validateField(field('boolean'), true, today)).toBeNull();
    expect(validateField(field('boolean'), 'yes', today)).toBe('wrong_type');
    expect(validateField(field('text'), true, today)).toBe('wrong_type');
  });

  it('accepts names in every visitor script and refuses digits and symbols', () => {
    for (const name of [
      'Ayşe Yılmaz',
      'Олена Коваленко',
      'محمد الأحمد',
      "O'Brien-Smith",
      'Müller',
      'Nguyễn Văn A.',
    ]) {
      expect(validateField(field('name'), name, today), name).toBeNull();
    }
    for (const name of ['R2D2', 'Anna <script>', '-Anna', '@home']) {
      expect(validateField(field('name'), name, today), name).toBe('invalid_name');
    }
    expect(validateField(field('name'), 'A'.repeat(81), today)).toBe('too_long');
  });

  it('checks calendar dates and their range', () => {
    expect(validateField(field('date'), '2026-02-29', today)).toBe('invalid_date');
    expect(validateField(field('date'), '2024-02-29', today)).toBeNull();
    expect(validateField(field('date'), '29.11.1990', today)).toBe('invalid_date');
    expect(validateField(field('date'), '1899-12-31', today)).toBe('invalid_date');
    expect(validateField(field('date', { dateRange: 'past' }), '2026-11-30', today)).toBe('date_in_future');
    expect(validateField(field('date', { dateRange: 'past' }), today, today)).toBeNull();
    expect(validateField(field('date', { dateRange: 'future' }), '2026-11-28', today)).toBe('date_in_past');
  });

  it('checks phones, e-mails, numbers, amounts, postcodes and countries', () => {
    expect(validateField(field('phone'), '+49 30 1234567', today)).toBeNull();
    expect(validateField(field('phone'), '12345', today)).toBe('invalid_phone');
    expect(validateField(field('phone'), '+49 30 CALL ME', today)).toBe('invalid_phone');
    expect(validateField(field('email'), 'a.b@example.org', today)).toBeNull();
    expect(validateField(field('email'), 'a.b@example', today)).toBe('invalid_email');
    expect(validateField(field('number', { min: 0, max: 20 }), '21', today)).toBe('too_large');
    expect(validateField(field('number'), '-1', today)).toBe('not_a_number');
    expect(validateField(field('money', { min: 0 }), '1850,50', today)).toBeNull();
    expect(validateField(field('money'), '1.850,50', today)).toBe('invalid_amount');
    expect(validateField(field('postcode'), '04109', today)).toBeNull();
    expect(validateField(field('postcode'), '4109', today)).toBe('invalid_postcode');
    expect(validateField(field('country'), 'TUR', today)).toBeNull();
    expect(validateField(field('country'), 'D', today)).toBeNull();
    expect(validateField(field('country'), 'Türkei', today)).toBe('invalid_country');
  });

  it('accepts only the options of a choice', () => {
    const choice = field('choice', { options: ['a', 'b'] });
    expect(validateField(choice, 'a', today)).toBeNull();
    expect(validateField(choice, 'c', today)).toBe('invalid_choice');
    expect(validateField(choice, null, today)).toBe('choose_one');
  });
});

describe('validateStep', () => {
  it('skips hidden fields and checks rules between valid fields', () => {
    const step = {
      fields: [
        field('choice', { id: 'urgency', options: ['normal', 'deadline'] }),
        field('date', { id: 'deadline', visibleIf: { field: 'urgency', equals: 'deadline' } }),
        field('date', { id: 'arrival' }),
        field('date', { id: 'departure' }),
      ],
      checks: [{ kind: 'notBefore' as const, field: 'departure', other: 'arrival' }],
    };
    expect(
      validateStep(step, { urgency: 'normal', arrival: '2027-01-10', departure: '2027-01-09' }, today),
    ).toEqual({
      departure: 'before_other',
    });
    expect(validateStep(step, { urgency: 'deadline', arrival: '2027-01-10', departure: 'x' }, today)).toEqual(
      {
        deadline: 'required',
        departure: 'invalid_date',
      },
    );
  });
});
