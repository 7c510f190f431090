import { useCallback, useEffect, useRef, useState } from 'react';

/** The long side of a frame sent to the terminal: an A4 page at 200 dpi fits (2,339 px). */
export const FRAME_LONG_SIDE = 2400;

export type CameraState = 'off' | 'starting' | 'ready' | 'unavailable';

/**
 * The document camera as a live preview: video only (never the microphone), started while
 * `enabled` and stopped when the screen goes. `grab()` takes the current frame as a JPEG in
 * base64, at most `FRAME_LONG_SIDE` pixels on the long side; nothing is kept in the page after.
 * A camera that disappears (unplugged, taken by the system) turns the state to `unavailable`.
 */
export function useCamera(enabled: boolean) {
  const videoRef = useRef<HTMLVideoElement | null>(null);
  const [state, setState] = useState<CameraState>(enabled ? 'starting' : 'off');

  useEffect(() => {
    if (!enabled) {
      setState('off');
      return;
    }
    let stream: MediaStream | null = null;
    let stopped = false;
    setState('starting');
    const devices = navigator.mediaDevices;
    if (!devices?.getUserMedia) {
      setState('unavailable');
      return;
    }
    devices
      // the camera's own picture, not one cropped or scaled to the asked size
      .getUserMedia({
        audio: false,
        video: {
          width: { ideal: 1920 },
          height: { ideal: 1080 },
          resizeMode: 'none',
        } as MediaTrackConstraints,
      })
      .then(async (given) => {
        if (stopped) {
          for (const track of given.getTracks()) track.stop();
          return;
        }
        stream = given;
        for (const track of given.getVideoTracks())
          track.addEventListener('ended', () => setState('unavailable'));
        const video = videoRef.current;
        if (video) {
          video.srcObject = given;
          await video.play().catch(() => undefined);
        }
        setState('ready');
      })
      .catch(() => {
        if (!stopped) setState('unavailable');
      });
    return () => {
      stopped = true;
      for (const track of stream?.getTracks() ?? []) track.stop();
      if (videoRef.current) videoRef.current.srcObject = null;
    };
  }, [enabled]);

  const grab = useCallback(async (): Promise<string | null> => {
    const video = videoRef.current;
    if (!video || video.videoWidth === 0 || video.videoHeight === 0) return null;
    const scale = Math.min(1, FRAME_LONG_SIDE / Math.max(video.videoWidth, video.videoHeight));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    canvas.getContext('2d')?.drawImage(video, 0, 0, canvas.width, canvas.height);
    const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.92));
    canvas.width = 0;
    canvas.height = 0;
    if (!blob) return null;
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let binary = '';
    for (let i = 0; i < bytes.length; i += 0x8000) {
      binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    }
    bytes.fill(0);
    return btoa(binary);
  }, []);

  return { videoRef, state, grab };
}
