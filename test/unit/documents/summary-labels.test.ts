import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import labelTable from '../../../core/documents/summary-labels.de.json' with { type: 'json' };
import type { ServiceDefinition } from '../../../core/forms/journey.ts';
import { serviceDefinitions } from '../../../core/services/index.ts';
import { summarySections } from '../../../core/submit.ts';

/**
 * The authority's summary is labelled from one German table kept with the documents
 * (core/documents/summary-labels.de.json), never from the screen's texts: here the screen's German
 * file says something else for every service, and the summary does not change.
 */
vi.mock('../../../renderer/locales/de.json', async (original) => {
  const texts = (await original()) as { default: Record<string, unknown> };
  const changed = JSON.parse(JSON.stringify(texts.default), (_key, value: unknown) =>
    typeof value === 'string' ? 'SCREEN TEXT' : value,
  ) as Record<string, unknown>;
  return { default: changed };
});

// The unit project's files share their worker's modules (isolate: false): the changed screen
// texts end with this file.
afterAll(() => {
  vi.doUnmock('../../../renderer/locales/de.json');
  vi.resetModules();
});

const projectRoot = join(import.meta.dirname, '..', '..', '..');

/** Answers for every field of a definition: the first option of a choice, a date, yes, a text. */
function everyAnswer(definition: ServiceDefinition): Record<string, string | boolean> {
  const values: Record<string, string | boolean> = {};
  for (const step of definition.steps)
    for (const field of step.fields)
      values[field.id] =
        field.type === 'choice'
          ? (field.options?.[0] ?? '')
          : field.type === 'date'
            ? '1990-01-31'
            : field.type === 'boolean'
              ? true
              : 'Text';
  return values;
}

const summarised = [...serviceDefinitions.values()].filter(
  (d) => d.submission === 'application' || d.submission === 'callback',
);

describe("the authority's summary labels", () => {
  it('come from the German table of the documents, whatever the screen says', async () => {
    const screen = (await import('../../../renderer/locales/de.json')).default as {
      services: Record<string, { title: string }>;
    };
    expect(screen.services['callback-request']?.title).toBe('SCREEN TEXT');
    for (const definition of summarised) {
      const table = labelTable.services[definition.id as keyof typeof labelTable.services];
      expect(table, definition.id).toBeDefined();
      const sections = summarySections(definition, everyAnswer(definition));
      expect(sections.length, definition.id).toBeGreaterThan(0);
      for (const section of sections) {
        expect(Object.values(table.steps)).toContain(section.title);
        for (const field of section.fields) {
          expect(field.label, `${definition.id}: ${field.label}`).not.toMatch(/^services\.|SCREEN TEXT/);
          expect(field.value).not.toMatch(/^services\.|SCREEN TEXT/);
        }
      }
    }
  });

  it('label every step, field and choice of every service that sends a summary', () => {
    for (const definition of summarised) {
      const table = labelTable.services[definition.id as keyof typeof labelTable.services] as {
        steps: Record<string, string>;
        fields: Record<string, { label: string; options?: Record<string, string> }>;
      };
      for (const step of definition.steps.filter((s) => s.fields.length > 0)) {
        expect(table.steps[step.id], `${definition.id}.${step.id}`).toBeTruthy();
        for (const field of step.fields) {
          expect(table.fields[field.id]?.label, `${definition.id}.${field.id}`).toBeTruthy();
          for (const option of field.type === 'choice' ? (field.options ?? []) : [])
            expect(
              table.fields[field.id]?.options?.[option],
              `${definition.id}.${field.id}.${option}`,
            ).toBeTruthy();
        }
      }
    }
  });

  it('are read by no core module from the screen texts', () => {
    const sources = (dir: string): string[] =>
      readdirSync(join(projectRoot, dir), { withFileTypes: true }).flatMap((entry) =>
        entry.isDirectory()
          ? sources(join(dir, entry.name))
          : entry.name.endsWith('.ts')
            ? [join(dir, entry.name)]
            : [],
      );
    const readers = sources('core').filter((file) =>
      /from '[./]*renderer\//.test(readFileSync(join(projectRoot, file), 'utf8')),
    );
    expect(readers).toEqual([]);
  });
});
