import type { HandedDocuments } from '../handed-documents.ts';
import type { CallArea } from './areas.ts';

/** Documents handed in with the application on screen: pages by camera or scanner, edited, reviewed. */
export const documentsCalls = [
  'documents.list',
  'documents.addPage',
  'documents.scan',
  'documents.movePage',
  'documents.removePage',
  'documents.later',
] as const;

export type DocumentsCalls = (typeof documentsCalls)[number];

export function createDocumentsCalls(documents: HandedDocuments): CallArea<DocumentsCalls> {
  return {
    calls: documentsCalls,
    visitorCalls: documentsCalls,
    handlers: {
      'documents.list': () => documents.list(),
      'documents.addPage': (input) => documents.addPage(input),
      'documents.scan': (input) => documents.scan(input),
      'documents.movePage': (input) => documents.movePage(input),
      'documents.removePage': (input) => documents.removePage(input),
      'documents.later': (input) => documents.later(input),
    },
  };
}
