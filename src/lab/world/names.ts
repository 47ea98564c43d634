/**
 * Fictional healthcare organization names for the lab: hospitals, clinics, telehealth providers,
 * laboratories, pharmacies, payers and vendors, with `<slug>.test` domains and aliases (acronyms
 * and short names). Names and domains are unique even at 30,000 organizations.
 */
import type { SECTORS } from '../../core/types.js';
import { createRng, type Rng } from './rng.js';

/** Sectors a lab organization can have (those an import file may give). */
export type LabSector = (typeof SECTORS)[number];

/** Who an organization is: the part of the world that never changes after it is built. */
export interface OrgIdentity {
  /** Position in the world; fixes the organization's address block. */
  index: number;
  name: string;
  /** DNS label derived from the name. */
  slug: string;
  /** Apex domain `<slug>.test`. */
  domain: string;
  sector: LabSector;
  /** Whether the organization offers (or builds) telehealth services. */
  telehealth: boolean;
  aliases: string[];
}

const PLACE_HEADS = [
  'North',
  'South',
  'East',
  'West',
  'Lake',
  'River',
  'Cedar',
  'Maple',
  'Oak',
  'Pine',
  'Silver',
  'Stone',
  'Bright',
  'Clear',
  'Fair',
  'Green',
  'High',
  'Red',
  'Spring',
  'Sun',
  'Blue',
  'Golden',
  'Willow',
  'Elm',
  'Birch',
  'Ash',
  'Hazel',
  'Fox',
  'Deer',
  'Eagle',
  'Hawk',
  'Bay',
  'Brook',
  'Glen',
  'Mill',
  'Rock',
  'Sand',
  'Timber',
  'Misty',
  'Amber',
  'Rose',
  'Iron',
  'Copper',
  'King',
  'Prairie',
  'Ever',
  'Sea',
  'Wind',
  'Star',
  'Wolf',
  'Bear',
  'Elk',
  'Raven',
  'Crystal',
  'Meadow',
  'Harbor',
  'Summer',
  'Winter',
  'Cherry',
  'Aspen',
  'Laurel',
  'Holly',
  'Juniper',
  'Sage',
  'Cypress',
  'Falcon',
  'Heron',
  'Otter',
  'Granite',
  'Sterling',
  'Mount',
  'Valley',
  'Shore',
  'Long',
  'Broad',
  'Wood',
  'Apple',
  'Orchard',
  'Thistle',
  'Briar',
] as const;

const PLACE_TAILS = [
  'wind',
  'shore',
  'green',
  'view',
  'field',
  'brook',
  'wood',
  'dale',
  'ridge',
  'haven',
  'crest',
  'gate',
  'ford',
  'stone',
  'vale',
  'side',
  'port',
  'bridge',
  'water',
  'land',
  'hill',
  'point',
  'meadow',
  'grove',
  'creek',
  'mont',
  'wick',
  'bury',
  'ton',
  'moor',
] as const;

const SAINTS = [
  'Brigid',
  'Luke',
  'Mary',
  'Joseph',
  'Anne',
  'Francis',
  'Vincent',
  'Catherine',
  'Elizabeth',
  'Agnes',
  'Clare',
  'Jude',
  'Michael',
  'Patrick',
  'Teresa',
  'Margaret',
  'Benedict',
  'Bernard',
  'Monica',
  'Rita',
  'Gabriel',
  'Raphael',
  'Dominic',
  'Cecilia',
  'Helena',
  'Columba',
  'Andrew',
  'Thomas',
  'Paul',
  'Peter',
] as const;

const BRAND_HEADS = [
  'Care',
  'Med',
  'Health',
  'Vita',
  'Well',
  'Cura',
  'Doc',
  'Tele',
  'Pulse',
  'Nova',
  'Clear',
  'Bright',
  'True',
  'Prime',
  'Heal',
  'Mend',
  'Vital',
  'Thrive',
  'Kind',
  'Omni',
  'Neo',
  'Lumen',
  'Sana',
  'Salus',
  'Zen',
  'Axis',
  'Able',
  'Hale',
  'Nimbus',
  'Cove',
  'Luma',
  'Verde',
  'Aura',
  'Kora',
  'Medi',
  'Cardio',
] as const;

const BRAND_TAILS = [
  'Bridge',
  'Stack',
  'Link',
  'Point',
  'Wave',
  'Path',
  'Sync',
  'Hub',
  'Now',
  'Connect',
  'Flow',
  'Line',
  'Beam',
  'Loop',
  'Nest',
  'Sense',
  'Cloud',
  'Gate',
  'Way',
  'Scope',
  'Signal',
  'Works',
  'Bay',
  'Dock',
  'Spark',
  'Grid',
  'Lane',
  'Field',
  'Port',
  'Shift',
] as const;

/** Name patterns per sector: `{P}` a place, `{S}` a saint, `{B}` a brand. */
const PATTERNS: Record<LabSector, readonly string[]> = {
  hospital: [
    '{P} Regional Hospital',
    '{P} General Hospital',
    '{P} Medical Center',
    '{P} Community Hospital',
    'St. {S} Regional Hospital',
    'St. {S} Medical Center',
    'St. {S} Hospital',
    '{P} Memorial Hospital',
    "{P} Children's Hospital",
    '{P} Health System',
    '{P} University Hospital',
    '{P} Valley Hospital',
  ],
  clinic: [
    '{P} Family Clinic',
    '{P} Pediatrics',
    '{P} Internal Medicine',
    "{P} Women's Health",
    '{P} Orthopedic Clinic',
    '{P} Dermatology',
    '{P} Urgent Care',
    '{P} Behavioral Health',
    '{P} Dental Group',
    '{P} Eye Care',
    '{P} Primary Care',
    '{P} Cardiology Associates',
    '{P} Family Medicine',
    'St. {S} Clinic',
  ],
  telehealth: [
    '{B} Telehealth',
    '{B} Virtual Care',
    '{B} Health',
    '{P} Virtual Care',
    '{B} Telemedicine',
    '{B} Online Clinic',
    '{B} Video Visits',
    '{B} Care',
    '{P} Telehealth',
    '{B} Remote Care',
  ],
  laboratory: [
    '{P} Diagnostic Laboratory',
    '{P} Clinical Labs',
    '{P} Pathology Associates',
    '{P} Reference Laboratory',
    '{B} Diagnostics',
    '{P} Imaging Center',
    '{P} Diagnostic Imaging',
    '{B} Labs',
  ],
  pharmacy: [
    '{P} Community Pharmacy',
    '{P} Apothecary',
    '{P} Specialty Pharmacy',
    '{B} Rx',
    '{P} Compounding Pharmacy',
    '{P} Drug',
    '{P} Pharmacy',
    '{B} Pharmacy',
  ],
  payer: [
    '{P} Health Plan',
    '{P} Health Alliance',
    '{B} Health Insurance',
    '{P} Mutual Health',
    '{P} Benefit Administrators',
    '{P} Care Plan',
    '{B} Health Plan',
  ],
  vendor: [
    '{B} Telehealth Vendor',
    '{B} Telehealth Platform',
    '{B} Video Health',
    '{B} Remote Monitoring',
    '{B} Health Systems',
    '{B} EHR',
    '{B} Medical Billing',
    '{B} Health IT',
    '{B} Patient Engagement',
  ],
};

/** Vendor patterns whose products are telehealth (the rest are billing/EHR/IT vendors). */
const TELEHEALTH_VENDOR_PATTERNS = new Set([
  '{B} Telehealth Vendor',
  '{B} Telehealth Platform',
  '{B} Video Health',
  '{B} Remote Monitoring',
  '{B} Patient Engagement',
]);

/** Cumulative sector weights: about a third of organizations are telehealth providers or vendors. */
const SECTOR_WEIGHTS: ReadonlyArray<readonly [LabSector, number]> = [
  ['hospital', 0.14],
  ['clinic', 0.2],
  ['telehealth', 0.23],
  ['laboratory', 0.09],
  ['pharmacy', 0.09],
  ['payer', 0.08],
  ['vendor', 0.17],
];

/** Words left out of acronyms. */
const MINOR_WORDS = new Set(['of', 'and', 'the']);

/** Builds `count` unique identities; `reservedSlugs` are labels the lab's own zones use. */
export function generateIdentities(seed: number, count: number, reservedSlugs: ReadonlySet<string>): OrgIdentity[] {
  const names = new Set<string>();
  const slugs = new Set<string>(reservedSlugs);
  const out: OrgIdentity[] = [];
  for (let index = 0; index < count; index++) {
    const rng = createRng(seed, 'identity', index);
    const sector = pickSector(rng);
    let chosen: { name: string; slug: string; pattern: string } | undefined;
    // Bounded retries: the name space per sector is thousands of names; past that, a place
    // qualifier ("... of Pinecrest") and finally the index keep names unique.
    for (let attempt = 0; attempt < 60 && chosen === undefined; attempt++) {
      const pattern = rng.pick(PATTERNS[sector]);
      let name = fillPattern(pattern, rng);
      if (attempt >= 30) name = `${name} of ${place(rng)}`;
      const slug = slugify(name);
      if (!names.has(name) && !slugs.has(slug)) chosen = { name, slug, pattern };
    }
    if (chosen === undefined) {
      const pattern = rng.pick(PATTERNS[sector]);
      const name = `${fillPattern(pattern, rng)} ${index + 1}`;
      chosen = { name, slug: slugify(name), pattern };
    }
    names.add(chosen.name);
    slugs.add(chosen.slug);
    const telehealth =
      sector === 'telehealth' || (sector === 'vendor' && TELEHEALTH_VENDOR_PATTERNS.has(chosen.pattern));
    out.push({
      index,
      name: chosen.name,
      slug: chosen.slug,
      domain: `${chosen.slug}.test`,
      sector,
      telehealth,
      aliases: aliasesOf(chosen.name),
    });
  }
  return out;
}

/** Lower-case LDH label for a name: "St. Brigid's Hospital" → "st-brigids-hospital". */
export function slugify(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/['’.]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  // RFC 1035 section 2.3.4: a label is at most 63 octets.
  return slug.length <= 63 ? slug : slug.slice(0, 63).replace(/-+$/, '');
}

function pickSector(rng: Rng): LabSector {
  const r = rng.next();
  let acc = 0;
  for (const [sector, weight] of SECTOR_WEIGHTS) {
    acc += weight;
    if (r < acc) return sector;
  }
  return 'vendor';
}

function place(rng: Rng): string {
  return `${rng.pick(PLACE_HEADS)}${rng.pick(PLACE_TAILS)}`;
}

function fillPattern(pattern: string, rng: Rng): string {
  return pattern
    .replace('{P}', () => place(rng))
    .replace('{S}', () => rng.pick(SAINTS))
    .replace('{B}', () => `${rng.pick(BRAND_HEADS)}${rng.pick(BRAND_TAILS)}`);
}

/** An acronym (for names of three words or more) and the distinctive leading part of the name. */
function aliasesOf(name: string): string[] {
  const words = name.split(' ');
  const aliases: string[] = [];
  const significant = words.filter((w) => !MINOR_WORDS.has(w.toLowerCase()));
  if (significant.length >= 3) aliases.push(significant.map((w) => w[0]!.toUpperCase()).join(''));
  const lead = words[0] === 'St.' ? words.slice(0, 2).join(' ') : words[0]!;
  if (lead !== name) aliases.push(lead);
  return aliases;
}
