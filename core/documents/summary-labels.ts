import table from './summary-labels.de.json' with { type: 'json' };

/**
 * The German labels of the authority's summary (summary.ts): the service's name, each step's
 * title, each field's label and each choice's text, in one table kept with the documents. The
 * screen's texts (renderer/locales) may change without changing what the authority receives;
 * a label missing here shows as its key (`services.<id>.fields.<field>.label`), which a test
 * rules out for every shipped service.
 */
interface ServiceLabels {
  readonly title: string;
  readonly steps: Readonly<Record<string, string>>;
  readonly fields: Readonly<
    Record<string, { readonly label: string; readonly options?: Readonly<Record<string, string>> }>
  >;
}

const services: Readonly<Record<string, ServiceLabels>> = table.services;

const elements: Readonly<Record<string, string>> = table.dataSetElements;

export const summaryLabels = {
  yes: table.yes,
  no: table.no,
  /** The header section of a summary read from a data set (core/dataset/summary.ts). */
  dataSet: table.dataSet,
  /** A data set element's German title (`antragsteller` → "Antragstellende Person"). */
  element: (name: string): string => elements[name] ?? `dataSetElements.${name}`,
  service: (serviceId: string): string => services[serviceId]?.title ?? `services.${serviceId}.title`,
  step: (serviceId: string, stepId: string): string =>
    services[serviceId]?.steps[stepId] ?? `services.${serviceId}.steps.${stepId}.title`,
  field: (serviceId: string, fieldId: string): string =>
    services[serviceId]?.fields[fieldId]?.label ?? `services.${serviceId}.fields.${fieldId}.label`,
  option: (serviceId: string, fieldId: string, value: string): string =>
    services[serviceId]?.fields[fieldId]?.options?.[value] ??
    `services.${serviceId}.fields.${fieldId}.options.${value}`,
} as const;
