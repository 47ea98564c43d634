/**
 * HL7 v2 messages (ADT, ORU...) as dumps carry them: one segment per line, fields separated by `|`,
 * components by `^` (the MSH defaults, which nearly every feed keeps). Fields are numbered as the
 * standard numbers them: in `PID|1||4711^^^MRN||DOE^JANE`, field 1 is `1` and field 3 `4711^^^MRN`.
 * Extractors read identifiers from the field the standard assigns them (PID-19 the patient's SSN,
 * DG1-3 the diagnosis code), which no context word next to the value announces.
 */

/** One field or component: its text and where it starts in the document. */
export interface Hl7Value {
  text: string;
  start: number;
}

/** A segment line: `PID|`, `DG1|` (three capitals or digits then `|`) at the start of a line. */
const SEGMENT = /^([A-Z][A-Z0-9]{2})\|/gm;
/** Segments examined per document: a dump of millions of lines still costs a bounded pass. */
const MAX_SEGMENTS = 100_000;

/** Field `n` (1-based, as numbered by HL7) of every `segment` line in `text`. */
export function hl7Fields(text: string, segment: string, n: number): Hl7Value[] {
  if (!text.includes(`${segment}|`)) return [];
  const out: Hl7Value[] = [];
  SEGMENT.lastIndex = 0;
  let seen = 0;
  for (let m = SEGMENT.exec(text); m !== null && seen < MAX_SEGMENTS; m = SEGMENT.exec(text)) {
    seen++;
    if (m[1] !== segment) continue;
    let lineEnd = text.indexOf('\n', m.index);
    if (lineEnd === -1) lineEnd = text.length;
    let start = m.index + segment.length + 1;
    for (let field = 1; start <= lineEnd; field++) {
      let end = text.indexOf('|', start);
      if (end === -1 || end > lineEnd) end = lineEnd;
      if (field === n) {
        out.push({ text: text.slice(start, end).replace(/\r$/, ''), start });
        break;
      }
      start = end + 1;
    }
  }
  return out;
}

/** The components (`^`-separated) of a field, with their offsets. */
export function hl7Components(field: Hl7Value): Hl7Value[] {
  const out: Hl7Value[] = [];
  let start = 0;
  for (const part of field.text.split('^')) {
    out.push({ text: part, start: field.start + start });
    start += part.length + 1;
  }
  return out;
}
