/**
 * The shape every network_security check shares: over the `services` probe's observation, a finding on
 * each host for each port where one of the check's services answered (its "exposed" finding), and one
 * for each such port where the service's weakness was seen. A host is not assessed where what answered
 * is unknown: the address was refused by the network policy, a port's state could not be learnt, or an
 * open port named no protocol (it could be this check's service).
 */
import { probeRef } from '../../core/contract.js';
import { emptyOutcome } from '../../core/types.js';
import type { FindingId } from '../../catalogue/ids.js';
import type { servicesProbe } from '../../probes/ports/ports-probes.js';
import type { Assessed, IdentifiedService, ServiceName } from '../../probes/ports/ports.types.js';
import { defineCheck } from '../define-check.js';

type Service<N extends ServiceName> = Extract<IdentifiedService, { name: N }>;

export interface ServiceCheckSpec<N extends ServiceName, E extends FindingId, W extends FindingId> {
  id: string;
  description: string;
  services: readonly N[];
  /** Emitted wherever one of `services` answers. */
  exposed?: E;
  /** Emitted where `assess` says the weakness is there; not assessed where it could not say. */
  weakness?: { id: W; assess: (service: Service<N>) => Assessed<boolean> };
  /** What the evidence says about one service, besides address, port and service name. */
  evidence?: (service: Service<N>) => Record<string, unknown>;
}

export function defineServiceCheck<N extends ServiceName, E extends FindingId = never, W extends FindingId = never>(
  spec: ServiceCheckSpec<N, E, W>,
) {
  const findings: Array<E | W> = [];
  if (spec.exposed) findings.push(spec.exposed);
  if (spec.weakness) findings.push(spec.weakness.id);
  const wanted = new Set<ServiceName>(spec.services);
  return defineCheck({
    id: spec.id,
    factor: 'network_security',
    description: spec.description,
    reads: [probeRef<typeof servicesProbe>('services')],
    findings,
    controls: [],
    judge: (_target, [observation]) => {
      const out = emptyOutcome<E | W, never>();
      for (const a of observation.addresses) {
        const unknown = unknownReason(a);
        for (const host of a.hosts) {
          if (unknown !== null)
            out.notAssessed.push({ check: spec.id, asset: { host, ip: a.address }, reason: unknown });
          for (const entry of a.services) {
            if (!entry.identified || !wanted.has(entry.service.name)) continue;
            const service = entry.service as Service<N>;
            const asset = { host, ip: a.address, port: entry.port };
            const evidence = {
              address: a.address,
              port: entry.port,
              transport: entry.transport,
              service: service.name,
              ...spec.evidence?.(service),
            };
            if (spec.exposed) out.findings.push({ type: spec.exposed, asset, evidence });
            if (!spec.weakness) continue;
            const verdict = spec.weakness.assess(service);
            if (!verdict.assessed) out.notAssessed.push({ check: spec.id, asset, reason: verdict.reason });
            else if (verdict.value) out.findings.push({ type: spec.weakness.id, asset, evidence });
          }
        }
      }
      return out;
    },
  });
}

/** Why what listens on this address is not fully known, or null when every open port was named. */
function unknownReason(a: {
  refused: string | null;
  undecided: number[];
  services: Array<{ port: number; identified: boolean; reason?: string }>;
}): string | null {
  if (a.refused !== null) return `not scanned: ${a.refused}`;
  if (a.undecided.length > 0) return `the state of port(s) ${a.undecided.join(', ')} could not be learnt`;
  const unnamed = a.services.filter((s) => !s.identified);
  if (unnamed.length > 0)
    return unnamed
      .map((s) => `port ${s.port} is open but its service could not be named (${s.reason ?? ''})`)
      .join('; ');
  return null;
}
