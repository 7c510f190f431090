import { z } from 'zod';

/** The `metrics` section of the terminal configuration (for core/config.ts). */
export const metricsConfigSchema = z
  .object({
    /** Serve GET /metrics on 127.0.0.1 for the monitoring agent on the terminal. */
    enabled: z.boolean().default(false),
    /** 0: any free port (tests). 9464 is the usual port of a Prometheus exporter of an application. */
    port: z.number().int().min(0).max(65_535).default(9464),
  })
  .strict()
  .default({ enabled: false, port: 9464 });

export type MetricsConfig = z.output<typeof metricsConfigSchema>;
