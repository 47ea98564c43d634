/**
 * Words that corroborate an ambiguous alias: "Summit" alone is an English word, "Summit ... patients"
 * is likely the Summit clinic. Keyed by the sectors of src/core/types.ts; GENERAL words fit any
 * healthcare organization.
 */

/** Healthcare words that corroborate an alias of an organization of any sector. */
export const GENERAL_HEALTHCARE_WORDS: readonly string[] = [
  'health',
  'healthcare',
  'health care',
  'medical',
  'medicine',
  'patient',
  'patients',
  'clinical',
  'hipaa',
  'phi',
  'ehr',
  'emr',
  'medical records',
  'health records',
];

/** Sector-specific corroborating words. */
export const SECTOR_WORDS: Readonly<Record<string, readonly string[]>> = {
  hospital: [
    'hospital',
    'hospitals',
    'health system',
    'medical center',
    'medical centre',
    'emergency room',
    'icu',
    'inpatient',
    'nurses',
  ],
  clinic: ['clinic', 'clinics', 'practice', 'physician', 'physicians', 'doctor', 'doctors', 'outpatient'],
  telehealth: ['telehealth', 'telemedicine', 'virtual care', 'virtual visit', 'video visit', 'telepsychiatry'],
  laboratory: ['lab', 'labs', 'laboratory', 'laboratories', 'diagnostics', 'test results', 'lab results', 'pathology'],
  pharmacy: ['pharmacy', 'pharmacies', 'pharmacist', 'prescription', 'prescriptions', 'rx', 'drugstore'],
  payer: [
    'insurance',
    'insurer',
    'health plan',
    'payer',
    'claims',
    'medicaid',
    'medicare',
    'beneficiaries',
    'policyholders',
  ],
  vendor: ['vendor', 'ehr vendor', 'medical software', 'health it', 'billing', 'revenue cycle'],
};

/** Every corroborating word with the sectors it supports (`'*'` = every sector). */
export function sectorWordTable(): Map<string, Set<string>> {
  const table = new Map<string, Set<string>>();
  const add = (word: string, sector: string): void => {
    const sectors = table.get(word) ?? new Set<string>();
    sectors.add(sector);
    table.set(word, sectors);
  };
  for (const word of GENERAL_HEALTHCARE_WORDS) add(word, '*');
  for (const [sector, words] of Object.entries(SECTOR_WORDS)) for (const word of words) add(word, sector);
  return table;
}

/**
 * Nouns that name an organization of each sector when attached to its alias in one noun phrase ("Summit
 * hospital", "Summit telehealth", "Summit lab"): the only words that corroborate an ambiguous alias
 * without the organization's name or domain in the document (issue #9 section 1). Words of other
 * sectors do not count: "Summit clinic" is not the Summit hospital.
 */
export const SECTOR_NOUNS: Readonly<Record<string, readonly string[]>> = {
  hospital: [
    'hospital',
    'hospitals',
    'medical center',
    'medical centre',
    'health system',
    'healthcare system',
    'hospital network',
    'healthcare',
    'health',
    'er',
    'patients',
  ],
  clinic: [
    'clinic',
    'clinics',
    'practice',
    'medical practice',
    'medical group',
    'physicians',
    'family medicine',
    'urgent care',
    'health',
    'healthcare',
    'patients',
  ],
  telehealth: ['telehealth', 'telemedicine', 'virtual care', 'telepsychiatry', 'health', 'app', 'patients'],
  laboratory: ['lab', 'labs', 'laboratory', 'laboratories', 'diagnostics', 'pathology', 'testing', 'patients'],
  pharmacy: ['pharmacy', 'pharmacies', 'rx', 'drugstore', 'patients'],
  payer: ['health plan', 'insurance', 'insurer', 'healthcare', 'health', 'members', 'member portal'],
  vendor: ['health it', 'ehr', 'emr', 'software', 'platform', 'vendor', 'telehealth', 'portal', 'customers'],
};
