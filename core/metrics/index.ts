/** Prometheus metrics of the terminal and their loopback-only HTTP endpoint. */
export { type MetricsConfig, metricsConfigSchema } from './config.ts';
export {
  alarmCodes,
  type DeviceReadKind,
  deviceReadKinds,
  KioskMetrics,
  type KioskMetricsOptions,
  labelValues,
  type PrinterMetricState,
  printerStates,
  type QueueSnapshot,
  type QueueState,
  queueStates,
  type ReaderKind,
  readerKinds,
  type StaffSignInOutcome,
  type SyncOutcome,
  type SyncPassSummary,
  sessionEndReasons,
  staffSignInOutcomes,
  syncOutcomes,
} from './metrics.ts';
export {
  type MetricsServer,
  type MetricsServerErrorCode,
  type MetricsServerOptions,
  type MetricsServerResult,
  type MetricsSource,
  startMetricsServer,
} from './server.ts';
export {
  type JourneyUsage,
  KioskUsage,
  type KioskUsageOptions,
  type UsageIdentity,
  type UsageJourney,
  type UsageOutcome,
  type UsagePrintDocument,
  type UsagePrintOutcome,
} from './usage.ts';
