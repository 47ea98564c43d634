/**
 * Zone transfers (AXFR, RFC 5936) over the TCP transport: the first record is the zone's SOA, the
 * transfer ends at the next SOA, and it may span many messages, each with the query's id.
 */
import dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { decodeReply } from './reply-parser.js';
import { buildQuery, normalizeName, type RandomIdSource, type ValidQuery } from './codec.js';
import type { AxfrResult, DnsFailureReason, DnsServer } from './dns-client.types.js';
import { CLOSED_BEFORE_REPLY, CLOSED_DETAIL } from './exchange.js';
import type { TcpTransport } from './tcp-transport.js';
import type { ByteBudget } from '../byte-budget.js';

/** A hostile server must not make us keep records without end. */
const AXFR_MAX_RECORDS = 200_000;

/** Requests the transfer of `query.name` and collects it (bounded in records, bytes and time). */
export async function transferZone(
  tcp: TcpTransport,
  ids: RandomIdSource,
  query: ValidQuery,
  budget?: ByteBudget,
): Promise<AxfrResult> {
  const id = ids.next();
  const server = query.server;
  const transfer = new AxfrAccumulator(query.name, id);
  const session = await tcp.session<AxfrResult>(
    server,
    dnsPacket.streamEncode(buildQuery(query, id)),
    query.timeoutMs,
    (frame) => transfer.accept(frame, server),
    budget,
  );
  if (session.kind === 'done') return session.value;
  if (tcp.isClosed) return { ok: false, reason: 'network_error', detail: CLOSED_DETAIL, server };
  if (session.reason === 'network_error' && session.detail === CLOSED_BEFORE_REPLY && transfer.messages === 0) {
    // Declining a transfer by closing the connection is common practice (instead of REFUSED).
    return {
      ok: false,
      reason: 'refused',
      detail: 'the server closed the connection without answering the AXFR query',
      server,
    };
  }
  const progress = transfer.records.length > 0 ? ` after ${transfer.records.length} record(s)` : '';
  return { ok: false, reason: session.reason, detail: `${session.detail}${progress}`, server };
}

class AxfrAccumulator {
  readonly records: Answer[] = [];
  messages = 0;

  constructor(
    private readonly zone: string,
    private readonly id: number,
  ) {}

  accept(frame: Buffer, server: DnsServer): AxfrResult | undefined {
    const packet = decodeReply(frame);
    const fail = (reason: DnsFailureReason | 'refused', detail: string): AxfrResult => ({
      ok: false,
      reason,
      detail,
      server,
    });
    if (packet === null) return fail('malformed_reply', `undecodable ${frame.length}-byte message in the transfer`);
    if (packet.id !== this.id || packet.type !== 'response')
      return fail('malformed_reply', 'transfer message with a foreign id');
    // RFC 5936 section 2.2.1: later messages may omit the question; when present it must match.
    const question = packet.questions[0];
    if (
      packet.questions.length > 1 ||
      (question !== undefined && (normalizeName(question.name) !== this.zone || question.type !== 'AXFR'))
    ) {
      return fail('malformed_reply', 'transfer message for another question');
    }
    this.messages += 1;
    if (packet.rcode !== 'NOERROR') {
      return this.records.length === 0
        ? fail('refused', `the server answered ${packet.rcode}`)
        : fail('malformed_reply', `transfer aborted with ${packet.rcode} after ${this.records.length} record(s)`);
    }
    for (const record of packet.answers) {
      if (this.records.length === 0) {
        if (record.type !== 'SOA' || normalizeName(record.name) !== this.zone) {
          return fail('malformed_reply', `transfer does not start with the SOA of ${this.zone}`);
        }
      } else if (record.type === 'SOA') {
        return { ok: true, records: this.records }; // the closing SOA repeats the first; not kept twice
      }
      if (this.records.length >= AXFR_MAX_RECORDS) {
        return fail('malformed_reply', `transfer exceeds ${AXFR_MAX_RECORDS} records`);
      }
      this.records.push(record);
    }
    if (this.records.length === 0) return fail('refused', 'the server answered with no records');
    return undefined;
  }
}
