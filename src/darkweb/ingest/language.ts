/**
 * Cheap language detection: the dominant script first (Cyrillic, CJK, Arabic...), then, for Latin
 * and Cyrillic text, counts of very frequent function words per language. Good enough to tag forum
 * posts and pastes; undefined when the evidence is thin (short or mixed text) rather than a guess.
 */

/** Function-word profiles (ISO 639-1 code → the language's most frequent short words). */
const STOP_WORDS: Record<string, readonly string[]> = {
  en: [
    'the',
    'and',
    'of',
    'to',
    'is',
    'in',
    'that',
    'it',
    'for',
    'with',
    'was',
    'on',
    'are',
    'this',
    'you',
    'have',
    'be',
    'not',
    'from',
    'they',
    'we',
    'all',
    'can',
    'has',
    'will',
    'their',
    'what',
    'which',
    'would',
    'there',
    'been',
    'or',
    'if',
    'but',
    'my',
    'your',
    'an',
    'at',
    'by',
    'our',
    'any',
    'just',
  ],
  es: [
    'el',
    'la',
    'de',
    'que',
    'y',
    'en',
    'los',
    'se',
    'del',
    'las',
    'un',
    'por',
    'con',
    'no',
    'una',
    'su',
    'para',
    'es',
    'al',
    'lo',
    'como',
    'más',
    'pero',
    'sus',
    'le',
    'ya',
    'o',
    'este',
    'sí',
    'porque',
    'esta',
    'entre',
    'cuando',
    'muy',
    'sin',
    'sobre',
    'también',
    'hay',
    'donde',
    'todos',
  ],
  fr: [
    'le',
    'la',
    'de',
    'et',
    'les',
    'des',
    'en',
    'un',
    'une',
    'du',
    'est',
    'que',
    'pour',
    'qui',
    'dans',
    'pas',
    'au',
    'sur',
    'ne',
    'se',
    'plus',
    'par',
    'avec',
    'ce',
    'il',
    'sont',
    'nous',
    'vous',
    'mais',
    'ou',
    'cette',
    'aux',
    'ont',
    'je',
    'être',
    'leur',
    'été',
    'tout',
    'fait',
    'comme',
  ],
  de: [
    'der',
    'die',
    'und',
    'in',
    'den',
    'von',
    'zu',
    'das',
    'mit',
    'sich',
    'des',
    'auf',
    'für',
    'ist',
    'im',
    'dem',
    'nicht',
    'ein',
    'eine',
    'als',
    'auch',
    'es',
    'an',
    'werden',
    'aus',
    'er',
    'hat',
    'dass',
    'sie',
    'nach',
    'wird',
    'bei',
    'einer',
    'um',
    'am',
    'sind',
    'noch',
    'wie',
    'einem',
    'über',
    'ich',
    'wir',
    'oder',
  ],
  pt: [
    'de',
    'a',
    'o',
    'que',
    'e',
    'do',
    'da',
    'em',
    'um',
    'para',
    'é',
    'com',
    'não',
    'uma',
    'os',
    'no',
    'se',
    'na',
    'por',
    'mais',
    'as',
    'dos',
    'como',
    'mas',
    'foi',
    'ao',
    'ele',
    'das',
    'tem',
    'à',
    'seu',
    'sua',
    'ou',
    'ser',
    'quando',
    'muito',
    'há',
    'nos',
    'já',
    'está',
    'também',
    'você',
    'são',
  ],
  it: [
    'di',
    'e',
    'il',
    'la',
    'che',
    'in',
    'a',
    'per',
    'un',
    'è',
    'non',
    'una',
    'del',
    'con',
    'sono',
    'da',
    'si',
    'le',
    'dei',
    'gli',
    'al',
    'della',
    'come',
    'più',
    'ma',
    'lo',
    'nel',
    'anche',
    'questo',
    'ha',
    'alla',
    'ci',
    'io',
    'mi',
    'se',
    'perché',
    'tutto',
    'essere',
    'molto',
    'questa',
  ],
  ru: [
    'и',
    'в',
    'не',
    'на',
    'что',
    'я',
    'с',
    'он',
    'как',
    'а',
    'то',
    'это',
    'по',
    'но',
    'к',
    'из',
    'у',
    'за',
    'так',
    'от',
    'же',
    'все',
    'вы',
    'мы',
    'о',
    'для',
    'бы',
    'есть',
    'только',
    'уже',
    'был',
    'его',
    'она',
    'или',
    'если',
    'ты',
    'до',
    'при',
    'нет',
    'когда',
  ],
};

const LANGUAGES = Object.keys(STOP_WORDS);
const RUSSIAN = LANGUAGES.indexOf('ru');
/** Words stop words are looked up by at most: stop words are short. */
const MAX_STOP_WORD_LENGTH = 7;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
/**
 * Stop words by the FNV-1a hash of their code units, in an open-addressing table (slot → entry + 1,
 * 0 empty): the scan hashes each word as it reads it, so a word is looked up without being sliced out
 * of the text (a string per word was a third of this function's cost). A hit is confirmed against the
 * word itself.
 */
const STOP_WORD_ENTRIES: Array<{ word: string; hash: number; languages: number[] }> = [];
const STOP_WORD_SLOTS = new Int32Array(4096);
const STOP_WORD_MASK = STOP_WORD_SLOTS.length - 1;

function wordHash(word: string): number {
  let hash = FNV_OFFSET;
  for (let i = 0; i < word.length; i++) hash = Math.imul(hash ^ word.charCodeAt(i), FNV_PRIME);
  return hash >>> 0;
}

LANGUAGES.forEach((lang, index) => {
  for (const word of STOP_WORDS[lang]!) {
    const existing = STOP_WORD_ENTRIES.find((e) => e.word === word);
    if (existing !== undefined) {
      existing.languages.push(index);
      continue;
    }
    const entry = { word, hash: wordHash(word), languages: [index] };
    let slot = entry.hash & STOP_WORD_MASK;
    while (STOP_WORD_SLOTS[slot] !== 0) slot = (slot + 1) & STOP_WORD_MASK;
    STOP_WORD_ENTRIES.push(entry);
    STOP_WORD_SLOTS[slot] = STOP_WORD_ENTRIES.length;
  }
});

/** The stop word of `length` code units at `start` of `text` with hash `hash`, if it is one. */
function stopWordAt(text: string, start: number, length: number, hash: number): number[] | undefined {
  for (let slot = hash & STOP_WORD_MASK; STOP_WORD_SLOTS[slot] !== 0; slot = (slot + 1) & STOP_WORD_MASK) {
    const entry = STOP_WORD_ENTRIES[STOP_WORD_SLOTS[slot]! - 1]!;
    if (entry.hash === hash && entry.word.length === length && text.startsWith(entry.word, start))
      return entry.languages;
  }
  return undefined;
}

/** Scripts that identify a language by themselves (ISO 15924 → ISO 639-1). */
const SCRIPT_LANGUAGES: ReadonlyArray<[RegExp, string]> = [
  [/\p{Script=Hangul}/u, 'ko'],
  [/[\p{Script=Hiragana}\p{Script=Katakana}]/u, 'ja'],
  [/\p{Script=Han}/u, 'zh'],
  [/\p{Script=Arabic}/u, 'ar'],
  [/\p{Script=Hebrew}/u, 'he'],
  [/\p{Script=Greek}/u, 'el'],
  [/\p{Script=Thai}/u, 'th'],
  [/\p{Script=Devanagari}/u, 'hi'],
];

/** Characters examined: enough to decide, bounded for huge pastes. */
const SAMPLE_CHARS = 2000;
/** Function words needed before a Latin/Cyrillic language is named. */
const MIN_STOP_WORD_HITS = 3;

/** Letters of the Latin (basic, Latin-1, Extended-A/B) and Cyrillic blocks: what stop words are made of. */
function isWordLetter(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) ||
    (code >= 0xdf && code <= 0x24f && code !== 0xf7) ||
    (code >= 0x430 && code <= 0x45f)
  );
}

/** ISO 639-1 code of the text's language, or undefined when unsure. */
export function detectLanguage(text: string): string | undefined {
  const sample = (text.length > SAMPLE_CHARS ? text.slice(0, SAMPLE_CHARS) : text).toLowerCase();
  let latin = 0;
  let cyrillic = 0;
  let other = 0;
  // One pass counts the scripts and the stop words (the counts decide whether the words are read).
  const hits = new Array<number>(LANGUAGES.length).fill(0);
  let start = -1;
  let hash = FNV_OFFSET;
  for (let i = 0; i <= sample.length; i++) {
    const code = i < sample.length ? sample.charCodeAt(i) : 0x20;
    if (code >= 0x61 && code <= 0x7a) {
      latin += 1;
    } else if (code >= 0x80) {
      if (code >= 0xc0 && code <= 0x24f) latin += 1;
      else if (code >= 0x400 && code <= 0x4ff) cyrillic += 1;
      else if (
        code > 0x2ff &&
        !(code >= 0x2000 && code <= 0x2bff) &&
        !(code >= 0x3000 && code <= 0x303f) &&
        !(code >= 0xdc00 && code <= 0xdfff)
      )
        other += 1;
    }
    if (isWordLetter(code)) {
      if (start === -1) {
        start = i;
        hash = FNV_OFFSET;
      }
      hash = Math.imul(hash ^ code, FNV_PRIME);
    } else if (start !== -1) {
      // Stop words are short: skip the lookup for long words.
      if (i - start <= MAX_STOP_WORD_LENGTH) {
        const languages = stopWordAt(sample, start, i - start, hash >>> 0);
        if (languages !== undefined) for (const index of languages) hits[index]! += 1;
      }
      start = -1;
    }
  }
  const letters = latin + cyrillic + other;
  if (letters === 0) return undefined;
  if (other > latin && other > cyrillic) {
    // Japanese mixes kana with Han: test scripts in an order that lets kana win over Han.
    for (const [script, lang] of SCRIPT_LANGUAGES) if (script.test(sample)) return lang;
    return undefined;
  }
  const cyrillicText = cyrillic > latin;
  let best: string | undefined;
  let bestHits = 0;
  let secondHits = 0;
  hits.forEach((count, index) => {
    if ((index === RUSSIAN) !== cyrillicText) return;
    if (count > bestHits) {
      secondHits = bestHits;
      bestHits = count;
      best = LANGUAGES[index];
    } else if (count > secondHits) secondHits = count;
  });
  // Thin or ambiguous evidence (Spanish and Portuguese share many words): no answer.
  if (best === undefined || bestHits < MIN_STOP_WORD_HITS || bestHits < secondHits * 1.2) return undefined;
  return best;
}
