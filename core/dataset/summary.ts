/**
 * The authority's German summary, read from the data set the authority receives (not from the
 * screens): one section per element of the data set (antragsteller, aufenthaltstitel, gast, …) in
 * the data set's order, each answer under the German label of the documents' table
 * (core/documents/summary-labels.ts), and a first section naming the public service and schema.
 */
import type { FieldDefinition } from '../../api/forms.ts';
import { publicServices } from '../../sync/protocol/datasets.ts';
import { type SummarySection, summaryLabels } from '../documents/index.ts';
import type { ServiceDefinition } from '../forms/journey.ts';
import { type DataSet, pathsOf } from './index.ts';

/** The data set's leaves in order: its path and its value. */
function leaves(node: unknown, prefix: string): [string, unknown][] {
  if (node === null || typeof node !== 'object' || Array.isArray(node)) return [[prefix, node]];
  return Object.entries(node).flatMap(([name, child]) =>
    leaves(child, prefix === '' ? name : `${prefix}.${name}`),
  );
}

const header = new Set(['$schema', 'version', 'leikaKey']);

export function dataSetSections(definition: ServiceDefinition, dataSet: DataSet): SummarySection[] {
  const service = definition.id;
  const byPath = new Map([...pathsOf(definition)].map(([id, path]) => [path, id]));
  const fields = new Map<string, FieldDefinition>(
    definition.steps.flatMap((s) => s.fields.map((f) => [f.id, f] as const)),
  );
  const show = (field: FieldDefinition, value: unknown): string => {
    if (typeof value === 'boolean') return value ? summaryLabels.yes : summaryLabels.no;
    const text = String(value);
    if (field.type === 'choice') return summaryLabels.option(service, field.id, text);
    if (field.type === 'date') return text.split('-').reverse().join('.');
    return text;
  };
  const sections = new Map<string, { label: string; value: string }[]>();
  for (const [path, value] of leaves(dataSet, '')) {
    if (header.has(path)) continue;
    const id = byPath.get(path);
    const field = id === undefined ? undefined : fields.get(id);
    if (!field) throw new Error(`${service}: ${path} is no field of the service`);
    const element = path.split('.')[0] ?? path;
    const list = sections.get(element) ?? [];
    list.push({ label: summaryLabels.field(service, field.id), value: show(field, value) });
    sections.set(element, list);
  }
  const publicService = publicServices[service];
  return [
    {
      title: summaryLabels.dataSet.title,
      fields: [
        { label: summaryLabels.dataSet.leika, value: dataSet.leikaKey },
        {
          label: summaryLabels.dataSet.schema,
          value: `${dataSet.$schema} (${publicService?.name ?? service})`,
        },
      ],
    },
    ...[...sections].map(([element, list]) => ({ title: summaryLabels.element(element), fields: list })),
  ];
}
