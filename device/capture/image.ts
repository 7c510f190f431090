/**
 * Incoming images: recognised by their signature (PNG or JPEG only), checked against the size
 * limits before anything is decoded, then decoded by sharp (libvips) from the buffer. Nothing
 * is written to disk.
 */
import sharp, { type Metadata, type Sharp } from 'sharp';
import { type CaptureLimits, DEFAULT_CAPTURE_LIMITS } from './limits.ts';
import type { CaptureError, Result } from './types.ts';

export type ImageFormat = 'png' | 'jpeg';

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** The format by the file's signature; null for anything but PNG and JPEG. */
export function sniffImage(bytes: Uint8Array): ImageFormat | null {
  if (bytes.length >= 8 && PNG_SIGNATURE.every((b, i) => bytes[i] === b)) return 'png';
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  return null;
}

export interface OpenedImage {
  readonly format: ImageFormat;
  /** Width and height as the image is meant to be seen (EXIF orientation applied). */
  readonly width: number;
  readonly height: number;
  /** A new sharp pipeline over the bytes, EXIF orientation applied, alpha flattened on white. */
  pipeline(): Sharp;
}

function refuse(code: CaptureError['code'], message: string): Result<never> {
  return { ok: false, error: { code, message } };
}

/** Checks signature and limits, reads the header; the pixels are decoded only by `pipeline()`. */
export async function openImage(
  bytes: Uint8Array,
  limits: CaptureLimits = DEFAULT_CAPTURE_LIMITS,
): Promise<Result<OpenedImage>> {
  const format = sniffImage(bytes);
  if (format === null) return refuse('capture.not_an_image', 'not a PNG or JPEG image');
  if (bytes.byteLength > limits.maxImageBytes) {
    return refuse(
      'capture.image_too_large',
      `image of ${bytes.byteLength} bytes, limit ${limits.maxImageBytes}`,
    );
  }
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch (error) {
    return refuse('capture.not_an_image', `unreadable ${format}: ${describe(error)}`);
  }
  const { width, height } = meta;
  if (!width || !height) return refuse('capture.not_an_image', `${format} without a size`);
  if (width * height > limits.maxImagePixels) {
    return refuse(
      'capture.image_too_large',
      `image of ${width}x${height} pixels, limit ${limits.maxImagePixels}`,
    );
  }
  const turned = (meta.orientation ?? 1) >= 5;
  return {
    ok: true,
    value: {
      format,
      width: turned ? height : width,
      height: turned ? width : height,
      pipeline: () =>
        sharp(bytes, { limitInputPixels: limits.maxImagePixels, failOn: 'error' })
          .rotate()
          .flatten({ background: '#ffffff' }),
    },
  };
}

/** Raw pixels with their size. */
export interface RawImage {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
  readonly channels: 1 | 3;
}

/** Decodes `pipeline` to raw RGB (3) or grayscale (1) pixels. */
export async function toRaw(pipeline: Sharp, channels: 1 | 3): Promise<RawImage> {
  const p = channels === 1 ? pipeline.grayscale() : pipeline.removeAlpha().toColourspace('srgb');
  const { data, info } = await p.raw().toBuffer({ resolveWithObject: true });
  if (info.channels !== channels) throw new Error(`decoded ${info.channels} channels, expected ${channels}`);
  return { data, width: info.width, height: info.height, channels };
}

export function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split('\n')[0]?.slice(0, 200) ?? 'unknown error';
}
