import type { EventName, EventPayload, KioskEvent } from '../api/contract.ts';

/** The host's pushed events. Every subscription returns its own disposer. */
export class EventBus {
  private readonly listeners = new Set<(event: KioskEvent) => void>();

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    const event = { name, payload } as KioskEvent;
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch {
        // A broken listener (e.g. a closed socket) must not stop the others.
      }
    }
  }

  subscribe(listener: (event: KioskEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
