/**
 * One interface for every way reports reach a driver: node-hid in the field, the simulator for
 * `npm start` and end-to-end tests, capture replay for administrators and tests.
 */
import type { DeviceError, DeviceResult } from './events.ts';

export interface HidDeviceInfo {
  readonly vendorId: number;
  readonly productId: number;
  readonly usagePage?: number;
  readonly usage?: number;
  /** Platform path; unique among attached devices, may change when a device is plugged again. */
  readonly path: string;
  readonly product?: string;
  readonly manufacturer?: string;
  readonly serial?: string;
  readonly interface?: number;
}

export type OpenTarget =
  | { readonly path: string }
  | { readonly vendorId: number; readonly productId: number };

export interface ConnectionEvents {
  /** One input report exactly as node-hid delivers it (report id included). */
  data: Uint8Array;
  /** Reading failed; a connection that reopens itself says so with `state`. */
  error: DeviceError;
  /**
   * `lost`: the device went away (unplug, I/O error) and the connection is trying to reopen it;
   * `open`: it is (again) delivering reports; `closed`: closed for good.
   */
  state: 'open' | 'lost' | 'closed';
}

export interface HidConnection {
  readonly device: HidDeviceInfo;
  on<K extends keyof ConnectionEvents>(name: K, listener: (value: ConnectionEvents[K]) => void): () => void;
  sendFeatureReport(data: Uint8Array): Promise<DeviceResult<number>>;
  close(): Promise<void>;
}

export interface TransportEvents {
  attach: HidDeviceInfo;
  detach: HidDeviceInfo;
}

export interface HidTransport {
  /** Which transport this is, for status displays (`node-hid`, `simulator`, `replay`). */
  readonly kind: string;
  list(): Promise<DeviceResult<HidDeviceInfo[]>>;
  open(target: OpenTarget): Promise<DeviceResult<HidConnection>>;
  /** Hot-plug events; a transport that polls starts polling with the first listener. */
  on<K extends keyof TransportEvents>(name: K, listener: (value: TransportEvents[K]) => void): () => void;
  /** Stops hot-plug polling and closes every connection it opened. */
  close(): Promise<void>;
}

export function describeDevice(d: HidDeviceInfo): string {
  const hex = (n: number | undefined): string => (n === undefined ? '----' : n.toString(16).padStart(4, '0'));
  return `${hex(d.vendorId)}:${hex(d.productId)} page ${hex(d.usagePage)} usage ${hex(d.usage)}`;
}

/** A stable id for a device: the same physical reader keeps it across unplug and plug. */
export function deviceIdOf(d: HidDeviceInfo): string {
  const hex = (n: number | undefined): string => (n === undefined ? 'x' : n.toString(16).padStart(4, '0'));
  const base = `hid:${hex(d.vendorId)}:${hex(d.productId)}:${hex(d.usagePage)}:${hex(d.usage)}`;
  return d.serial ? `${base}:${d.serial}` : `${base}:${d.path}`;
}

/** Whether a device in a fresh listing is the one a connection was opened on (for reopening). */
export function sameDevice(a: HidDeviceInfo, b: HidDeviceInfo): boolean {
  if (a.path === b.path && a.vendorId === b.vendorId && a.productId === b.productId) return true;
  return (
    a.vendorId === b.vendorId &&
    a.productId === b.productId &&
    a.usagePage === b.usagePage &&
    a.usage === b.usage &&
    a.interface === b.interface &&
    a.serial !== undefined &&
    a.serial !== '' &&
    a.serial === b.serial
  );
}

export function hexToBytes(hex: string): Uint8Array | undefined {
  const clean = hex.replace(/[\s:]/g, '');
  if (clean.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(clean)) return undefined;
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}
