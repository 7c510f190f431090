/**
 * Ownership of what runs, as VS Code's `DisposableStore`: whatever a module starts (a timer, a
 * listener, a socket, a child process, a database) it registers with its owner's store, and the
 * owner's one `dispose()` ends all of it. Nothing is left to a caller's memory of what to close.
 */

export interface Disposable {
  dispose(): void | Promise<void>;
}

/** A disposable that runs `dispose` once. */
export function toDisposable(dispose: () => void | Promise<void>): Disposable {
  let done = false;
  return {
    dispose() {
      if (done) return;
      done = true;
      return dispose();
    },
  };
}

/**
 * Disposables disposed together, the last added first (what was built on something goes before
 * it). A disposable added after `dispose()` is disposed at once. A failing one does not stop the
 * others; the first failure is thrown once all have run.
 */
export class DisposableStore implements Disposable {
  readonly #items: Disposable[] = [];
  #disposing: Promise<void> | undefined;

  get isDisposed(): boolean {
    return this.#disposing !== undefined;
  }

  add<T extends Disposable>(item: T): T {
    if (this.#disposing) void Promise.resolve(item.dispose()).catch(() => undefined);
    else this.#items.push(item);
    return item;
  }

  /** Registers a function that ends something this store's owner started. */
  defer(dispose: () => void | Promise<void>): void {
    this.add(toDisposable(dispose));
  }

  dispose(): Promise<void> {
    this.#disposing ??= this.#disposeAll();
    return this.#disposing;
  }

  async #disposeAll(): Promise<void> {
    let failure: { error: unknown } | undefined;
    for (let item = this.#items.pop(); item !== undefined; item = this.#items.pop()) {
      try {
        await item.dispose();
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }
}
