/**
 * A small RFC 4180 CSV reader: comma-separated fields, double-quoted fields that may contain commas,
 * line breaks and doubled quotes. Lenient only where harmless: LF or CR line ends as well as CRLF, a
 * UTF-8 byte-order mark, blank lines skipped.
 */
import { AppError } from '../core/errors.js';

/** One record and the physical line it starts on (1-based), for error messages. */
export interface CsvRecord {
  line: number;
  fields: string[];
}

/** A syntax error that makes the rest of the file unreliable. */
export class CsvSyntaxError extends AppError {
  override readonly name = 'CsvSyntaxError';
  readonly code = 'csv-syntax';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`line ${line}: ${message}`);
  }
}

/** Parse CSV text into records; throws `CsvSyntaxError`. */
export function parseCsv(input: string): CsvRecord[] {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const records: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let recordLine = 1;
  let i = 0;
  // False until the current record has any character, quote or separator: a blank line is skipped
  // rather than reported as a short row.
  let hasContent = false;

  const endRecord = (): void => {
    fields.push(field);
    if (hasContent) records.push({ line: recordLine, fields });
    fields = [];
    field = '';
    hasContent = false;
  };
  /** Consumes a line break at `i` if there is one (CRLF, LF or CR) and returns whether it did. */
  const lineBreak = (): boolean => {
    const c = text[i];
    if (c === '\r') {
      i += text[i + 1] === '\n' ? 2 : 1;
    } else if (c === '\n') {
      i += 1;
    } else {
      return false;
    }
    line += 1;
    return true;
  };

  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      hasContent = true;
      // RFC 4180 section 2.5: a quoted field must be quoted from its first character.
      if (field !== '')
        throw new CsvSyntaxError(
          line,
          'a double quote inside an unquoted field (quote the whole field and double the quote)',
        );
      const startLine = line;
      i += 1;
      for (;;) {
        if (i >= text.length) throw new CsvSyntaxError(startLine, 'quoted field is never closed');
        const q = text[i];
        if (q === '"') {
          // Section 2.7: a double quote inside a quoted field is written twice.
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i += 1;
          break;
        }
        if (q === '\r' || q === '\n') {
          // Section 2.6: line breaks may appear inside quotes; keep them as they are written.
          const start = i;
          lineBreak();
          field += text.slice(start, i);
          continue;
        }
        field += q;
        i += 1;
      }
      const next = text[i];
      if (next !== undefined && next !== ',' && next !== '\r' && next !== '\n') {
        throw new CsvSyntaxError(line, 'unexpected character after a closing double quote');
      }
      // The field itself is pushed by the separator, line end or end of input that follows.
      continue;
    }
    if (c === ',') {
      hasContent = true;
      fields.push(field);
      field = '';
      i += 1;
      continue;
    }
    if (lineBreak()) {
      endRecord();
      recordLine = line;
      continue;
    }
    hasContent = true;
    field += c;
    i += 1;
  }
  endRecord();
  return records;
}
