import { describe, expect, it } from 'vitest';
import { DisposableStore, toDisposable } from '../../../core/disposable.ts';

describe('DisposableStore', () => {
  it('disposes what was added, the last added first, once', async () => {
    const store = new DisposableStore();
    const order: string[] = [];
    store.defer(() => {
      order.push('timer');
    });
    store.add(
      toDisposable(async () => {
        await Promise.resolve();
        order.push('socket');
      }),
    );
    store.defer(() => {
      order.push('listener');
    });
    expect(store.isDisposed).toBe(false);
    await Promise.all([store.dispose(), store.dispose()]);
    await store.dispose();
    expect(order).toEqual(['listener', 'socket', 'timer']);
    expect(store.isDisposed).toBe(true);
  });

  it('disposes at once what is added after it was disposed', async () => {
    const store = new DisposableStore();
    await store.dispose();
    let disposed = false;
    store.defer(() => {
      disposed = true;
    });
    expect(disposed).toBe(true);
  });

  it('disposes the others when one fails, then throws the failure', async () => {
    const store = new DisposableStore();
    const order: string[] = [];
    store.defer(() => {
      order.push('first');
    });
    store.defer(() => {
      throw new Error('socket would not close');
    });
    store.defer(() => {
      order.push('last');
    });
    await expect(store.dispose()).rejects.toThrow('socket would not close');
    expect(order).toEqual(['last', 'first']);
  });
});
