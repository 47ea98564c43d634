/**
 * Word lists of the dark-web corpus: sites, handles, people, ransomware groups, and the acronyms the
 * texts use with the words that replace them when a monitored organization happens to have that
 * acronym as an alias (otherwise "RDP" next to "hospital" would be a corroborated mention of an
 * organization called RDP, and the truth would be ambiguous).
 */

/** Fictional sites per source type. */
export const SITES = {
  forum: ['Breach Bazaar', 'Exploit Den', 'DarkDock Forum', 'Rampart Board', 'Cracked Lounge'],
  market: ['Nightshade Market', 'Abyss Market', 'Kingpin Bazaar', 'Obsidian Market'],
  paste: ['GhostPaste', 'DeepPaste', 'Stronghold Paste'],
  leak_site: ['KrakenLock', 'NightVeil', 'Vandal Crew', 'BlackNimbus', 'SilentRansom', 'Cobalt Wraith'],
  chat: ['combolist_daily', 'fullz_shop', 'access_brokers', 'ransom_newsfeed', 'medleaks_chat'],
} as const;

export const HANDLE_HEADS = ['cold', 'dark', 'silent', 'null', 'ghost', 'rusty', 'lucky', 'toxic', 'frozen', 'crypto', 'void', 'neon', 'grim', 'shadow', 'zero', 'hex', 'quiet', 'red', 'lazy', 'iron'];
export const HANDLE_TAILS = ['viper', 'byte', 'wolf', 'root', 'shell', 'fox', 'kid', 'daemon', 'raven', 'loader', 'crow', 'monk', 'shark', 'packet', 'spider', 'mule', 'pirate', 'owl', 'jack', 'cipher'];

export const FIRST_NAMES = [
  'James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara',
  'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Karen', 'Charles', 'Sarah', 'Daniel', 'Nancy', 'Matthew', 'Lisa',
  'Anthony', 'Betty', 'Mark', 'Sandra', 'Steven', 'Ashley', 'Andrew', 'Emily', 'Kevin', 'Donna', 'Brian', 'Michelle',
];
export const LAST_NAMES = [
  'Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez',
  'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Perez', 'Thompson', 'White',
  'Harris', 'Sanchez', 'Clark', 'Ramirez', 'Lewis', 'Robinson', 'Walker', 'Young', 'Allen', 'Wright', 'Scott', 'Nguyen',
];

/** Public mail providers for the "other" lines of combo lists. */
export const MAIL_PROVIDERS = ['gmail.com', 'yahoo.com', 'outlook.com', 'hotmail.com', 'aol.com', 'icloud.com', 'proton.me', 'mail.ru', 'gmx.de'];

/** Places for unmonitored organizations and anonymous victims. */
export const US_STATES = ['Ohio', 'Texas', 'Florida', 'Georgia', 'Michigan', 'Arizona', 'Oregon', 'Kentucky', 'Missouri', 'Nevada', 'Iowa', 'Alabama'];

/** Unmonitored healthcare organizations (no lab organization has these words; checked by the guard too). */
export const UNMONITORED_ORGS = [
  'Quarry Hill Hospital', 'Bellmore Dialysis Partners', 'Tamsin Orthopaedics', 'Gorsefield Imaging', 'Kettering Row Pharmacy',
  'Lowther Eye Institute', 'Pembury Rehab Center', 'Dunmore Fertility Group', 'Yardley Sleep Clinic', 'Osterly Home Care',
  'Calder Bay Dental', 'Fenwick Hearing Centers',
];

export const RANSOM_FILE_TREE = [
  '/Finance/2023/payroll_Q3.xlsx', '/Finance/AP/vendors_master.csv', '/HR/employees_ssn_export.xlsx', '/HR/benefits/enrollment_2024.pdf',
  '/Patients/exports/adt_feed_2024-02.csv', '/Patients/scans/ct_2023/', '/Legal/contracts/payer_agreements/', '/IT/backups/veeam_config.xml',
  '/Billing/claims_837_batch_0412.edi', '/Lab/results/hl7_archive_2023.zip', '/Pharmacy/controlled_substances_log.xlsx', '/Board/minutes_2023.docx',
];

export const MALWARE_NAMES = ['LummaC2', 'RedLine', 'Vidar', 'StealC', 'Raccoon', 'RisePro'];
export const TOOLS = ['Cobalt Strike', 'Sliver', 'Brute Ratel', 'AnyDesk', 'Mimikatz', 'Rclone', 'SoftPerfect scanner', 'Impacket'];
export const VPN_PRODUCTS = ['Citrix', 'Fortinet', 'Pulse Secure', 'GlobalProtect', 'Cisco AnyConnect', 'SonicWall'];

/**
 * Acronyms the templates use, with what replaces them when they equal an organization's alias.
 * Every upper-case token a template writes must be listed here (the corpus test checks it).
 */
export const VOCABULARY_ACRONYMS: Readonly<Record<string, string>> = {
  RDP: 'remote desktop',
  VPN: 'remote access',
  EDR: 'endpoint agent',
  AV: 'antivirus',
  DA: 'domain admin',
  HR: 'personnel',
  IT: 'tech team',
  CEO: 'chief executive',
  CFO: 'finance chief',
  BTC: 'bitcoin',
  XMR: 'monero',
  USD: 'dollars',
  PM: 'private message',
  DM: 'direct message',
  SSN: 'social security number',
  DOB: 'birth date',
  MRN: 'medical record number',
  NPI: 'provider number',
  DEA: 'drug enforcement number',
  MBI: 'medicare number',
  CLIA: 'lab certificate',
  ICD: 'diagnosis code',
  EHR: 'health record system',
  EMR: 'medical record system',
  PHI: 'patient data',
  HIPAA: 'privacy law',
  CSV: 'spreadsheet',
  SQL: 'database',
  US: 'American',
  USA: 'America',
  UTC: 'universal time',
  GB: 'gigabytes',
  TB: 'terabytes',
  TOR: 'onion network',
  OPSEC: 'tradecraft',
  VPS: 'virtual server',
  CVV: 'card code',
  EXP: 'expiry',
  MFA: 'second factor',
  OTP: 'one-time code',
  ESXI: 'hypervisor',
  HHS: 'health department',
  OCR: 'civil rights office',
  FBI: 'feds',
  LE: 'law enforcement',
  TG: 'telegram',
  PGP: 'encryption key',
  ID: 'identifier',
  DX: 'diagnosis',
  PT: 'patient',
  EOB: 'benefits statement',
  SHA: 'hash',
  NAS: 'storage box',
  AD: 'directory',
  OWA: 'webmail',
  HL7: 'health messaging',
};
