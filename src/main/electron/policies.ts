// The security decisions of the Electron shell, as pure functions so they are unit-tested
// on machines where Electron itself cannot start. index.ts only wires them to Electron.
import type { BrowserWindowConstructorOptions } from 'electron';
import { APP_SCHEME } from '../security/csp.js';

export const APP_ORIGIN = `${APP_SCHEME}://app`;

export function windowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Unsure',
    backgroundColor: '#15171a',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** The renderer only ever shows the app itself; any other navigation is refused. */
export function isNavigationAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    // Credentials are refused outright: no URL the app makes carries any.
    return u.username === '' && u.password === '' && `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** No permission (camera, notifications, geolocation, ...) is ever needed. */
export function isPermissionAllowed(_permission: string): boolean {
  return false;
}

/** IPC is accepted only from the app's own top frame. */
export function isTrustedSender(frameUrl: string | undefined): boolean {
  return frameUrl !== undefined && isNavigationAllowed(frameUrl);
}
