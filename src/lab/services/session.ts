/**
 * How every lab service reads: bytes accumulate (at most 64 KiB) and a handler consumes whole messages;
 * a handler that cannot make sense of the bytes closes the connection, as the real servers do with a
 * client speaking another protocol. Idle connections are closed after a while.
 */
import type net from 'node:net';

const MAX_BUFFERED = 64 * 1024;
const IDLE_MS = 15_000;

/** Bytes used (0: need more), or 'close' to end the connection. */
export type Consumed = number | 'close';

export function session(socket: net.Socket, handle: (data: Buffer) => Consumed): void {
  let buffer: Buffer = Buffer.alloc(0);
  socket.setTimeout(IDLE_MS, () => socket.destroy());
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: Buffer) => {
    buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
    if (buffer.length > MAX_BUFFERED) {
      socket.destroy();
      return;
    }
    while (buffer.length > 0 && !socket.destroyed) {
      let used: Consumed;
      try {
        used = handle(buffer);
      } catch {
        used = 'close';
      }
      if (used === 'close') {
        socket.end();
        socket.destroySoon?.();
        return;
      }
      if (used === 0) return;
      buffer = buffer.subarray(used);
    }
  });
}

/** A text line (CRLF or LF) at the start of `data`: the line and the bytes it takes, or null. */
export function takeLine(data: Buffer): { line: string; used: number } | null {
  const end = data.indexOf(0x0a);
  if (end < 0) {
    if (data.length > 4096) throw new Error('line too long');
    return null;
  }
  return { line: data.subarray(0, end).toString('latin1').replace(/\r$/, ''), used: end + 1 };
}

/** Whether text is what a line-based protocol client sends (printable ASCII and whitespace). */
export function isText(line: string): boolean {
  return !/[\x00-\x08\x0e-\x1f\x7f-\xff]/.test(line);
}
