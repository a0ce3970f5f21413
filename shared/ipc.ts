/** Electron IPC channel names (main ↔ preload). */
export const IPC_REQUEST = 'lcr:request';
export const IPC_PUSH = 'lcr:push';
