import type { UnsureBridge } from '../../shared/api.js';

export interface RendererBridge extends UnsureBridge {
  /** Reports the event stream going down and coming back; Electron's never goes down. */
  onConnection(listener: (up: boolean) => void): () => void;
}

/** The preload's bridge as it is, optional parts (dropped paths, native dialogs) included. */
export function fromPreload(b: UnsureBridge): RendererBridge {
  return { ...b, onConnection: () => () => {} };
}
