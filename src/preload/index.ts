import { contextBridge, ipcRenderer } from 'electron';
import { createIpcBridge } from './bridge';

contextBridge.exposeInMainWorld('desk', createIpcBridge(ipcRenderer));
