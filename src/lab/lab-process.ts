/**
 * Is the pid in the lab's state file really the lab? A state file outlives its process (a crash, a
 * reboot), pids are reused, and the file can be edited: `lab down` signals a pid only when it is above 1,
 * alive, runs this program's `lab` command, and (where the state recorded it) started at the recorded
 * time. Anything else is reported, never signalled. Linux answers from /proc; elsewhere `ps` does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import type { LabState } from './lab-runner.js';

/** What a recorded pid turned out to be. */
export type LabProcessCheck =
  | { status: 'lab' }
  | { status: 'invalid'; reason: string }
  | { status: 'gone'; reason: string }
  | { status: 'foreign'; reason: string };

/** Identifies the lab process across pid reuse: its start time in clock ticks since boot (Linux). */
export function processStartToken(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may itself contain spaces and parentheses;
    // the fields after the last ')' start at field 3, so the start time (field 22) is the 20th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19];
  } catch {
    return undefined;
  }
}

/** The command line of `pid` as its arguments, or undefined when it cannot be read. */
export function processCommandLine(pid: number): string[] | undefined {
  if (existsSync('/proc/self/cmdline')) {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
        .split('\0')
        .filter((a) => a !== '');
    } catch {
      return undefined;
    }
  }
  const ps = spawnSync('ps', ['-p', String(pid), '-o', 'args='], { encoding: 'utf8' });
  return ps.status === 0 ? ps.stdout.trim().split(/\s+/) : undefined;
}

/** The lab runs as `node .../bin/vitals.js lab serve ...` (background) or `... lab up --foreground`. */
function looksLikeLab(args: readonly string[]): boolean {
  const entry = args.findIndex((a) => /(^|[/\\])vitals(\.js)?$/.test(a));
  if (entry < 0) return false;
  const rest = args.slice(entry + 1);
  return rest[0] === 'lab' && (rest[1] === 'serve' || rest[1] === 'up');
}

/** True when a process has `pid` (EPERM: it exists, under another user). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Checks that `pid` (from a state file) is the lab recorded with `startToken`, before anyone signals it. */
export function checkLabProcess(pid: unknown, startToken?: string): LabProcessCheck {
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 1) {
    // kill(0) signals our own process group, kill(-1) every process we may signal, pid 1 is init.
    return { status: 'invalid', reason: `the recorded pid ${JSON.stringify(pid)} is not a valid lab pid` };
  }
  if (pid === process.pid) return { status: 'foreign', reason: `pid ${pid} is this very command` };
  if (!isProcessAlive(pid)) return { status: 'gone', reason: `no process has pid ${pid} any more` };
  const args = processCommandLine(pid);
  if (args === undefined) return { status: 'foreign', reason: `the command line of pid ${pid} cannot be read` };
  if (!looksLikeLab(args)) {
    const shown = args.join(' ').slice(0, 200);
    return { status: 'foreign', reason: `pid ${pid} is another program (${shown || 'no command line'})` };
  }
  if (startToken !== undefined) {
    const current = processStartToken(pid);
    if (current !== undefined && current !== startToken) {
      return { status: 'foreign', reason: `pid ${pid} was started after the lab recorded it (a reused pid)` };
    }
  }
  return { status: 'lab' };
}

/** True when the state file's process is the lab itself, alive. */
export function isLabRunning(state: Pick<LabState, 'pid' | 'startToken'>): boolean {
  return checkLabProcess(state.pid, state.startToken).status === 'lab';
}
