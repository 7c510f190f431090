import { randomUUID } from 'node:crypto';
import type { Clock } from '../../common/clock.ts';
import type { KioskConfig } from '../config.ts';
import { CupsPrinter } from './cups.ts';
import { FilePrinter } from './file.ts';
import type { Printer } from './types.ts';
import { WindowsPrinter } from './windows.ts';

/** The printer the configuration names, or null when the terminal has none. */
export function printerFromConfig(config: KioskConfig['printer'], clock: Pick<Clock, 'now'>): Printer | null {
  switch (config.kind) {
    case 'cups':
      return config.name ? new CupsPrinter({ name: config.name }) : null;
    case 'windows':
      return config.name
        ? new WindowsPrinter({ name: config.name, uniqueSuffix: () => randomUUID().slice(0, 8) })
        : null;
    case 'file':
      return config.dir ? new FilePrinter({ dir: config.dir, now: () => new Date(clock.now()) }) : null;
    case 'none':
      return null;
  }
}
