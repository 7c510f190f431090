import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import {
  isBlockedInput,
  type KeyInput,
  kioskCommandLineSwitches,
  type LockableContents,
  lockDownContents,
} from '../../../electron/input-lockdown.ts';

type Mods = Partial<Pick<KeyInput, 'control' | 'alt' | 'meta' | 'shift'>>;
const key = (k: string, mods: Mods = {}, code = ''): KeyInput => ({
  type: 'keyDown',
  key: k,
  code,
  control: false,
  alt: false,
  meta: false,
  shift: false,
  ...mods,
});
const ctrl = { control: true };
const ctrlShift = { control: true, shift: true };

describe('isBlockedInput', () => {
  const blocked: Array<[string, KeyInput]> = [
    ['Alt+F4', key('F4', { alt: true }, 'F4')],
    ['Ctrl+W', key('w', ctrl, 'KeyW')],
    ['Ctrl+Q', key('q', ctrl, 'KeyQ')],
    ['Ctrl+R', key('r', ctrl, 'KeyR')],
    ['Ctrl+Shift+R', key('R', ctrlShift, 'KeyR')],
    ['Cmd+W', key('w', { meta: true }, 'KeyW')],
    ['Cmd+Q', key('q', { meta: true }, 'KeyQ')],
    ['F5', key('F5', {}, 'F5')],
    ['F11', key('F11', {}, 'F11')],
    ['F12', key('F12', {}, 'F12')],
    ['F7 caret browsing', key('F7', {}, 'F7')],
    ['Shift+F10 context menu', key('F10', { shift: true }, 'F10')],
    ['Ctrl+Shift+I', key('I', ctrlShift, 'KeyI')],
    ['Ctrl+Shift+J', key('J', ctrlShift, 'KeyJ')],
    ['Ctrl+Shift+C', key('C', ctrlShift, 'KeyC')],
    ['Ctrl+P', key('p', ctrl, 'KeyP')],
    ['Ctrl+S', key('s', ctrl, 'KeyS')],
    ['Ctrl+O', key('o', ctrl, 'KeyO')],
    ['Ctrl+N', key('n', ctrl, 'KeyN')],
    ['Ctrl+T', key('t', ctrl, 'KeyT')],
    ['Ctrl+Shift+T', key('T', ctrlShift, 'KeyT')],
    ['Ctrl+Tab', key('Tab', ctrl, 'Tab')],
    ['Alt+Left', key('ArrowLeft', { alt: true }, 'ArrowLeft')],
    ['Alt+Right', key('ArrowRight', { alt: true }, 'ArrowRight')],
    ['Alt+Home', key('Home', { alt: true }, 'Home')],
    ['Alt+Space window menu', key(' ', { alt: true }, 'Space')],
    ['Ctrl++', key('+', ctrl, 'NumpadAdd')],
    ['Ctrl+=', key('=', ctrl, 'Equal')],
    ['Ctrl+-', key('-', ctrl, 'Minus')],
    ['Ctrl+0', key('0', ctrl, 'Digit0')],
    ['Ctrl+C copy (clipboard carries data to the next visitor)', key('c', ctrl, 'KeyC')],
    ['Ctrl+V paste', key('v', ctrl, 'KeyV')],
    ['Ctrl+X cut', key('x', ctrl, 'KeyX')],
    ['Shift+Insert paste', key('Insert', { shift: true }, 'Insert')],
    ['Ctrl+Insert copy', key('Insert', ctrl, 'Insert')],
    ['Super+D', key('d', { meta: true }, 'KeyD')],
    ['Meta alone', key('Meta', { meta: true }, 'MetaLeft')],
    ['Ctrl+Alt+T', key('t', { control: true, alt: true }, 'KeyT')],
    ['Ctrl+Alt+Delete', key('Delete', { control: true, alt: true }, 'Delete')],
    ['Ctrl+Alt+F1', key('F1', { control: true, alt: true }, 'F1')],
    ['Ctrl+Alt+ArrowLeft', key('ArrowLeft', { control: true, alt: true }, 'ArrowLeft')],
    ['browser back key', key('BrowserBack', {}, 'BrowserBack')],
    ['browser refresh key', key('BrowserRefresh', {}, 'BrowserRefresh')],
    ['context menu key', key('ContextMenu', {}, 'ContextMenu')],
    ['Alt+letter', key('f', { alt: true }, 'KeyF')],
    ['keyUp of a blocked combination', { ...key('F5', {}, 'F5'), type: 'keyUp' }],
  ];
  for (const [name, input] of blocked) {
    it(`blocks ${name}`, () => expect(isBlockedInput(input)).toBe(true));
  }

  const allowed: Array<[string, KeyInput]> = [
    ['a letter', key('a', {}, 'KeyA')],
    ['a capital', key('A', { shift: true }, 'KeyA')],
    ['an umlaut', key('ü', {}, 'BracketLeft')],
    ['Arabic', key('ع', {}, 'KeyU')],
    ['MRZ filler <', key('<', {}, 'IntlBackslash')],
    ['Enter', key('Enter', {}, 'Enter')],
    ['Tab', key('Tab', {}, 'Tab')],
    ['Shift+Tab', key('Tab', { shift: true }, 'Tab')],
    ['Backspace', key('Backspace', {}, 'Backspace')],
    ['Escape (closes the page’s own dialogs)', key('Escape', {}, 'Escape')],
    ['arrows', key('ArrowDown', {}, 'ArrowDown')],
    ['Ctrl+A select all', key('a', ctrl, 'KeyA')],
    ['Ctrl+Z undo', key('z', ctrl, 'KeyZ')],
    ['Ctrl+Shift+Z redo', key('Z', ctrlShift, 'KeyZ')],
    ['Ctrl+Y redo', key('y', ctrl, 'KeyY')],
    ['Ctrl+Backspace delete word', key('Backspace', ctrl, 'Backspace')],
    ['Ctrl+ArrowLeft word left', key('ArrowLeft', ctrl, 'ArrowLeft')],
    ['Ctrl+Shift+ArrowRight select word', key('ArrowRight', ctrlShift, 'ArrowRight')],
    ['AltGr+Q = @ on Windows (Ctrl+Alt)', key('@', { control: true, alt: true }, 'KeyQ')],
    ['AltGr+E = €', key('€', { control: true, alt: true }, 'KeyE')],
    ['AltGr+ß = \\', key('\\', { control: true, alt: true }, 'Minus')],
    ['AltGr+8 = [', key('[', { control: true, alt: true }, 'Digit8')],
    ['Shift pressed alone', key('Shift', { shift: true }, 'ShiftLeft')],
    ['Control pressed alone', key('Control', ctrl, 'ControlLeft')],
    ['AltGraph pressed alone (Windows: Ctrl+Alt)', key('AltGraph', { control: true, alt: true }, 'AltRight')],
    ['Alt pressed alone', key('Alt', { alt: true }, 'AltLeft')],
  ];
  for (const [name, input] of allowed) {
    it(`lets through ${name}`, () => expect(isBlockedInput(input)).toBe(false));
  }

  it('blocks every function key F1–F24 by key or by code', () => {
    for (let n = 1; n <= 24; n++) {
      expect(isBlockedInput(key(`F${n}`, {}, `F${n}`)), `F${n}`).toBe(true);
      expect(isBlockedInput(key('Unidentified', {}, `F${n}`)), `code F${n}`).toBe(true);
    }
  });

  it('refuses Ctrl with every letter except select all, undo and redo', () => {
    const open = [...'abcdefghijklmnopqrstuvwxyz'].filter((c) => !isBlockedInput(key(c, ctrl, `Key${c}`)));
    expect(open).toEqual(['a', 'y', 'z']);
  });
});

class FakeContents extends EventEmitter implements LockableContents {
  zoomFactor = 2;
  visualLimits: [number, number] | null = null;
  historyCleared = 0;
  destroyed = false;
  readonly navigationHistory = { clear: () => void this.historyCleared++ };
  setVisualZoomLevelLimits(min: number, max: number): Promise<void> {
    this.visualLimits = [min, max];
    return Promise.resolve();
  }
  setZoomFactor(factor: number): void {
    this.zoomFactor = factor;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

function preventable() {
  const event = {
    prevented: false,
    preventDefault() {
      event.prevented = true;
    },
  };
  return event;
}

describe('lockDownContents', () => {
  it('prevents blocked keys and counts them, without being told the key', () => {
    const contents = new FakeContents();
    let blocked = 0;
    lockDownContents(contents, { blockShortcuts: true, onBlocked: () => blocked++ });
    const f5 = preventable();
    contents.emit('before-input-event', f5, key('F5', {}, 'F5'));
    const letter = preventable();
    contents.emit('before-input-event', letter, key('a', {}, 'KeyA'));
    expect([f5.prevented, letter.prevented, blocked]).toEqual([true, false, 1]);
  });

  it('lets shortcuts through in development but still refuses the context menu', () => {
    const contents = new FakeContents();
    lockDownContents(contents, { blockShortcuts: false });
    const f12 = preventable();
    contents.emit('before-input-event', f12, key('F12', {}, 'F12'));
    const menu = preventable();
    contents.emit('context-menu', menu);
    expect([f12.prevented, menu.prevented]).toEqual([false, true]);
  });

  it('fixes zoom and pinch on load and on a zoom request, and leaves no history to go back to', () => {
    const contents = new FakeContents();
    lockDownContents(contents, { blockShortcuts: true });
    contents.emit('did-finish-load');
    expect(contents.zoomFactor).toBe(1);
    expect(contents.visualLimits).toEqual([1, 1]);
    expect(contents.historyCleared).toBe(1);
    contents.zoomFactor = 1.5;
    const zoom = preventable();
    contents.emit('zoom-changed', zoom, 'in');
    expect(zoom.prevented).toBe(true);
    expect(contents.zoomFactor).toBe(1);
  });

  it('removes every listener it added', () => {
    const contents = new FakeContents();
    const remove = lockDownContents(contents, { blockShortcuts: true });
    expect(contents.eventNames().length).toBe(4);
    remove();
    expect(contents.eventNames()).toEqual([]);
  });

  it('turns off pinch zoom and overscroll history navigation on the command line', () => {
    const switches = new Map(kioskCommandLineSwitches().map(([name, value]) => [name, value]));
    expect(switches.has('disable-pinch')).toBe(true);
    expect(switches.get('disable-features')?.split(',')).toContain('OverscrollHistoryNavigation');
  });
});
