// The native dialogs behind the renderer's "Browse…" buttons. The renderer names only a
// purpose; the title and what may be chosen are fixed here, so a renderer cannot open a
// dialog of its own design.
import type { OpenDialogOptions } from 'electron';
import { isChoosePathPurpose, type ChoosePathPurpose } from '../../shared/ipc-channels.js';

export function choosePathOptions(purpose: ChoosePathPurpose): OpenDialogOptions {
  switch (purpose) {
    case 'train':
      // A folder of class folders or IDX files, or a CSV manifest.
      return {
        title: 'Choose the labeled dataset (a folder or a CSV manifest)',
        properties: ['openDirectory', 'openFile'],
      };
    case 'pool':
      return {
        title: 'Choose the images to review (a folder or a CSV manifest)',
        properties: ['openDirectory', 'openFile'],
      };
    case 'model':
      // A model folder (model.json, saved_model.pb, an Unsure checkpoint) or an .onnx file.
      return { title: 'Choose your model (a folder or an .onnx file)', properties: ['openDirectory', 'openFile'] };
    case 'predictions':
      return {
        title: 'Choose the predictions file (.npy or CSV)',
        properties: ['openFile'],
        filters: [{ name: 'Predictions', extensions: ['npy', 'csv'] }],
      };
    case 'export':
      return { title: 'Choose a new or empty folder to export to', properties: ['openDirectory', 'createDirectory'] };
  }
}

/** The IPC message `{ purpose }`, checked: anything else is refused by name. */
export function parseChoosePath(request: unknown): ChoosePathPurpose {
  const purpose =
    typeof request === 'object' && request !== null ? (request as { purpose?: unknown }).purpose : undefined;
  if (!isChoosePathPurpose(purpose)) throw new Error(`choosePath: unknown purpose ${JSON.stringify(purpose)}`);
  return purpose;
}
