/**
 * A service's standard data set: the answers under the names of core/dataset/mapping.ts, with
 * the public service (LeiKa key), the schema URI and version (sync/protocol/datasets.ts). The
 * JSON Schema is generated from the service definition: every field's type, options and limits,
 * every field optional where a condition may hide it. The published copies in
 * sync/protocol/datasets/ are what the portal checks against; a test keeps them equal.
 */
import { z } from 'zod';
import type { FieldDefinition, FieldValues } from '../../api/forms.ts';
import { type PublicService, publicServices } from '../../sync/protocol/datasets.ts';
import type { ServiceDefinition } from '../forms/journey.ts';
import { dataSetPaths } from './mapping.ts';

export interface DataSet {
  readonly $schema: string;
  readonly version: string;
  readonly leikaKey: string;
  readonly [element: string]: unknown;
}

type Tree = { [name: string]: Tree | z.ZodType };

/** The schema of one answer, by its field's definition (as core/forms/validate.ts checks it). */
function fieldSchema(field: FieldDefinition): z.ZodType {
  switch (field.type) {
    case 'boolean':
      return z.boolean();
    case 'choice':
      return z.enum((field.options ?? []) as [string, ...string[]]);
    case 'date':
      return z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
    case 'number':
      return z.string().regex(/^\d{1,9}$/);
    case 'money':
      return z.string().regex(/^\d{1,9}([.,]\d{1,2})?$/);
    case 'country':
      return z.string().regex(/^[A-Z]{3}$|^D$/);
    case 'postcode':
      return z.string().regex(/^\d{5}$/);
    default:
      return z
        .string()
        .min(1)
        .max(field.maxLength ?? 2000);
  }
}

function place(tree: Tree, path: string, leaf: z.ZodType): void {
  const parts = path.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    const next = node[part];
    if (next instanceof z.ZodType) throw new Error(`${path}: ${part} is a value, not an element`);
    node[part] = next ?? {};
    node = node[part] as Tree;
  }
  node[parts.at(-1) as string] = leaf;
}

function objectOf(tree: Tree): z.ZodObject {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, node] of Object.entries(tree)) {
    shape[name] = node instanceof z.ZodType ? node : objectOf(node).optional();
  }
  return z.strictObject(shape);
}

/** Where each field of a service goes; throws for a field the mapping does not name. */
export function pathsOf(definition: ServiceDefinition): Map<string, string> {
  const paths = dataSetPaths[definition.id];
  if (!paths) throw new Error(`${definition.id} has no data set`);
  const result = new Map<string, string>();
  for (const step of definition.steps) {
    for (const field of step.fields) {
      const path = paths[field.id];
      if (!path) throw new Error(`${definition.id}: no data set name for field ${field.id}`);
      result.set(field.id, path);
    }
  }
  return result;
}

/** The zod schema of a service's data set. */
export function dataSetSchema(definition: ServiceDefinition, service: PublicService): z.ZodObject {
  const paths = pathsOf(definition);
  const tree: Tree = {};
  for (const step of definition.steps) {
    for (const field of step.fields) {
      // A hidden field is not sent, so every field may be missing; the engine checks presence.
      place(tree, paths.get(field.id) as string, fieldSchema(field).optional());
    }
  }
  const body = objectOf(tree);
  return z.strictObject({
    $schema: z.literal(service.schemaUri),
    version: z.literal(service.version),
    leikaKey: z.literal(service.leikaKey),
    ...body.shape,
  });
}

/** The JSON Schema published for a service (draft 2020-12), with its URI as `$id`. */
export function dataSetJsonSchema(definition: ServiceDefinition): Record<string, unknown> {
  const service = publicServices[definition.id];
  if (!service) throw new Error(`${definition.id} has no public service`);
  return {
    $id: service.schemaUri,
    title: service.name,
    'x-leika': service.leikaKey,
    'x-version': service.version,
    ...z.toJSONSchema(dataSetSchema(definition, service), { target: 'draft-2020-12' }),
  };
}

/** A journey's answers as the service's data set; null for a service without one. */
export function buildDataSet(definition: ServiceDefinition, values: FieldValues): DataSet | null {
  const service = publicServices[definition.id];
  if (!service) return null;
  const paths = pathsOf(definition);
  const root: Record<string, unknown> = {};
  for (const [id, value] of Object.entries(values)) {
    const path = paths.get(id);
    if (path === undefined || value === null) continue;
    const parts = path.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      node[part] ??= {};
      node = node[part] as Record<string, unknown>;
    }
    node[parts.at(-1) as string] = value;
  }
  return { $schema: service.schemaUri, version: service.version, leikaKey: service.leikaKey, ...root };
}
