import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { choosePathOptions, parseChoosePath } from '../../src/main/electron/choose-path.js';
import { menuTemplate } from '../../src/main/electron/menu.js';
import {
  isNavigationAllowed,
  isPermissionAllowed,
  isTrustedSender,
  windowOptions,
} from '../../src/main/electron/policies.js';
import { contentSecurityPolicy } from '../../src/main/security/csp.js';
import { resolveInsideRoots, staticFileFor } from '../../src/main/security/path-guard.js';

describe('Electron window and navigation policies', () => {
  test('the window is sandboxed, isolated and has no Node', () => {
    const w = windowOptions('/app/preload/index.cjs').webPreferences!;
    assert.equal(w.contextIsolation, true);
    assert.equal(w.sandbox, true);
    assert.equal(w.nodeIntegration, false);
    assert.equal(w.webSecurity, true);
    assert.equal(w.webviewTag, false);
    assert.equal(w.nodeIntegrationInWorker, false);
    assert.equal(w.allowRunningInsecureContent, false);
    assert.equal(w.experimentalFeatures, false);
    assert.equal(w.preload, '/app/preload/index.cjs');
  });

  test('only the app origin may be navigated to or call IPC', () => {
    assert.equal(isNavigationAllowed('unsure-app://app/index.html'), true);
    for (const url of [
      'https://example.com/',
      'file:///etc/passwd',
      'unsure-app://evil/x',
      'not a url',
      'http://127.0.0.1/',
      'unsure-app://app.evil.example/index.html',
      'unsure-app://user@app/index.html',
      'unsure-media://sample/x.png',
      'javascript:alert(1)',
      'about:blank',
    ]) {
      assert.equal(isNavigationAllowed(url), false, url);
    }
    assert.equal(isTrustedSender('unsure-app://app/index.html'), true);
    assert.equal(isTrustedSender(undefined), false);
    assert.equal(isTrustedSender('https://example.com/'), false);
  });

  test('no permission is granted', () => {
    for (const p of ['media', 'geolocation', 'notifications', 'clipboard-read'])
      assert.equal(isPermissionAllowed(p), false);
  });

  test('the CSP allows no remote or inline script', () => {
    const csp = contentSecurityPolicy(['unsure-media:']);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.match(csp, /img-src [^;]*unsure-media:/);
    assert.doesNotMatch(csp, /unsafe-eval|https?:/);
    for (const d of ["object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'"])
      assert.ok(csp.split('; ').includes(d), d);
  });

  test('the menu offers open, export and retrain with shortcuts', () => {
    const calls: string[] = [];
    const t = menuTemplate(
      {
        openDataset: () => calls.push('open'),
        openDemo: () => calls.push('demo'),
        exportDataset: () => calls.push('export'),
        retrain: () => calls.push('retrain'),
      },
      false,
    );
    const items = t.flatMap((m) => (Array.isArray(m.submenu) ? m.submenu : []));
    const byLabel = (l: string) => items.find((i) => i.label?.startsWith(l));
    for (const [label, call] of [
      ['Open Dataset', 'open'],
      ['Export', 'export'],
      ['Retrain', 'retrain'],
    ] as const) {
      const item = byLabel(label);
      assert.ok(item?.accelerator, `${label} has a shortcut`);
      (item!.click as () => void)();
      assert.equal(calls.at(-1), call);
    }
  });
});

describe('the custom protocol path check', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'unsure-guard-'));
  const data = path.join(root, 'data');
  fs.mkdirSync(path.join(data, '3'), { recursive: true });
  fs.writeFileSync(path.join(data, '3', 'a.png'), 'x');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'x');
  fs.symlinkSync(path.join(root, 'secret.txt'), path.join(data, 'link.png'));

  test('serves files inside the dataset', () => {
    assert.equal(
      resolveInsideRoots(path.join(data, '3', 'a.png'), [data]),
      fs.realpathSync(path.join(data, '3', 'a.png')),
    );
  });

  test('refuses traversal, symlinks out, the root itself and missing files', () => {
    assert.equal(resolveInsideRoots(path.join(data, '..', 'secret.txt'), [data]), null);
    assert.equal(resolveInsideRoots(path.join(data, 'link.png'), [data]), null);
    assert.equal(resolveInsideRoots(data, [data]), null);
    assert.equal(resolveInsideRoots(path.join(data, 'nope.png'), [data]), null);
    assert.equal(resolveInsideRoots('/etc/passwd', [data]), null);
    assert.equal(staticFileFor(data, '/../secret.txt'), null);
    assert.equal(staticFileFor(data, '/%2e%2e/secret.txt'), null);
    assert.equal(staticFileFor(data, '/3/a.png'), fs.realpathSync(path.join(data, '3', 'a.png')));
  });
});

describe('the native path dialogs', () => {
  test('each purpose has its own dialog; the renderer chooses no options', () => {
    assert.deepEqual(choosePathOptions('train').properties, ['openDirectory', 'openFile']);
    assert.deepEqual(choosePathOptions('pool').properties, ['openDirectory', 'openFile']);
    assert.deepEqual(choosePathOptions('model').properties, ['openDirectory', 'openFile']);
    assert.deepEqual(choosePathOptions('predictions').properties, ['openFile']);
    assert.deepEqual(choosePathOptions('export').properties, ['openDirectory', 'createDirectory']);
    assert.equal(parseChoosePath({ purpose: 'export' }), 'export');
  });

  test('any other message is refused by name', () => {
    for (const bad of [null, 'train', {}, { purpose: 'anything' }, { purpose: ['train'] }]) {
      assert.throws(() => parseChoosePath(bad), /choosePath: unknown purpose/);
    }
  });
});
