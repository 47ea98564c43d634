/**
 * Text from the outside world (DNS TXT data, dark-web text, organization names, server error messages)
 * reaches the terminal in tables, summaries, progress and error lines. A control character in it could
 * move the cursor, recolour or clear the screen, set the window title or hide text (ANSI/VT escapes
 * start with ESC or the C1 CSI), and bidirectional overrides can make text read differently from what it
 * is. Every such character is shown as a visible escape (`\x1b`, `\u202e`) instead, so the data stays
 * readable and cannot drive the terminal. JSON output never goes through here: escaping is JSON's job.
 */

// C0 controls except tab and newline, DEL, C1 controls, and the Unicode bidirectional controls.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// The same plus tab, newline: a table cell or a one-line message must stay on its line.
const CONTROLS_AND_LAYOUT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visibleEscape(ch: string): string {
  const code = ch.charCodeAt(0);
  return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** Terminal-safe text that may span lines (summaries, messages): keeps newline and tab. */
export function sanitizeTerminalText(text: string): string {
  return text.replace(CONTROLS, visibleEscape);
}

/** Terminal-safe text for one line (table cells, progress details, names in a line): escapes newline and tab too. */
export function sanitizeTerminalLine(text: string): string {
  return text.replace(CONTROLS_AND_LAYOUT, visibleEscape);
}
