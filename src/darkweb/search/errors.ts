/** Errors of the dark-web search query language. */
import { AppError } from '../../core/errors.js';

/**
 * Renders the query on one line with a caret under `position` (control characters shown as spaces so the caret lines
 * up).
 */
export function caretLines(query: string, position: number): string {
  // eslint-disable-next-line no-control-regex
  const shown = query.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');
  return `  ${shown}\n  ${' '.repeat(Math.max(0, Math.min(position, shown.length)))}^`;
}

/**
 * A malformed query: `reason` says what was wrong, `position` (0-based) where. The message carries the
 * query and a caret line under the position, ready to print.
 */
export class QuerySyntaxError extends AppError {
  override readonly name = 'QuerySyntaxError';
  readonly code = 'search-query-invalid';
  constructor(
    readonly reason: string,
    readonly position: number,
    readonly query: string,
  ) {
    super(`${reason} at position ${position}\n${caretLines(query, position)}`);
  }
}
