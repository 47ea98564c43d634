#!/usr/bin/env node
/**
 * Builds the connect scan's native attempt engine (native/connect-engine) with node-gyp, run by
 * `npm install` / `npm ci`. Optional by design: on a machine without a C compiler or Node's headers, or
 * not on Linux, the scan uses libuv TCP handles instead (same verdicts, slower), so a failed build warns
 * and does not fail the install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const directory = join(dirname(fileURLToPath(import.meta.url)), '..', 'native', 'connect-engine');

function nodeGyp() {
  // npm tells its lifecycle scripts where its own node-gyp is; else look beside this Node's npm.
  const candidates = [
    process.env.npm_config_node_gyp,
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((path) => path && existsSync(path)) ?? null;
}

if (process.platform !== 'linux') {
  console.log('vitals: the native connect engine is Linux-only; the port scan uses libuv handles here');
  process.exit(0);
}
const gyp = nodeGyp();
if (gyp === null) {
  console.warn('vitals: node-gyp not found; the port scan uses libuv handles (slower, same verdicts)');
  process.exit(0);
}
// Node's headers: npm's configured nodedir, else the ones installed with this Node (no download).
const nodedir = process.env.npm_config_nodedir || join(dirname(process.execPath), '..');
const args = [gyp, 'rebuild', '--directory', directory];
if (existsSync(join(nodedir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodedir}`);
const built = spawnSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
if (built.status !== 0) {
  console.warn(`${built.stdout ?? ''}${built.stderr ?? ''}`.trim().split('\n').slice(-20).join('\n'));
  console.warn('vitals: building the native connect engine failed; the port scan uses libuv handles (slower)');
} else console.log('vitals: built the native connect engine (native/connect-engine)');
