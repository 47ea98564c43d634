/**
 * Concurrency utilities shared by the network code: a FIFO counting semaphore that caps in-flight work
 * (DNS queries and zone transfers today; TLS and HTTP connections next).
 */

/** A FIFO counting semaphore: at most `capacity` holders; the rest wait in arrival order. */
export class Semaphore {
  private active = 0;
  private waiters: Array<() => void> = [];
  private head = 0;

  constructor(private readonly capacity: number) {}

  acquire(): Promise<void> {
    if (this.active < this.capacity) {
      this.active += 1;
      return Promise.resolve();
    }
    return new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /**
   * As `acquire`, without a promise per holder (the connect scan starts tens of thousands): runs `then`
   * at once when a slot is free, else when `release` hands it one.
   */
  acquireThen(then: () => void): void {
    if (this.active < this.capacity) {
      this.active += 1;
      then();
      return;
    }
    this.waiters.push(then);
  }

  release(): void {
    const next = this.waiters[this.head];
    if (next === undefined) {
      this.active = Math.max(0, this.active - 1);
      return;
    }
    // Hand the slot straight to the next waiter (active stays the same).
    this.waiters[this.head] = noop;
    this.head += 1;
    if (this.head > 1024 && this.head * 2 > this.waiters.length) {
      this.waiters = this.waiters.slice(this.head);
      this.head = 0;
    }
    next();
  }

  /** Wakes every waiter (used when the owner closes: they see it closed and return at once). */
  releaseAllWaiters(): void {
    const waiting = this.waiters.slice(this.head);
    this.waiters = [];
    this.head = 0;
    this.active += waiting.length;
    for (const wake of waiting) wake();
  }
}

function noop(): void {}
