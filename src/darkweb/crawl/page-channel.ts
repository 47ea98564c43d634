/**
 * A small bounded channel between the crawl workers (producers) and whoever stores the pages (one
 * consumer): producers wait when it is full, so a slow database slows the crawl instead of filling memory.
 */

/** A bounded single-consumer channel. */
export class PageChannel<T> {
  private readonly items: T[] = [];
  private readonly waitingProducers: Array<() => void> = [];
  private waitingConsumer: (() => void) | undefined;
  private closed = false;

  constructor(private readonly capacity: number) {}

  /** Adds an item, waiting while the channel is full; resolves false if the channel was closed. */
  async push(item: T): Promise<boolean> {
    while (!this.closed && this.items.length >= this.capacity)
      await new Promise<void>((resolve) => this.waitingProducers.push(resolve));
    if (this.closed) return false;
    this.items.push(item);
    this.wake();
    return true;
  }

  /** No more items will come; the consumer drains what is left. Also releases waiting producers. */
  close(): void {
    this.closed = true;
    this.wake();
    for (const release of this.waitingProducers.splice(0)) release();
  }

  /** Yields items until the channel is closed and drained. */
  async *drain(): AsyncGenerator<T> {
    for (;;) {
      const item = this.items.shift();
      if (item !== undefined) {
        this.waitingProducers.shift()?.();
        yield item;
        continue;
      }
      if (this.closed) return;
      await new Promise<void>((resolve) => (this.waitingConsumer = resolve));
    }
  }

  private wake(): void {
    const consumer = this.waitingConsumer;
    this.waitingConsumer = undefined;
    consumer?.();
  }
}
