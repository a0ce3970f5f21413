/**
 * The only bridge between the page and the app: two named functions, typed by LcrApi.
 * No raw ipcRenderer, no Node. Requests go through one channel that main validates.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { LcrApi, Push } from '../../shared/contract.ts';
import { IPC_PUSH, IPC_REQUEST } from '../../shared/ipc.ts';

const api = {
  request: (name, args) => ipcRenderer.invoke(IPC_REQUEST, name, args),
  onPush: (listener) => {
    const wrapped = (_e: IpcRendererEvent, push: Push) => listener(push);
    ipcRenderer.on(IPC_PUSH, wrapped);
    return () => {
      ipcRenderer.removeListener(IPC_PUSH, wrapped);
    };
  },
} satisfies LcrApi;

contextBridge.exposeInMainWorld('lcr', api);
