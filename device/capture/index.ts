/**
 * device/capture: document pages from a camera, a scanner or a file. The page check, the image
 * pipeline (straighten, fit to A4, grayscale, mozjpeg), each document as one PDF with its
 * SHA-256, the limits, scanner drivers (SANE, WIA) and device listing. Everything stays in
 * memory. sharp (libvips) and OpenCV (WebAssembly) are loaded by this entry point only: import
 * it where pages are handled, not from device/index.ts. See README.md beside this file.
 */
export {
  type CameraInfo,
  type CameraListError,
  listPnpCameras,
  listV4l2Cameras,
  type V4l2Options,
} from './cameras.ts';
export {
  type CaptureDevices,
  defaultScannerDriver,
  type ListCaptureDevicesOptions,
  listCaptureDevices,
} from './devices.ts';
export { CapturedDocuments, PDF_DOCUMENT_OVERHEAD_BYTES, PDF_PAGE_OVERHEAD_BYTES } from './documents.ts';
export { type ImageFormat, type OpenedImage, openImage, sniffImage } from './image.ts';
export { type CaptureLimits, captureLimits, DEFAULT_CAPTURE_LIMITS } from './limits.ts';
export { loadOpenCv } from './opencv.ts';
export {
  checkPage,
  type DetectedPage,
  type PageCheck,
  type PageCheckOptions,
  type PageMeasures,
} from './page-check.ts';
export { buildDocumentPdf, type DocumentPdfOptions, sha256Hex } from './pdf.ts';
export {
  type CapturePreview,
  capturePreview,
  fitA4,
  type Preview,
  STORE_DEFAULTS,
  type StoreOptions,
  storePage,
} from './pipeline.ts';
export { SaneDriver, type SaneDriverOptions } from './scanners/sane.ts';
export type {
  CaptureDeviceState,
  ScannedImage,
  ScannerDriver,
  ScannerInfo,
  ScanOptions,
} from './scanners/types.ts';
export { WiaDriver, type WiaDriverOptions } from './scanners/wia.ts';
export { PAGE_CHECK_THRESHOLDS, type PageCheckThresholds } from './thresholds.ts';
export * from './types.ts';
export { CaptureWorker } from './worker-client.ts';
