/** The terminal's printer: one interface, CUPS, Windows and folder implementations, a state poller. */
export { printerFromConfig } from './configured.ts';
export { CupsPrinter, cupsState, isValidCupsName, parseLpJobId, parseLpOptions } from './cups.ts';
export { FilePrinter } from './file.ts';
export { buildAndPrint, type PrintOutcome } from './outcome.ts';
export { PrinterStatePoller } from './poller.ts';
export { type CommandResult, type CommandRunner, spawnRunner } from './runner.ts';
export { SessionPrinter } from './session-printer.ts';
export * from './types.ts';
export { parseWindowsPrint, parseWindowsState, WindowsPrinter } from './windows.ts';
