/**
 * A real port that never answers (tests only): a listener in a worker thread that never accepts, with
 * its accept queue filled, so a SYN to it is dropped as a firewall would drop it. See
 * tcp-attempt.test-worker.ts.
 */
import net from 'node:net';
import { Worker } from 'node:worker_threads';

export interface SilentListener {
  port: number;
  close(): Promise<void>;
}

export async function startSilentListener(): Promise<SilentListener> {
  const stop = new SharedArrayBuffer(4);
  const worker = new Worker(new URL('./tcp-attempt.test-worker.js', import.meta.url), { workerData: { stop } });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  // Fill the accept queue (a backlog of 1 queues two connections on Linux); each filler
  // completes its handshake in the kernel, so wait until one of them no longer does.
  const fillers: net.Socket[] = [];
  for (let i = 0; i < 8; i++) {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.on('error', () => undefined);
    fillers.push(socket);
    const connected = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), 200);
      socket.once('connect', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!connected) break;
  }
  return {
    port,
    close: async () => {
      for (const socket of fillers) socket.destroy();
      Atomics.store(new Int32Array(stop), 0, 1);
      Atomics.notify(new Int32Array(stop), 0);
      await worker.terminate();
    },
  };
}
