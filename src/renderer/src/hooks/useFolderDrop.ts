import { useEffect } from 'react';
import type { RendererBridge } from '../bridge';
import { errorMessage } from '../../../shared/api';

/**
 * A folder (or CSV manifest) dropped anywhere on the window opens as the labeled dataset.
 * Only the desktop app can do this: a sandboxed page never sees local paths, so the
 * preload resolves them (pathForFile). In browser mode the drop is refused with a hint.
 */
export function useFolderDrop(
  bridge: RendererBridge,
  onOpened: () => Promise<void>,
  onError: (m: string) => void,
): void {
  useEffect(() => {
    const hasFiles = (e: DragEvent) => e.dataTransfer?.types.includes('Files') ?? false;
    const over = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // Without this the browser would navigate to the dropped file.
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = bridge.pathForFile ? 'copy' : 'none';
    };
    const drop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      const file = e.dataTransfer?.files[0];
      const path = file && bridge.pathForFile ? bridge.pathForFile(file) : '';
      if (!path) {
        onError('Dropping a folder opens it in the desktop app; here, type its path under Open….');
        return;
      }
      bridge
        .invoke('openDataset', { train: path })
        .then(onOpened)
        .catch((err: unknown) => onError(`Could not open ${path}: ${errorMessage(err)}`));
    };
    window.addEventListener('dragover', over);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragover', over);
      window.removeEventListener('drop', drop);
    };
  }, [bridge, onOpened, onError]);
}
