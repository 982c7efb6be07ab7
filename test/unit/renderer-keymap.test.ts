import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  assignClassKeys,
  commandForKey,
  COMMAND_LETTERS,
  KEYMAP,
  unboundKeyHint,
} from '../../src/renderer/src/keys/keymap.js';

const digits = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', 'other'];
const fashion = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
  'other',
];

describe('assignClassKeys', () => {
  test('digit classes get their own digit and other gets no class key', () => {
    const k = assignClassKeys(digits);
    for (const d of digits.slice(0, 10)) assert.equal(k.get(d), d);
    assert.equal(k.has('other'), false);
  });

  test('named classes get distinct keys that never collide with command keys', () => {
    const k = assignClassKeys(fashion);
    assert.equal(k.size, 10);
    const keys = [...k.values()];
    assert.equal(new Set(keys).size, keys.length);
    for (const key of keys) assert.equal(COMMAND_LETTERS.has(key), false, `${key} is a command key`);
    assert.equal(k.get('T-shirt/top'), 't');
    assert.equal(k.get('Trouser'), 'r');
    // 'Sandal' cannot have s (skip) or a (keep): it takes the next free letter of its name.
    assert.equal(k.get('Sandal'), 'n');
  });

  test('every key maps back to its class', () => {
    const k = assignClassKeys(fashion);
    for (const [label, key] of k) assert.deepEqual(commandForKey({ key }, k), { type: 'relabel', label });
  });

  test('more classes than keys: the extra ones get none instead of a duplicate', () => {
    const many = Array.from({ length: 60 }, (_, i) => `class${i}`);
    const k = assignClassKeys(many);
    const keys = [...k.values()];
    assert.equal(new Set(keys).size, keys.length);
    assert.ok(k.size < 60 && k.size >= 26);
  });
});

describe('commandForKey', () => {
  const k = assignClassKeys(digits);
  test('decision keys', () => {
    assert.deepEqual(commandForKey({ key: '7' }, k), { type: 'relabel', label: '7' });
    assert.deepEqual(commandForKey({ key: 'o' }, k), { type: 'other' });
    assert.deepEqual(commandForKey({ key: 'Enter' }, k), { type: 'accept' });
    assert.deepEqual(commandForKey({ key: 'a' }, k), { type: 'keep' });
    assert.deepEqual(commandForKey({ key: ' ' }, k), { type: 'view' });
    assert.deepEqual(commandForKey({ key: 's' }, k), { type: 'skip' });
    assert.deepEqual(commandForKey({ key: 'z' }, k), { type: 'undo' });
    assert.deepEqual(commandForKey({ key: 'Backspace' }, k), { type: 'undo' });
  });
  test('movement, with shift extending the selection', () => {
    assert.deepEqual(commandForKey({ key: 'ArrowLeft' }, k), { type: 'move', dx: -1, dy: 0, extend: false });
    // The right arrow skips (App decides whether there is anything to skip); Shift+right extends.
    assert.deepEqual(commandForKey({ key: 'ArrowRight' }, k), { type: 'skipOrMove' });
    assert.deepEqual(commandForKey({ key: 'ArrowRight', shiftKey: true }, k), {
      type: 'move',
      dx: 1,
      dy: 0,
      extend: true,
    });
    assert.deepEqual(commandForKey({ key: 'ArrowDown', shiftKey: true }, k), {
      type: 'move',
      dx: 0,
      dy: 1,
      extend: true,
    });
  });
  test('upper-case R and E are retrain and export; modified keys are left to the browser', () => {
    assert.deepEqual(commandForKey({ key: 'R', shiftKey: true }, k), { type: 'retrain' });
    assert.deepEqual(commandForKey({ key: 'E', shiftKey: true }, k), { type: 'export' });
    assert.equal(commandForKey({ key: 'r', ctrlKey: true }, k), null);
    assert.equal(commandForKey({ key: '7', metaKey: true }, k), null);
    assert.equal(commandForKey({ key: 'Q', shiftKey: true }, k), null);
    assert.deepEqual(commandForKey({ key: '?', shiftKey: true }, k), { type: 'help' });
  });
});

describe('KEYMAP, the one table the help and the buttons render from', () => {
  test("no key is bound twice, and every bound key runs its own row's command", () => {
    const keys = KEYMAP.flatMap((b) => b.keys);
    assert.equal(new Set(keys).size, keys.length, `a key is bound twice: ${keys.join(' ')}`);
    for (const b of KEYMAP)
      for (const key of b.keys) assert.deepEqual(commandForKey({ key }, new Map()), b.command(key, false), key);
  });
  test("the command letters are the table's single lower-case letters", () => {
    assert.deepEqual([...COMMAND_LETTERS].sort(), ['a', 'i', 'm', 'o', 's', 'x', 'z']);
  });
});

describe('unboundKeyHint', () => {
  test('a character key that means nothing here gets a hint; bound, modified and non-character keys none', () => {
    const pets = assignClassKeys(['Maine Coon', 'sphynx']);
    assert.equal(
      unboundKeyHint({ key: '2' }, pets),
      '"2" is not a key here: the decision bar shows each class\'s key, and ? lists them all.',
    );
    assert.match(unboundKeyHint({ key: 'X', shiftKey: true }, pets) ?? '', /^"X" is not a key here/);
    for (const key of [pets.get('sphynx')!, 'o', '?', ' ', 'Enter', 'Shift', 'F5', 'ArrowUp'])
      assert.equal(unboundKeyHint({ key }, pets), null, key);
    assert.equal(unboundKeyHint({ key: '2', ctrlKey: true }, pets), null);
    assert.equal(unboundKeyHint({ key: '2' }, assignClassKeys(digits)), null, 'a digit class key');
  });
});
