/**
 * `node --import tsx bench/support/heap-diff.ts BEFORE AFTER SESSIONS`: what is on the heap in the
 * AFTER snapshot that was not in BEFORE (V8 keeps an object's id across snapshots), grouped by
 * kind (node type and constructor or function name) and by the old object that holds it (the
 * first retainer, walking up through new objects, that was already there before). A leak shows
 * as a kind whose count grows with the sessions between the two, held by one long-lived owner.
 *
 * Only the program's data are listed (objects, arrays, closures, strings, numbers...): V8's own
 * code and metadata (compiled code, maps, feedback) are replaced as the JIT re-optimises and
 * are given as one total, and native (embedder) nodes get new ids in every snapshot, so they
 * cannot be compared by id at all.
 *
 * Strings are reported by type only: a string's name in a snapshot is its content, which may be
 * what a visitor typed. Edge names are property names, constructor names are code.
 */
import { readFileSync } from 'node:fs';
import { table } from './soak.ts';

interface RawSnapshot {
  snapshot: {
    meta: {
      node_fields: string[];
      node_types: [string[], ...unknown[]];
      edge_fields: string[];
      edge_types: [string[], ...unknown[]];
    };
  };
  nodes: number[];
  edges: number[];
  strings: string[];
}

/** Node types whose names are code (constructors, functions, native classes), not data. */
const namedTypes = new Set([
  'object',
  'closure',
  'native',
  'hidden',
  'array',
  'code',
  'synthetic',
  'object shape',
]);

class Snapshot {
  readonly count: number;
  readonly #raw: RawSnapshot;
  readonly #width: number;
  readonly #field: Record<'type' | 'name' | 'id' | 'size', number>;
  /** For each node: its first strong retainer (node index, -1 for none) and that edge's label. */
  readonly retainer: Int32Array;
  readonly retainerEdge: string[];

  constructor(file: string) {
    const raw = JSON.parse(readFileSync(file, 'utf8')) as RawSnapshot;
    this.#raw = raw;
    const { meta } = raw.snapshot;
    this.#width = meta.node_fields.length;
    this.#field = {
      type: meta.node_fields.indexOf('type'),
      name: meta.node_fields.indexOf('name'),
      id: meta.node_fields.indexOf('id'),
      size: meta.node_fields.indexOf('self_size'),
    };
    this.count = raw.nodes.length / this.#width;
    this.retainer = new Int32Array(this.count).fill(-1);
    this.retainerEdge = new Array<string>(this.count).fill('');
    const edgeWidth = meta.edge_fields.length;
    const edgeType = meta.edge_fields.indexOf('type');
    const edgeName = meta.edge_fields.indexOf('name_or_index');
    const edgeTo = meta.edge_fields.indexOf('to_node');
    const edgeCount = meta.node_fields.indexOf('edge_count');
    const edgeTypes = meta.edge_types[0];
    let edge = 0;
    for (let node = 0; node < this.count; node++) {
      const edges = raw.nodes[node * this.#width + edgeCount] ?? 0;
      for (let k = 0; k < edges; k++, edge++) {
        const base = edge * edgeWidth;
        const type = edgeTypes[raw.edges[base + edgeType] ?? 0] ?? '';
        if (type === 'weak' || type === 'shortcut') continue;
        const to = (raw.edges[base + edgeTo] ?? 0) / this.#width;
        if (this.retainer[to] !== -1) continue;
        const nameOrIndex = raw.edges[base + edgeName] ?? 0;
        this.retainer[to] = node;
        this.retainerEdge[to] =
          type === 'element' || type === 'hidden' ? `[${nameOrIndex}]` : (raw.strings[nameOrIndex] ?? '?');
      }
    }
  }

  #get(node: number, field: 'type' | 'name' | 'id' | 'size'): number {
    return this.#raw.nodes[node * this.#width + this.#field[field]] ?? 0;
  }

  id(node: number): number {
    return this.#get(node, 'id');
  }

  size(node: number): number {
    return this.#get(node, 'size');
  }

  type(node: number): string {
    return this.#raw.snapshot.meta.node_types[0][this.#get(node, 'type')] ?? '?';
  }

  kind(node: number): string {
    const type = this.type(node);
    if (!namedTypes.has(type)) return type;
    const name = this.#raw.strings[this.#get(node, 'name')] ?? '';
    return `${type} ${name.length > 50 ? `${name.slice(0, 47)}...` : name}`.trim();
  }
}

const [beforeFile, afterFile, sessionsArg] = process.argv.slice(2);
if (!beforeFile || !afterFile) {
  process.stderr.write('usage: heap-diff.ts BEFORE.heapsnapshot AFTER.heapsnapshot [SESSIONS]\n');
  process.exit(2);
}
const sessions = Number(sessionsArg ?? 1000);
const per = 1000 / (sessions > 0 ? sessions : 1000);
const before = new Snapshot(beforeFile);
const after = new Snapshot(afterFile);
const old = new Set<number>();
for (let node = 0; node < before.count; node++) old.add(before.id(node));

const byKind = new Map<string, { count: number; size: number }>();
const byHolder = new Map<string, { count: number; size: number }>();
/** V8's code and metadata, replaced as it re-optimises: a total, not a list. */
const engineTypes = new Set(['code', 'hidden', 'object shape']);
/** Embedder nodes: new ids in every snapshot. */
const incomparable = new Set(['native', 'synthetic']);
let newCount = 0;
let newSize = 0;
let engineCount = 0;
let engineSize = 0;
for (let node = 0; node < after.count; node++) {
  const type = after.type(node);
  if (old.has(after.id(node)) || incomparable.has(type)) continue;
  const size = after.size(node);
  if (engineTypes.has(type)) {
    engineCount += 1;
    engineSize += size;
    continue;
  }
  newCount += 1;
  newSize += size;
  const kind = after.kind(node);
  const k = byKind.get(kind) ?? { count: 0, size: 0 };
  byKind.set(kind, { count: k.count + 1, size: k.size + size });
  // Up through new objects to the first one that was already there: the owner that grew.
  let path = kind;
  let current = node;
  for (let depth = 0; depth < 8; depth++) {
    const up = after.retainer[current] ?? -1;
    if (up < 0) {
      path = `(no retainer) ${path}`;
      break;
    }
    path = `${after.kind(up)} .${after.retainerEdge[current]} > ${depth === 0 ? path : '...'}`;
    if (old.has(after.id(up))) break;
    current = up;
  }
  const h = byHolder.get(path) ?? { count: 0, size: 0 };
  byHolder.set(path, { count: h.count + 1, size: h.size + size });
}

const top = (m: Map<string, { count: number; size: number }>) =>
  [...m]
    .sort((a, b) => b[1].size - a[1].size)
    .slice(0, 12)
    .map(([key, v]) => [(v.count * per).toFixed(0), ((v.size * per) / 1024).toFixed(1), key]);
console.log(
  `heap data present after, not before: ${newCount} objects (${(newSize / 1024).toFixed(0)} KB) over ${sessions} sessions; V8 code and metadata: ${engineCount} (${(engineSize / 1024).toFixed(0)} KB); per 1,000 sessions below`,
);
console.log(table(['objects', 'KB', 'kind'], top(byKind)));
console.log('');
console.log('held by (the first object that was already there, and the property):');
console.log(table(['objects', 'KB', 'holder'], top(byHolder)));
