/** The lab's dark-web corpus with exact ground truth (issue #3 section 7): public entry points. */
export {
  DEFAULT_CORPUS_DOCUMENTS,
  EXPOSURE_RATES,
  MAX_CORPUS_DOCUMENTS,
  UNTOUCHED_RATE,
  corpusDocumentId,
  corpusExposure,
  corpusHeader,
  generateCorpus,
  type CorpusHeader,
  type CorpusItem,
  type CorpusOrganization,
  type DocumentTruth,
  type GenerateCorpusOptions,
  type MentionVia,
  type OrganizationExposure,
  type PlantedType,
  type TrapKind,
  type TruthTrap,
} from './generate.js';
export {
  corpusFiles,
  readCorpusSummary,
  readCorpusTruth,
  writeCorpus,
  type CorpusFiles,
  type CorpusTruthSummary,
} from './files.js';
