import { closeSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** An RGB colour a frame carries at two edges, so the page can tell which picture it shows. */
export type Marker = readonly [r: number, g: number, b: number];

/**
 * Chromium's fake camera, fed from a Y4M file (`--use-file-for-fake-video-capture`). Chromium
 * reads the file frame by frame as it plays it, looping, so what the camera sees is changed by
 * overwriting the file in place (same size, same inode): `show()` puts another picture under the
 * camera, and `seen()` waits until the page's live preview shows it (by its edge markers),
 * an event in the page, not a time.
 */
export class FakeCamera {
  readonly path: string;

  private constructor(
    dir: string,
    readonly width: number,
    readonly height: number,
  ) {
    this.path = join(dir, 'camera.y4m');
  }

  /** A camera of `width` x `height` (even numbers) showing `rgb` first. */
  static create(dir: string, rgb: Buffer, width: number, height: number, marker: Marker): FakeCamera {
    const camera = new FakeCamera(dir, width, height);
    writeFileSync(camera.path, camera.#y4m(rgb, marker));
    return camera;
  }

  /** Chromium's flags for this camera (and no permission prompt). */
  args(): string[] {
    return [
      '--use-fake-device-for-media-stream',
      '--use-fake-ui-for-media-stream',
      `--use-file-for-fake-video-capture=${this.path}`,
    ];
  }

  /** Puts `rgb` (with `marker` at its edges) under the camera from the next frame on. */
  show(rgb: Buffer, marker: Marker): void {
    const bytes = this.#y4m(rgb, marker);
    const fd = openSync(this.path, 'r+');
    try {
      writeSync(fd, bytes, 0, bytes.length, 0);
    } finally {
      closeSync(fd);
    }
  }

  /** Waits until the live preview in `page` shows the picture with `marker`. */
  async seen(page: Page, marker: Marker): Promise<void> {
    await page.waitForFunction(
      ([r, g, b]) => {
        const video = document.querySelector('video');
        if (!video || video.videoWidth === 0) return false;
        const canvas = document.createElement('canvas');
        canvas.width = video.videoWidth;
        canvas.height = video.videoHeight;
        const context = canvas.getContext('2d', { willReadFrequently: true });
        if (!context) return false;
        context.drawImage(video, 0, 0);
        const near = (x: number, y: number) => {
          const [pr = 0, pg = 0, pb = 0] = context.getImageData(x, y, 1, 1).data;
          return Math.abs(pr - r) < 60 && Math.abs(pg - g) < 60 && Math.abs(pb - b) < 60;
        };
        const middle = Math.round(canvas.height / 2);
        return near(8, middle) && near(canvas.width - 9, middle);
      },
      marker,
      { timeout: 15_000 },
    );
  }

  /** One frame of 4:2:0 Y4M (BT.601, full range) with the marker at the middle of the left and right edges. */
  #y4m(rgb: Buffer, marker: Marker): Buffer {
    const { width: w, height: h } = this;
    if (rgb.length !== w * h * 3) throw new Error('the picture is not the camera size');
    const pixels = Buffer.from(rgb);
    const size = 24;
    for (const [x0, y0] of [
      [0, h / 2 - size / 2],
      [w - size, h / 2 - size / 2],
    ] as const) {
      for (let y = y0; y < y0 + size; y++)
        for (let x = x0; x < x0 + size; x++) pixels.set(marker, (y * w + x) * 3);
    }
    const header = Buffer.from(`YUV4MPEG2 W${w} H${h} F10:1 Ip A1:1 C420jpeg\nFRAME\n`, 'ascii');
    const yPlane = Buffer.alloc(w * h);
    const uPlane = Buffer.alloc((w / 2) * (h / 2));
    const vPlane = Buffer.alloc((w / 2) * (h / 2));
    const clamp = (v: number) => Math.max(0, Math.min(255, Math.round(v)));
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const i = (y * w + x) * 3;
        const r = pixels[i] as number;
        const g = pixels[i + 1] as number;
        const b = pixels[i + 2] as number;
        yPlane[y * w + x] = clamp(0.299 * r + 0.587 * g + 0.114 * b);
      }
    }
    for (let y = 0; y < h / 2; y++) {
      for (let x = 0; x < w / 2; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (const [dx, dy] of [
          [0, 0],
          [1, 0],
          [0, 1],
          [1, 1],
        ] as const) {
          const i = ((2 * y + dy) * w + 2 * x + dx) * 3;
          r += pixels[i] as number;
          g += pixels[i + 1] as number;
          b += pixels[i + 2] as number;
        }
        r /= 4;
        g /= 4;
        b /= 4;
        uPlane[y * (w / 2) + x] = clamp(-0.168736 * r - 0.331264 * g + 0.5 * b + 128);
        vPlane[y * (w / 2) + x] = clamp(0.5 * r - 0.418688 * g - 0.081312 * b + 128);
      }
    }
    return Buffer.concat([header, yPlane, uPlane, vPlane]);
  }
}
