// The native menu, as a template built from plain data so it is testable without Electron.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  openDataset(): void;
  openDemo(): void;
  exportDataset(): void;
  retrain(): void;
}

export function menuTemplate(actions: MenuActions, isMac: boolean): MenuItemConstructorOptions[] {
  return [
    ...(isMac ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Open Dataset…', accelerator: 'CmdOrCtrl+O', click: () => actions.openDataset() },
        { label: 'Open Built-in Demo', click: () => actions.openDemo() },
        { type: 'separator' },
        { label: 'Export Corrected Dataset…', accelerator: 'CmdOrCtrl+E', click: () => actions.exportDataset() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    { role: 'editMenu' },
    {
      label: 'Model',
      submenu: [{ label: 'Retrain', accelerator: 'CmdOrCtrl+Shift+R', click: () => actions.retrain() }],
    },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
}
