/**
 * The classification rule table: keywords and patterns with weights per document class, source-type
 * priors, and "discussion" cues that mark talk about an event rather than an offer or a listing.
 *
 * Why a table and not a model: no labelled healthcare dark-web corpus is available to train on
 * (public data sets are forum dumps without healthcare labels), and every weight here can be read,
 * argued with and tested.
 * Patterns are simple alternations with word boundaries (linear time, no nested quantifiers).
 */
import type { DocumentClass, SourceType } from '../types.js';

/** Classes that can be decided by rules; `chatter` is what remains. */
export type ScoredClass = Exclude<DocumentClass, 'chatter'>;

/** One keyword rule: every occurrence (up to `maxCount`) adds its weights. */
export interface KeywordRule {
  id: string;
  pattern: RegExp;
  weights: Partial<Record<ScoredClass, number>>;
  /** Occurrences that count; default 1 (presence only). */
  maxCount?: number;
}

/** A raw score at or above this makes a class; below it, the document is chatter. */
export const CLASS_THRESHOLD = 4;

/** Raw score mapped to 1.0. */
export const SCORE_SCALE = 10;

/** When two classes tie, the more specific or more severe one wins. */
export const CLASS_PRIORITY: readonly ScoredClass[] = [
  'ransomware_listing',
  'phi_exposure',
  'access_for_sale',
  'data_for_sale',
  'credential_leak',
];

/** What the source type alone says: a leak-site victim post is a listing before any word is read. */
export const SOURCE_PRIORS: Readonly<Record<SourceType, Partial<Record<ScoredClass, number>>>> = {
  leak_site: { ransomware_listing: 4, data_for_sale: 0.5 },
  market: { data_for_sale: 2, access_for_sale: 1.5 },
  paste: { credential_leak: 1, phi_exposure: 0.5 },
  forum: {},
  chat: {},
};

/**
 * Where a seller's own words begin: the start of a line or clause (titles like "[SELLING]", chat lines
 * like "[12:03] nick: selling …", bullets) or a first-person subject ("I'm", "we are", "we can").
 * A third-person or bare-noun subject ("records sell for", "they are selling", "hackers selling")
 * is someone talking about a sale, not making one.
 */
const SELLER_OPENING =
  String.raw`(?:^[ \t\-*•>#[(]*|[.!?:;|\]\[(,/][ \t]*|\s[-–—*•][ \t]+|\b(?:i['’]?m|` +
  String.raw`i\s+am|we['’]?re|we\s+are|i|we|i['’]ll|we['’]ll|i\s+will|we\s+will|i\s+can|we\s+can)\s+)`;
const SELLER_ADVERBS = String.raw`(?:(?:now|currently|also|still|again|just|finally|privately|exclusively)\s+){0,2}`;
const SELLER_VERB = String.raw`(?:selling|sell|offering|auctioning)`;
/**
 * "for sale" counts unless it reports a sale: "X's data is (now) up for sale", "they put it up for
 * sale". Lookbehinds sit after the word they guard, so they only run where that word matched (no
 * backward scan from every position of the text).
 */
const FOR_SALE =
  String.raw`\bfor(?<!\b(?:is|are|was|were|been|being|be|it|them)\s+(?:(?:now|already|` +
  String.raw`still|apparently|reportedly|allegedly|currently)\s+)?(?:(?:up|put\s+up|` +
  String.raw`listed|posted|offered)\s+)?for)\s+sale\b`;

/** A seller offering in the present tense, first person or as a listing headline; the match is the verb. */
export const SELLER_CUE = new RegExp(
  String.raw`\b${SELLER_VERB}\b(?<=${SELLER_OPENING}${SELLER_ADVERBS}${SELLER_VERB})|` +
    String.raw`\bwts\b|${FOR_SALE}|\bup\s+for\s+(?:grabs|auction)\b|\b(?:auction|offer)\s*:|` +
    String.raw`\[(?:sale|selling|sell|wts|offer|auction|access|db|database)\]|` +
    // An asking price is a seller's own term ("Asking $5000 fixed"); Russian-language sellers write
    // "продам" / "продаю" (I sell) or "продаётся" (for sale), bounded by non-letters (\b is ASCII-only).
    String.raw`\basking\s+(?:price\s*)?[:=]?\s*(?:\$\s?)?\d|` +
    String.raw`(?<![А-Яа-яЁё])(?:продам|продаю|прода[её]тся)(?![А-Яа-яЁё])`,
  'gim',
);

/**
 * A price or an amount of money: "Price: 0.4 BTC", "$4,500", "6k USDT", "blitz 9k" (a bare "price of
 * coffee" is not).
 */
export const PRICE = new RegExp(
  String.raw`\b(?:price|cost|starting\s+bid|start\s+price|blitz|buy\s*now)\s*[:=-]?\s*(?:\$\s?)?\d|` +
    String.raw`\$\s?\d[\d,.]*\s?[km]?\b|\b\d[\d,.]*\s?[km]?\s?(?:usd|usdt|btc|xmr|` +
    String.raw`ltc|eth|eur|dollars|bitcoin|monero)\b|\bprice\s+(?:in\s+(?:pm|dm)|` +
    String.raw`on\s+request|negotiable)\b|\bobo\b`,
  'gi',
);

/**
 * Offer fields: a labelled line (`Price: 2 BTC`, `Access - RDP`, `AV/EDR: Defender`), or a label alone
 * on its line with its value on the next (HTML definition lists and tables become such lines), in any
 * order. Listings of initial-access brokers and data sellers are written so, with or without a
 * "selling" anywhere.
 */
function fieldPattern(labels: string): RegExp {
  // Up to two short words may qualify the label ("Machines in AD:", "Price in BTC:").
  return new RegExp(
    String.raw`^[ \t>*•#[(|-]*(?:${labels})(?:[ \t]+[A-Za-z]{1,12}){0,2}[ \t]*(?:[:=|\]]|[-–—][ \t]|\r?\n[ \t]*\S)`,
    'gim',
  );
}

/** Labels of the terms of a sale. */
export const SALE_FIELDS = new RegExp(
  fieldPattern(
    String.raw`price|cost|start(?:ing)?(?:\s+(?:price|bid))?|step|blitz|buy\s*now|bin|escrow|guarant(?:or|ee)|` +
      String.raw`garant|contacts?|reach|tox|jabber|xmpp|session|telegram|deposit|payment|auction\s+ends?|` +
      // Russian-language forums label the price and the guarantor so.
      String.raw`цена|стоимость|гарант`,
  ).source +
    // "Asking $5000 fixed" at the start of a line is the price field written as a phrase.
    String.raw`|^[ \t>*•#[(|-]*asking[ \t]+(?:price[ \t]*)?[:=]?[ \t]*(?:\$[ \t]?)?\d`,
  'gim',
);
/** Labels of the facts of an access offer. */
export const ACCESS_FIELDS = fieldPattern(
  String.raw`access(?:\s+(?:type|level|via))?|type\s+of\s+access|rights|privileges?|permissions|hosts?|` +
    String.raw`computers|machines|pcs|workstations|servers|dcs?|domain(?:\s+(?:users|computers|admins?))?|` +
    String.raw`av|edr|av\s*/\s*edr|antivirus|revenue|annual\s+revenue|turnover|industry|sector|employees|staff|` +
    String.raw`backups?|vector|entry|level|privs|devices|geo|location|country`,
);
/**
 * The access facts among them (not the victim profile a leak post shares: revenue, industry, country):
 * two of these describe the access sold even when no word names it ("Privs: user", "Workstations: 900").
 */
export const ACCESS_OBJECT_FIELDS = fieldPattern(
  String.raw`access(?:\s+(?:type|level|via))?|type\s+of\s+access|rights|privileges?|permissions|hosts?|` +
    String.raw`computers|machines|pcs|workstations|servers|dcs?|domain\s+(?:users|computers|admins?)|` +
    String.raw`av|edr|av\s*/\s*edr|antivirus|vector|entry|level|privs|devices`,
);
/** Labels of the facts of a data offer. */
export const DATA_FIELDS = fieldPattern(
  String.raw`records|rows|lines|entries|volume|fields|columns|data|format|size|leads|samples?|database|db|` +
    String.raw`dump|content|contains|includes|type\s+of\s+data|data\s+type`,
);

/** Classes that are offers: a seller, an object of sale and terms must all be present. */
export type OfferClass = 'data_for_sale' | 'access_for_sale';

/** One part of an offer's structure. */
export interface OfferCue {
  id: string;
  pattern: RegExp;
}

/**
 * What makes a post an offer rather than talk about one: a seller cue, an object of the class's kind
 * next to it (same line, or the next line after a bare "Selling:"), and at least one term of sale
 * anywhere in the post. Weights alone let "medical records sell for more than cards now" (market
 * talk) or "selling a clean gaming account" (an offer, but not of data about people or
 * organizations) score as a data sale.
 */
export interface OfferStructure {
  seller: OfferCue;
  /** Sources whose pages are offers by construction (a market listing need not say "selling"). */
  sellerImpliedBy: readonly SourceType[];
  objects: Readonly<Record<OfferClass, OfferCue>>;
  terms: readonly OfferCue[];
  /** How far around a seller cue (on its line) the object may be, in characters. */
  objectWindow: number;
}

/** The offer structure both offer classes are checked against. */
export const OFFER_STRUCTURE: OfferStructure = {
  seller: { id: 'seller', pattern: SELLER_CUE },
  sellerImpliedBy: ['market'],
  objects: {
    // Data about people or organizations: records, databases, identity and health data, documents,
    // credentials in bulk, card data. Not game accounts, skins, software or services.
    data_for_sale: {
      id: 'data object',
      pattern: new RegExp(
        String.raw`\b(?:db|dbs|databases?|dumps?|records?|rows|leads|fullz|sql|csv|spreadsheets?|` +
          String.raw`ssns?|social\s+security\s+numbers?|dob|phi|pii|patient\s+data|member\s+data|` +
          String.raw`health\s+data|personal\s+data|data|patients?|medical|ehr|emr|lab\s+results|` +
          String.raw`documents|docs|files|scans|passports?|identit(?:y|ies)|credentials|` +
          String.raw`creds|combo(?:list)?s?|logins|stealer\s+logs?|mail:pass|email:pass|` +
          String.raw`emails|cards|cvv|(?:bank|email|e-mail|mail|staff|employee|corporate|` +
          String.raw`paypal|o365|office\s*365)\s+accounts?)\b`,
        'gi',
      ),
    },
    access_for_sale: {
      id: 'access object',
      pattern: new RegExp(
        String.raw`\b(?:access(?:es)?|rdp|remote\s+desktop|vpn|citrix|pulse\s+secure|` +
          String.raw`fortinet|fortigate|anyconnect|globalprotect|sonicwall|vcenter|esxi|` +
          String.raw`hypervisor|owa|webmail|rdweb|web\s?shells?|shells?|ssh|vnc|teamviewer|` +
          String.raw`anydesk|domain\s+admin|local\s+admin|admin\s+rights|foothold)\b|` +
          // Russian "доступ" (access) in any case ending.
          String.raw`(?<![А-Яа-яЁё])доступ[а-яё]*`,
        'gi',
      ),
    },
  },
  terms: [
    { id: 'price', pattern: PRICE },
    // Russian "гарант" (guarantor) in any case ending: "сделка через гаранта".
    { id: 'escrow', pattern: /\b(?:escrow|guarantor|garant|middleman)\b|(?<![А-Яа-яЁё])гарант[а-яё]*/gi },
    {
      id: 'contact',
      pattern: new RegExp(
        String.raw`\b(?:pm|dm|pm\s+me|dm\s+me|private\s+message|direct\s+message|tox|` +
          String.raw`jabber|xmpp|session\s+id|telegram|contact\s+me|message\s+me|msg\s+me|write\s+me|hit\s+me\s+up)\b`,
        'gi',
      ),
    },
    { id: 'sample', pattern: /\b(?:samples?|proof|screenshots?|preview)\b/gi },
    {
      id: 'quantity',
      pattern: new RegExp(
        String.raw`\b\d[\d,.]*\s?(?:k|m|kk|mil|million|thousand)?\s+(?:records|rows|lines|` +
          String.raw`entries|patients|accounts|ssns|fullz|logins|users|members|emails|cards|` +
          String.raw`hosts|machines|endpoints|dcs|computers)\b|\b\d+(?:[.,]\d+)?\s*(?:gb|tb)\b`,
        'gi',
      ),
    },
    { id: 'payment', pattern: /\b(?:btc|xmr|monero|bitcoin|usdt|ltc)\s+only\b|\bpayment\s*(?::|(?:in|via|with)\b)/gi },
  ],
  objectWindow: 200,
};

/** The shape of NAVIGATION. */
export interface NavigationRule {
  separator: RegExp;
  minItems: number;
  maxItemWords: number;
  minNavWords: number;
  minNavShare: number;
  words: ReadonlySet<string>;
}

/**
 * Site navigation that survives HTML-to-text extraction ("Breach Bazaar · Home · Rules · Escrow"):
 * a line of short items between separators, at least `minNavWords` of them and at least
 * `minNavShare` of all items site-section words. Such a line is dropped before the rules read the
 * text: "Escrow" in every page's menu is not an offer. Three section words, not two, so an offer's
 * own "BTC | Escrow | Guarantor" line stays.
 */
export const NAVIGATION: NavigationRule = {
  separator: /\s*(?:[·|•»›]|&middot;|\s\/\s)\s*/,
  minItems: 3,
  maxItemWords: 4,
  minNavWords: 3,
  minNavShare: 0.5,
  words: new Set([
    'home',
    'index',
    'rules',
    'faq',
    'help',
    'support',
    'contact',
    'about',
    'news',
    'search',
    'login',
    'log in',
    'sign in',
    'register',
    'sign up',
    'logout',
    'log out',
    'forum',
    'forums',
    'board',
    'market',
    'marketplace',
    'shop',
    'listings',
    'categories',
    'vendors',
    'members',
    'profile',
    'account',
    'messages',
    'inbox',
    'settings',
    'wallet',
    'deposit',
    'orders',
    'cart',
    'tickets',
    'disputes',
    'escrow',
    'escrow service',
    'guarantor',
    'guarantor service',
    'upgrade',
    'vip',
    'chat',
    'rss',
    'terms',
    'privacy',
    'canary',
    'mirrors',
    'links',
    'leaks',
    'blog',
    'partners',
  ]),
};

/** Offer and listing vocabulary. */
export const KEYWORD_RULES: readonly KeywordRule[] = [
  // Ransomware leak-site victim posts.
  {
    id: 'will be published',
    pattern: new RegExp(
      String.raw`\b(?:data|files|documents|information|everything|it)\s+will\s+be\s+(?:published|` +
        String.raw`leaked|released|made\s+public|sold|disclosed)\b`,
      'gi',
    ),
    weights: { ransomware_listing: 4 },
  },
  {
    id: 'days/hours left',
    pattern: /\b\d{1,3}\s*(?:d|days?|h|hours?)\s+(?:left|remaining|until\s+publication)\b/gi,
    weights: { ransomware_listing: 3 },
  },
  {
    // A leak site's victim list: each victim with its status or its countdown ("[PUBLISHED]", "[SOLD]",
    // "[08:12:44:09]", "3d 12h 44m"), whatever source the page came from. A bracketed time that opens
    // a line is a chat log's timestamp ("[21:15:00] <nick> ..."), not a countdown.
    id: 'victim statuses',
    pattern: new RegExp(
      String.raw`\[(?:published|sold|leaked|disclosed|full\s+leak|coming\s+soon|in\s+progress|` +
        String.raw`negotiat\w*|paid|timer)\]|(?<!^[ \t]*)\[\d{1,2}(?::\d{2}){2,3}\]|` +
        String.raw`\b\d{1,2}\s?d\s+\d{1,2}\s?h\s+\d{1,2}\s?m\b`,
      'gim',
    ),
    weights: { ransomware_listing: 1.5 },
    maxCount: 4,
  },
  {
    id: 'countdown',
    pattern: /\b(?:countdown|timer|time\s+left|publication\s+date|deadline)\b/gi,
    weights: { ransomware_listing: 2 },
  },
  {
    id: 'published/leaked',
    pattern: /\b(?:published|leaked|disclosed|full\s+leak|data\s+leak)\b/gi,
    weights: { ransomware_listing: 1.5 },
    maxCount: 2,
  },
  {
    id: 'ransom terms',
    pattern: new RegExp(
      String.raw`\b(?:pay(?:ing)?\s+(?:the\s+)?ransom|contact\s+us|negotiat(?:e|ion|` +
        String.raw`ions)|decrypt(?:or|ion)?|did\s+not\s+pay|refused\s+to\s+pay)\b`,
      'gi',
    ),
    weights: { ransomware_listing: 1.5 },
  },
  {
    id: 'data size',
    pattern: /\b\d+(?:[.,]\d+)?\s*(?:gb|tb)\b/gi,
    weights: { ransomware_listing: 1, data_for_sale: 1 },
  },
  {
    id: 'victim profile',
    pattern: /\b(?:website|revenue|employees|industry|country|hq)\s*:/gi,
    weights: { ransomware_listing: 1, access_for_sale: 1 },
    maxCount: 2,
  },

  // Data for sale. Only a seller speaking counts: "medical records sell for more" is market talk.
  { id: 'selling', pattern: SELLER_CUE, weights: { data_for_sale: 2.5, access_for_sale: 1 } },
  { id: 'price', pattern: PRICE, weights: { data_for_sale: 2, access_for_sale: 1.5 } },
  {
    id: 'escrow',
    pattern: /\b(?:escrow|guarantor|garant)\b|(?<![А-Яа-яЁё])гарант[а-яё]*/gi,
    weights: { data_for_sale: 2, access_for_sale: 1 },
  },
  {
    id: 'crypto',
    pattern: /\b(?:btc|xmr|monero|bitcoin|usdt|ltc)\b/gi,
    weights: { data_for_sale: 1.5, access_for_sale: 0.5 },
  },
  {
    id: 'data goods',
    pattern: /\b(?:db|database|dump|records|rows|lines|leads|sql|csv|fullz|ssn\s+lookups?)\b/gi,
    weights: { data_for_sale: 1.5 },
    maxCount: 2,
  },
  { id: 'fullz', pattern: /\bfullz\b/gi, weights: { data_for_sale: 2 } },
  { id: 'sample', pattern: /\b(?:sample|proof|samples)\b/gi, weights: { data_for_sale: 1 } },
  {
    id: 'contact',
    pattern: /\b(?:pm\s+me|dm\s+me|tox|jabber|xmpp|session\s+id|telegram)\b/gi,
    weights: { data_for_sale: 0.5, access_for_sale: 0.5 },
  },

  // Access for sale (initial-access brokers).
  {
    id: 'remote access',
    pattern: new RegExp(
      String.raw`\b(?:rdp|vpn|citrix|pulse\s+secure|fortinet|fortigate|anyconnect|globalprotect|` +
        String.raw`vcenter|esxi|owa|rdweb|webshell|web\s+shell|shell|ssh|vnc|teamviewer|anydesk)\b`,
      'gi',
    ),
    weights: { access_for_sale: 2 },
    maxCount: 2,
  },
  {
    id: 'domain admin',
    pattern: /\b(?:domain\s+admin|local\s+admin|admin\s+rights|da\s+rights|enterprise\s+admin|system\s+privileges)\b/gi,
    weights: { access_for_sale: 3 },
  },
  { id: 'initial access', pattern: /\binitial\s+access\b|\bia\s+broker\b/gi, weights: { access_for_sale: 3 } },
  { id: 'access', pattern: /\baccess(?:es)?\b|(?<![А-Яа-яЁё])доступ[а-яё]*/gi, weights: { access_for_sale: 1 } },
  {
    id: 'network facts',
    pattern: /\b(?:av|edr|hosts|machines|endpoints|backups?)\s*:/gi,
    weights: { access_for_sale: 1 },
    maxCount: 2,
  },

  // Offer fields in any order (see SALE_FIELDS): the listing's own structure.
  { id: 'sale fields', pattern: SALE_FIELDS, weights: { data_for_sale: 1, access_for_sale: 1 }, maxCount: 3 },
  { id: 'access fields', pattern: ACCESS_FIELDS, weights: { access_for_sale: 1 }, maxCount: 4 },
  { id: 'data fields', pattern: DATA_FIELDS, weights: { data_for_sale: 1 }, maxCount: 3 },

  // Credential leaks (counts of pairs come from signals; this is the vocabulary).
  {
    id: 'credential words',
    pattern: new RegExp(
      String.raw`\b(?:combo(?:list)?s?|credentials|creds|email:pass|mail:pass|user:pass|` +
        String.raw`login:pass|stealer\s+logs?|logins?\s+and\s+passwords?)\b`,
      'gi',
    ),
    weights: { credential_leak: 1.5 },
  },

  // PHI vocabulary: weak on its own, since an offer lists the fields it sells ("DOB, SSN, MRN").
  {
    id: 'phi words',
    pattern: new RegExp(
      String.raw`\b(?:patients?|dob|date\s+of\s+birth|mrn|medical\s+records?|diagnos(?:is|` +
        String.raw`es)|icd-?10|insurance\s+id|member\s+id|hipaa|phi)\b`,
      'gi',
    ),
    weights: { phi_exposure: 0.5 },
    maxCount: 3,
  },
];

/**
 * Discussion cues: words of someone reporting or asking about an event. They subtract from the
 * offer/listing classes (not on leak sites, where the post is the listing).
 */
export const DISCUSSION_RULES: readonly KeywordRule[] = [
  {
    id: 'news language',
    pattern: new RegExp(
      String.raw`\b(?:according\s+to|reported(?:ly)?|reports?\s+(?:say|said|that)|news|` +
        String.raw`article|journalists?|press\s+release|breaking|statement|spokesperson|` +
        String.raw`claimed\s+responsibility|(?:was|were|got)\s+hit\s+by|suffered|outage|` +
        String.raw`investigating|they\s+say|saw\s+(?:on|in)|read\s+(?:on|in))\b`,
      'gi',
    ),
    weights: { ransomware_listing: -1.5, data_for_sale: -1.5, access_for_sale: -1.5 },
    maxCount: 3,
  },
  {
    id: 'news site',
    pattern: new RegExp(
      String.raw`\b(?:bleepingcomputer|therecord|the\s+record|reuters|securityweek|` +
        String.raw`databreaches\.net|hipaa\s?journal|darkreading|techcrunch|krebs)\b`,
      'gi',
    ),
    weights: { ransomware_listing: -2, data_for_sale: -2, access_for_sale: -2 },
  },
  {
    id: 'question',
    pattern: /\b(?:anyone|anybody|does\s+any(?:one|body)|what\s+do\s+you\s+think|is\s+it\s+true|any\s+info)\b/gi,
    weights: { ransomware_listing: -1, data_for_sale: -1, access_for_sale: -1 },
  },
  {
    id: 'wanted',
    pattern:
      /\b(?:wtb|buying|looking\s+for|want\s+to\s+buy|need|who\s+has|where\s+(?:can\s+i|to)\s+(?:buy|get|find))\b/gi,
    weights: { data_for_sale: -2, access_for_sale: -2 },
  },
  {
    // Second-hand: a tip or a rumour about a target is not someone offering it.
    id: 'hearsay',
    pattern: /\b(?:heard|hearing|rumou?rs?|apparently|allegedly|supposedly|word\s+is|someone\s+said|i\s+think)\b/gi,
    weights: { data_for_sale: -1.5, access_for_sale: -1.5 },
  },
  {
    // Talk about the market: "records sell for more than cards", "prices went up", "buyers are fewer".
    id: 'market talk',
    pattern: new RegExp(
      String.raw`\b(?:sells?|selling|sold|goes|go|going)\s+for\s+(?:more|less|cheaper|` +
        String.raw`cheap|peanuts|nothing|pennies|a\s+lot|much|twice|double|half|way\s+(?:more|` +
        String.raw`less))\b|\bprices?\s+(?:are|is|went|go|have|has)\s+(?:up|down|dropping|` +
        String.raw`rising|falling|crashing|higher|lower)\b|\b(?:buyers|sellers|demand)\s+(?:are|is)\b`,
      'gi',
    ),
    weights: { data_for_sale: -2, access_for_sale: -2 },
  },
  {
    // Reporting someone else's sale, or a past one: "they are selling", "data was sold", "is being auctioned".
    id: 'reported sale',
    pattern: new RegExp(
      String.raw`\b(?:they|he|she|someone|somebody|people|guys|hackers|attackers|group|` +
        String.raw`crew|gang|vendors?|sellers?|actors?|who)\s+(?:is|are|was|were|['’]s|` +
        String.raw`['’]re|has\s+been|have\s+been|had\s+been)\s+(?:\w+\s+)?(?:selling|` +
        String.raw`offering|auctioning)\b|\b(?:is|are|was|were)\s+(?:being\s+)?(?:sold|auctioned|offered)\b`,
      'gi',
    ),
    weights: { data_for_sale: -1.5, access_for_sale: -1.5 },
  },
];

/**
 * Credential pairs (and secrets) in the clear. One working pair posted in the clear is already a leak
 * of that account (the key of the blind corpus, and what an analyst files); more pairs make it surer.
 * AIL tags a credential leak above 8 pairs (`criticalNumberToAlert`, darkweb.md §2).
 */
export function credentialWeight(credentialCount: number): number {
  if (credentialCount >= 8) return 6 + Math.min(2, Math.log10(credentialCount / 8));
  if (credentialCount >= 3) return 5;
  return credentialCount > 0 ? CLASS_THRESHOLD : 0;
}

/** PHI evidence from the extractor: indicators (patient+DOB, MRN, diagnosis) and identifiers. */
export function phiWeight(phiIndicators: number, entityTypes: ReadonlySet<string>): number {
  let weight = Math.min(6, 2 * phiIndicators);
  if (entityTypes.has('mbi')) weight += 2;
  // An SSN next to a named patient (a phi indicator) is PHI; an SSN alone is identity data.
  if (entityTypes.has('ssn')) weight += phiIndicators > 0 ? 2 : 0.5;
  if (entityTypes.has('npi') || entityTypes.has('dea')) weight += 0.5;
  return weight;
}
