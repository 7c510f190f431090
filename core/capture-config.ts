import { z } from 'zod';

/**
 * Documents handed in at the terminal (issue 14). The camera is the browser's (the UI asks for
 * it); the scanner is named here like the printer: `sane:<device>` (Linux, `scanimage -L` lists
 * the names) or `wia:<DeviceID>` (Windows), or null for none. The limits have the defaults of
 * device/capture/limits.ts; each one has its own refusal the visitor is told about.
 */
export const captureConfigSchema = z
  .object({
    /**
     * A document camera is attached (the UI asks the browser for it). Without a camera and
     * without a scanner the terminal offers no documents step.
     */
    camera: z.boolean().default(false),
    scanner: z
      .string()
      .regex(/^(sane|wia):.{1,200}$/, 'must be "sane:<device>" or "wia:<DeviceID>"')
      .nullable()
      .default(null),
    /** Scan resolution in dots per inch (the page is stored at about 150 dpi either way). */
    scanResolution: z.number().int().min(75).max(600).default(200),
    maxPagesPerDocument: z.number().int().min(1).max(200).default(20),
    maxApplicationBytes: z
      .number()
      .int()
      .min(1024 * 1024)
      .max(200 * 1024 * 1024)
      .default(25 * 1024 * 1024),
  })
  .strict()
  .default({
    camera: false,
    scanner: null,
    scanResolution: 200,
    maxPagesPerDocument: 20,
    maxApplicationBytes: 25 * 1024 * 1024,
  });

export type CaptureConfig = z.output<typeof captureConfigSchema>;
