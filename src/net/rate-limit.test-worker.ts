/** Worker side of the rate-limit test (rate-limit.test.ts): takes `count` slots from a shared limit. */
import { parentPort, workerData } from 'node:worker_threads';
import { RateLimiter, type RateLimitSpec } from './rate-limit.js';

const { spec, count } = workerData as { spec: RateLimitSpec; count: number };
const limiter = new RateLimiter(spec);
for (let i = 0; i < count; i++) await limiter.take();
parentPort?.postMessage('done');
