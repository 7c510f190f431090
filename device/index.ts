/**
 * device/: HID readers. Transports (node-hid, simulator, capture replay) behind one interface,
 * device profiles, byte-in/event-out drivers, and the reader manager that ties them together.
 * The MRZ parser lives in ./mrz (pure, no dependencies). node-hid itself is loaded only by
 * `loadNodeHid()`, on demand.
 */
export { aimForSymbology, splitAim, symbologyOfAim } from './aim.ts';
export { type Cancel, type Clock, systemClock, VirtualClock } from './clock.ts';
export {
  createHidPosDriver,
  encodeHidPosScan,
  HID_POS_ENABLE_FEATURE_REPORT,
  type HidPosDriverOptions,
} from './drivers/hid-pos.ts';
export {
  createKeyboardDriver,
  encodeKeyboardText,
  type KeyboardCodec,
  type KeyboardDriverOptions,
} from './drivers/keyboard.ts';
export { DEFAULT_DOCUMENT_WINDOW_MS, isCompleteMrzDocument, type ReaderMode } from './drivers/lines.ts';
export type {
  BarcodeRead,
  DeviceError,
  DeviceErrorCode,
  Driver,
  MrzRead,
  ReadError,
  ReaderEvent,
  Result,
} from './events.ts';
export {
  builtinProfiles,
  type DeviceProfile,
  type DriverKind,
  matchProfile,
  type ProfileError,
  validateProfiles,
} from './profiles.ts';
export { createDriver, type ReaderInfo, ReaderManager, type ReaderManagerOptions } from './readers.ts';
export {
  describeDevice,
  deviceIdOf,
  type HidConnection,
  type HidDeviceInfo,
  type HidTransport,
  type OpenTarget,
} from './transport.ts';
export { loadNodeHid, type NodeHidModule, NodeHidTransport } from './transports/node-hid.ts';
export { type CaptureEntry, formatCaptureLine, parseCapture, ReplayTransport } from './transports/replay.ts';
export {
  type SimulatedDevice,
  SimulatorTransport,
  simulatedBarcodeScanner,
  simulatedDocumentReader,
  simulatorProfiles,
} from './transports/simulator.ts';
