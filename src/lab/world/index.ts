/** The lab's world: public entry points (see world.ts). */
export { buildLabWorld, type BuildLabWorldOptions, type LabWorld } from './world.js';
export { LAB_FINDING_IDS, LAB_CONTROL_IDS, type LabFindingId, type LabControlId } from './weaknesses.js';
export { LAB_RESOLVER_ADDRESS, PROVIDER_NAME_SERVERS } from './infrastructure.js';
export type {
  LabTruth,
  TruthOrganization,
  TruthHost,
  TruthWeakness,
  TruthControl,
  TruthDiscoverySource,
} from './truth.js';
export type { CrtShEntry } from './ct-log.js';
export type { OrgIdentity, LabSector } from './names.js';
