import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge.ts';
import { installDropGuard } from './drop-guard.ts';

installDropGuard(window as unknown as Parameters<typeof installDropGuard>[0]);

contextBridge.exposeInMainWorld(
  'kiosk',
  createBridge(
    (channel, name, input) => ipcRenderer.invoke(channel, name, input),
    (channel, listener) => {
      const handler = (_event: Electron.IpcRendererEvent, name: string, payload: unknown) =>
        listener(name, payload);
      ipcRenderer.on(channel, handler);
      return () => {
        ipcRenderer.removeListener(channel, handler);
      };
    },
  ),
);
