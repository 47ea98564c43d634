/** Typed result of the software probe (software.probe.ts), judged by checks/patching_cadence/. */
import type { SoftwareObservation } from '../../core/software.js';
import type { SoftwareMatches } from '../../intel/vulns/vuln-data.js';

export interface MatchedSoftware {
  observation: SoftwareObservation;
  matches: SoftwareMatches;
}

export interface SoftwareReport {
  /** The vulnerability data's date (and imports), for the evidence. */
  dataDated: string;
  software: MatchedSoftware[];
}
