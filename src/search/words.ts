/**
 * What a "word" of a search is, shared by the search itself (`run.ts`) and the planner that
 * predicts what it will load (`plan.ts`): function words, bare words, and the parts of a word
 * the partial-match pass searches alone.
 */

/**
 * Words too common to be worth a search: function words, which every page holds. Each searched
 * word costs its index chunk, and the chunk of a word every page holds is the largest there is
 * (100–350 KB at 10,000 documents).
 */
const STOPWORDS = new Set(
  'a about after again all already also an and any are as at be been before but by can could did do does during each every for from had has have how in into is it its just more most no not of on once only or other our over same so some such than that the their then there these they this those to up very was we were what when where which while who why will with would you your'.split(
    ' ',
  ),
);

/** Is `word` (lowercase letters and digits only) a function word? */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word);
}

/** A word lowercased, without leading or trailing punctuation: `"FATAL:"` → `fatal`. */
export function bareWord(word: string): string {
  return word.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');
}

/** Is this word of a query a function word (punctuation inside ignored: `it's`)? */
export function isFunctionWord(word: string): boolean {
  return STOPWORDS.has(bareWord(word).replace(/[^\p{L}\p{N}]+/gu, ''));
}

/**
 * The parts of `text` the partial-match pass searches one by one: split at anything but letters
 * and digits, lowercased, at least two characters, no function words (`HikariPool-1` →
 * `hikaripool`; `EAI_AGAIN` → `eai`).
 */
export function looseParts(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((part) => part.length >= 2 && !STOPWORDS.has(part));
}

/** Fewest characters of a word still being typed that are worth searching. */
export const MIN_PARTIAL_WORD = 3;

/**
 * What someone typing has written so far: the words they have finished (followed by a space)
 * and the word they are in the middle of. `"tls hand"` → `{ complete: 'tls', partial: 'hand' }`.
 */
export function splitTyping(text: string): { complete: string; partial: string } {
  if (/\s$/.test(text)) return { complete: text.trim(), partial: '' };
  const match = /^(.*?)(\S+)$/s.exec(text);
  return { complete: (match?.[1] ?? '').trim(), partial: match?.[2] ?? '' };
}

/**
 * The query to search while someone types `text`: without a last word of fewer than
 * `MIN_PARTIAL_WORD` letters and digits (`"tls h"` searches `tls`: a one- or two-letter prefix
 * matches words by the thousand and loads index chunks the finished word will not need).
 */
export function typedQuery(text: string): string {
  const { complete, partial } = splitTyping(text);
  return partial.replace(/[^\p{L}\p{N}]+/gu, '').length >= MIN_PARTIAL_WORD ? text.trim() : complete;
}
