import type { UnsureBridge } from '../../shared/api';

declare global {
  interface Window {
    /** Exposed by the Electron preload through contextBridge; absent in browser mode. */
    unsure?: UnsureBridge;
  }
}

export {};
