/**
 * CPU time for benchmarks on a shared machine, where wall time mostly measures the other tenants: the
 * calling thread's own (user + system) and that of reaped child processes, from Linux's /proc. Null
 * where /proc is missing (the figures are then left out, never guessed).
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on every Linux architecture Node runs on). */
const TICKS = 100;

function statFields(path: string): string[] | null {
  try {
    const text = readFileSync(path, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/**
 * This thread's CPU seconds: the scheduler's nanosecond count (/proc/thread-self/schedstat) where the
 * kernel keeps it, else utime + stime of /proc/thread-self/stat in clock ticks (10 ms: a third of a
 * fast scan's time).
 */
export function threadCpuSeconds(): number | null {
  try {
    const ns = Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]);
    if (Number.isFinite(ns) && ns > 0) return ns / 1e9;
  } catch {
    // no schedstat (kernels without CONFIG_SCHED_INFO): the tick counts below
  }
  const f = statFields('/proc/thread-self/stat');
  return f === null ? null : (Number(f[11]) + Number(f[12])) / TICKS;
}

/** CPU seconds of this process's children that have exited and been waited for (cutime + cstime). */
export function childrenCpuSeconds(): number | null {
  const f = statFields('/proc/self/stat');
  return f === null ? null : (Number(f[13]) + Number(f[14])) / TICKS;
}
