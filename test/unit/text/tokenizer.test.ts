import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tokenize } from '../../../src/core/text/tokenizer.js';

test('tokenizer: BOM, NFC, case, contractions, possessives, URLs, e-mail addresses, symbols, numbers', () => {
  const has = (w: string) => w === 'e-mail';
  assert.deepEqual(
    tokenize("\uFEFFI don\u2019t know; it's John's e-mail: Ann.B@x.org \u2014 see https://x.com/a?b=1! We'll pay $5, won't we? well-known 1,000", has),
    [
      'i',
      'do',
      'not',
      'know',
      'it',
      'john',
      'e-mail',
      'email',
      'see',
      'url',
      '!',
      'we',
      'will',
      'pay',
      '$',
      '5',
      'will',
      'not',
      'we',
      '?',
      'well',
      'known',
      '1',
      '000',
    ],
  );
  // NFC: a decomposed é (e + U+0301) becomes the composed code point
  assert.deepEqual(tokenize('Cafe\u0301 www.example.com'), ['caf\u00e9', 'url']);
  assert.deepEqual(tokenize('  ... --- ,,, '), []);
});
