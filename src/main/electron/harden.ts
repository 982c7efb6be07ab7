// Wires the pure policies (policies.ts, external-links.ts) to every web contents and to the
// session, so no window, frame or webview the app did not mean to make escapes them.
import { shell, type Session, type WebContents } from 'electron';
import { isExternalLinkAllowed } from './external-links.js';
import { isNavigationAllowed, isPermissionAllowed } from './policies.js';

export function hardenContents(contents: WebContents): void {
  contents.on('will-attach-webview', (e) => e.preventDefault());
  // Top-level and sub-frame navigations and server redirects all stay inside the app.
  const refuse = (e: { preventDefault(): void }, url: string) => {
    if (!isNavigationAllowed(url)) e.preventDefault();
  };
  contents.on('will-navigate', (e) => refuse(e, e.url));
  contents.on('will-frame-navigate', (e) => refuse(e, e.url));
  contents.on('will-redirect', (e) => refuse(e, e.url));
  contents.setWindowOpenHandler(({ url }) => {
    // No new windows ever; only the links the app shows go to the user's browser.
    if (isExternalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
}

export function hardenSession(s: Session): void {
  s.setPermissionRequestHandler((_wc, permission, cb) => cb(isPermissionAllowed(permission)));
  s.setPermissionCheckHandler((_wc, permission) => isPermissionAllowed(permission));
  s.setDevicePermissionHandler((d) => isPermissionAllowed(d.deviceType));
}
