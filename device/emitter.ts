/** A small typed event emitter whose `on` returns its own unsubscribe function. */
export type Listener<T> = (value: T) => void;

export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<Listener<never>>>();

  on<K extends keyof Events>(name: K, listener: Listener<Events[K]>): () => void {
    let set = this.#listeners.get(name);
    if (!set) {
      set = new Set();
      this.#listeners.set(name, set);
    }
    set.add(listener as Listener<never>);
    return () => {
      const current = this.#listeners.get(name);
      current?.delete(listener as Listener<never>);
      if (current?.size === 0) this.#listeners.delete(name);
    };
  }

  emit<K extends keyof Events>(name: K, value: Events[K]): void {
    const set = this.#listeners.get(name);
    if (!set) return;
    for (const listener of [...set]) (listener as Listener<Events[K]>)(value);
  }

  listenerCount(name?: keyof Events): number {
    if (name !== undefined) return this.#listeners.get(name)?.size ?? 0;
    let n = 0;
    for (const set of this.#listeners.values()) n += set.size;
    return n;
  }

  removeAll(): void {
    this.#listeners.clear();
  }
}
