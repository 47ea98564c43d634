/**
 * Worker side of the timeout tests (tcp-attempt.test.ts, connect-scan.test.ts): a listener that never
 * accepts. It listens with a backlog of one, then blocks its own event loop until told to stop, so the
 * kernel's accept queue fills and further SYNs go unanswered: to a connect scan, a filtered port.
 */
import net from 'node:net';
import { parentPort, workerData } from 'node:worker_threads';

const { stop } = workerData as { stop: SharedArrayBuffer };
const server = net.createServer();
server.listen({ host: '127.0.0.1', port: 0, backlog: 1 }, () => {
  parentPort?.postMessage((server.address() as net.AddressInfo).port);
  Atomics.wait(new Int32Array(stop), 0, 0);
  server.close();
});
