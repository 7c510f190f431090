/**
 * The layering of DESIGN.md §1 as rules: `npm test` fails when a folder imports what it may not.
 * Each folder lists what it may reach; everything else is forbidden. common/ is the pure base
 * every folder may import; it imports nothing of the project.
 */
const folders = [
  'common',
  'api',
  'core',
  'device',
  'sync',
  'portal',
  'electron',
  'webhost',
  'renderer',
  'cli',
];

/** folder -> folders it may import (besides itself) */
const allowed = {
  common: [],
  api: ['common'],
  core: ['common', 'api', 'device', 'sync'],
  device: ['common'],
  sync: ['common'],
  portal: ['common', 'sync'],
  electron: ['common', 'core', 'api', 'device', 'sync'],
  webhost: ['common', 'core', 'api', 'device', 'sync', 'portal'],
  renderer: ['common', 'api'],
  cli: ['common', 'core', 'device', 'sync', 'api'],
};

/** The renderer's Vite config runs in Node at build time; it is not part of the UI. */
const rendererBuildConfig = '^renderer/vite[.]config[.]ts$';

/** Node's built-in modules as dependency-cruiser names them (`node:crypto` resolves to `crypto`). */
const nodeBuiltins = `^(node:)?(${require('node:module').builtinModules.join('|')})$`;

const forbidden = folders.map((from) => {
  const others = folders.filter((f) => f !== from && !allowed[from].includes(f));
  return {
    name: `${from}-layer`,
    comment: `${from}/ may import only ${allowed[from].join(', ') || 'nothing of the project'} (DESIGN.md §1)`,
    severity: 'error',
    from: { path: `^${from}/` },
    to: { path: others.length ? `^(${others.join('|')})/` : '^$' },
  };
});

forbidden.push(
  {
    name: 'only-electron-imports-electron',
    comment: 'Only electron/ imports the electron package',
    severity: 'error',
    from: { pathNot: '^electron/' },
    to: { path: '^node_modules/electron/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'renderer-no-node',
    comment: 'renderer/ is DOM only: no node:* built-ins and no native or server packages',
    severity: 'error',
    from: { path: '^renderer/', pathNot: rendererBuildConfig },
    to: {
      path: '^(node:|node_modules/(better-sqlite3|node-hid|sharp|@img|@techstark|fastify|@fastify|jose|pdf-lib|ws|usb)/)',
    },
  },
  {
    name: 'renderer-no-node-through-common',
    comment: 'what the renderer imports of common/ reaches no node:* built-in (Vite bundles it for the DOM)',
    severity: 'error',
    from: { path: '^renderer/', pathNot: rendererBuildConfig },
    to: { path: nodeBuiltins, reachable: true },
  },
  {
    name: 'common-pure',
    comment: 'common/ imports only zod and the node: standard library (DESIGN.md §1)',
    severity: 'error',
    from: { path: '^common/' },
    to: { pathNot: '^(common/|node_modules/zod/)', dependencyTypesNot: ['core'] },
  },
  {
    name: 'renderer-no-core-builtins',
    severity: 'error',
    from: { path: '^renderer/', pathNot: rendererBuildConfig },
    to: { dependencyTypes: ['core'] },
  },
  {
    name: 'device-mrz-pure',
    comment: 'device/mrz is pure ICAO 9303 code with no dependencies',
    severity: 'error',
    from: { path: '^device/mrz/' },
    to: { pathNot: '^device/mrz/' },
  },
  {
    name: 'native-modules-only-where-hosted',
    comment: 'better-sqlite3 loads only in sync/ and portal/; node-hid only in device/ (DESIGN.md §4)',
    severity: 'error',
    from: { pathNot: '^(sync|portal|device|test|bench)/' },
    to: { path: '^node_modules/(better-sqlite3|node-hid)/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'image-work-only-in-capture',
    comment: 'sharp (libvips) and OpenCV load only in device/capture, where the page check runs',
    severity: 'error',
    from: { pathNot: '^(device/capture|test|bench)/' },
    to: { path: '^node_modules/(sharp|@img|@techstark)/', dependencyTypesNot: ['type-only'] },
  },
  {
    name: 'no-circular',
    severity: 'error',
    from: {},
    to: { circular: true },
  },
);

module.exports = {
  forbidden,
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
  },
};
