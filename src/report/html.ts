/**
 * The HTML building blocks of the reports: escaping by default, one page skeleton with its inline CSS
 * (screen and print), tables. Every text that reaches a page goes through `html`, which escapes whatever
 * it interpolates unless the value is already `SafeHtml` (markup built here, or an SVG chart rendered on
 * the server): organization names and notes come from user files and must never become markup.
 */

/** Markup that is already safe to put in a page as it is. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** What `html` accepts between its literal parts: text is escaped, SafeHtml kept, lists concatenated. */
export type HtmlValue = SafeHtml | string | number | null | undefined | false | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A template tag: literal parts are markup, interpolated values are escaped (see HtmlValue). */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!;
  return new SafeHtml(out);
}

/** A column of an HTML table. */
export interface HtmlColumn<T> {
  header: string;
  cell: (row: T) => HtmlValue;
  /** Numbers align right. */
  numeric?: boolean;
}

export function htmlTable<T>(rows: readonly T[], columns: ReadonlyArray<HtmlColumn<T>>, caption?: string): SafeHtml {
  const cls = (c: HtmlColumn<T>): string | null => (c.numeric ? 'num' : null);
  const attr = (c: HtmlColumn<T>): SafeHtml => new SafeHtml(cls(c) === null ? '' : ` class="${cls(c)}"`);
  return html`<table>${caption === undefined ? '' : html`<caption>${caption}</caption>`}
<thead><tr>${columns.map((c) => html`<th${attr(c)}>${c.header}</th>`)}</tr></thead>
<tbody>
${rows.map((row) => html`<tr>${columns.map((c) => html`<td${attr(c)}>${c.cell(row)}</td>`)}</tr>\n`)}</tbody>
</table>`;
}

/** Grade colours, shared by badges and charts (colour-blind-safe ramp from blue-green to red). */
export const GRADE_COLOURS: Record<string, string> = {
  A: '#1a9850',
  B: '#66bd63',
  C: '#d9a400',
  D: '#f46d43',
  F: '#d73027',
};
export const NOT_RATED_COLOUR = '#9e9e9e';

export function gradeColour(grade: string | null): string {
  return grade === null ? NOT_RATED_COLOUR : (GRADE_COLOURS[grade] ?? NOT_RATED_COLOUR);
}

/** A grade as a coloured badge; `not rated` when null. */
export function gradeBadge(grade: string | null): SafeHtml {
  if (grade === null) return html`<span class="badge not-rated">not rated</span>`;
  return html`<span class="badge" style="background:${gradeColour(grade)}">${grade}</span>`;
}

const CSS = `
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328;
  margin: 0 auto; max-width: 980px; padding: 24px 32px 48px; background: #fff; }
header.page { border-bottom: 3px solid #1f4e79; padding-bottom: 12px; margin-bottom: 20px; }
header.page h1 { margin: 0 0 4px; font-size: 26px; color: #1f4e79; overflow-wrap: anywhere; }
header.page p { margin: 2px 0; color: #57606a; }
h2 { font-size: 19px; color: #1f4e79; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin: 28px 0 10px; }
h3 { font-size: 15px; margin: 18px 0 6px; }
section { break-inside: auto; }
figure { margin: 8px 0 14px; break-inside: avoid; }
figure svg { display: block; max-width: 100%; height: auto; }
figcaption { color: #57606a; font-size: 12px; margin-top: 2px; }
table { border-collapse: collapse; width: 100%; margin: 6px 0 14px; font-size: 13px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid #d8dee4; padding: 4px 8px; text-align: left; vertical-align: top;
  overflow-wrap: anywhere; }
th { background: #f3f6f9; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr { break-inside: avoid; }
thead { display: table-header-group; }
.badge { display: inline-block; min-width: 1.8em; padding: 0 6px; border-radius: 4px; color: #fff; font-weight: 700;
  text-align: center; }
.badge.not-rated { background: #9e9e9e; font-weight: 400; }
.tag { display: inline-block; padding: 0 5px; border-radius: 3px; font-size: 11px; font-weight: 600;
  border: 1px solid currentColor; white-space: nowrap; }
.tag.disputed { color: #8250df; }
.tag.sev-critical { color: #a40e26; } .tag.sev-high { color: #d1242f; } .tag.sev-medium { color: #9a6700; }
.tag.sev-low { color: #0969da; } .tag.sev-info { color: #57606a; }
.muted { color: #57606a; }
.headline { display: flex; gap: 28px; align-items: center; flex-wrap: wrap; margin: 8px 0 4px; }
.score { font-size: 56px; font-weight: 700; line-height: 1; }
.score small { font-size: 18px; color: #57606a; font-weight: 400; }
.grade-big { font-size: 44px; font-weight: 700; color: #fff; border-radius: 8px; padding: 4px 18px; }
.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 14px; font-size: 13px; }
.facts dt { color: #57606a; } .facts dd { margin: 0; }
.note { background: #f6f8fa; border-left: 4px solid #1f4e79; padding: 8px 12px; margin: 10px 0; }
.remediation { color: #3d444d; font-size: 12px; }
code { font: 12px ui-monospace, "DejaVu Sans Mono", monospace; overflow-wrap: anywhere; }
footer { margin-top: 32px; color: #57606a; font-size: 12px; border-top: 1px solid #d0d7de; padding-top: 8px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11px; }
  header.page h1 { font-size: 22px; }
  h2 { break-after: avoid; }
  .page-break { break-before: page; }
  a { color: inherit; text-decoration: none; }
  table { font-size: 10.5px; }
}
`;

/** A whole page: one self-contained document, nothing to fetch, no script. */
export function htmlPage(options: {
  title: string;
  heading: SafeHtml;
  body: SafeHtml;
  footer: SafeHtml;
  /** Rules of this page only, after the shared ones. */
  css?: string;
}): string {
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Vitals">
<title>${options.title}</title>
<style>${new SafeHtml(CSS + (options.css ?? ''))}</style>
</head>
<body>
<header class="page">${options.heading}</header>
${options.body}
<footer>${options.footer}</footer>
</body>
</html>
`.value;
}

/** A number with fixed decimals, or a dash. */
export function fixed(value: number | null | undefined, decimals: number): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '–' : value.toFixed(decimals);
}

/** A signed percentage (`+12.5%`), or a dash. */
export function signedPercent(value: number | null | undefined, decimals = 1): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '–';
  return `${value > 0 ? '+' : ''}${value.toFixed(decimals)}%`;
}

/** A date or timestamp as `YYYY-MM-DD HH:MM UTC` (dates stay dates). */
export function displayTime(iso: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(iso)) return iso;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}
