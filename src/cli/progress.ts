/**
 * Progress for long work: a bar on a terminal (standard error), nothing when output is piped, so JSON
 * on standard output stays clean.
 */
import cliProgress from 'cli-progress';
import { sanitizeTerminalLine } from './sanitize.js';

export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

export function startProgress(
  label: string,
  total: number,
  stream: NodeJS.WriteStream = process.stderr,
  { enabled = true }: { enabled?: boolean } = {},
): Progress {
  if (!enabled || !stream.isTTY || total === 0) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${sanitizeTerminalLine(label)} [{bar}] {value}/{total} {percentage}% | {detail}`,
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 50,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: '' });
  return {
    update(done, detail = '') {
      bar.update(done, { detail: sanitizeTerminalLine(detail) });
    },
    stop() {
      bar.stop();
    },
  };
}
