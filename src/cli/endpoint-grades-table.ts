/**
 * The compact "endpoint grades" section of `orgs show` and the scan summary: one line per host with the
 * SSL Labs-style grade of each of its TLS ports and the header grade of its web site (with its score).
 */
import type { EndpointGrade } from '../core/endpoint-grade.js';
import { type TextSink, writeTable } from './output.js';

interface HostGrades {
  host: string;
  tls: string[];
  headers: string;
}

export function writeEndpointGrades(out: TextSink, grades: readonly EndpointGrade[], indent = ''): void {
  const byHost = new Map<string, HostGrades>();
  for (const g of grades) {
    let row = byHost.get(g.host);
    if (!row) {
      row = { host: g.host, tls: [], headers: '-' };
      byHost.set(g.host, row);
    }
    if (g.kind === 'tls') row.tls.push(`${g.port}: ${g.grade}`);
    else row.headers = `${g.grade} (${g.score})`;
  }
  const rows = [...byHost.values()].sort((a, b) => a.host.localeCompare(b.host));
  writeTable({ write: (text: string) => out.write(indent === '' ? text : indentLines(text, indent)) }, rows, [
    { header: 'host', cell: (r) => r.host },
    { header: 'TLS grade (port: grade)', cell: (r) => (r.tls.length > 0 ? r.tls.join(', ') : '-') },
    { header: 'header grade (score)', cell: (r) => r.headers },
  ]);
}

function indentLines(text: string, indent: string): string {
  return text.replace(/^(?=.)/gm, indent);
}
