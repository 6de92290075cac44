/**
 * The text of a raw e-mail (RFC 822/MIME): parsed by `postal-mime` (multipart bodies, quoted-printable
 * and base64 transfer encodings, the charset of each part), HTML reduced to its text by
 * `html-to-text` (links and images dropped). The text is the Subject line and the plain-text body;
 * a message with only an HTML body gets that body's text. With `headers`, the raw header block comes
 * first (it names the mailing lists and relays, which give ham away).
 */
import PostalMime from 'postal-mime';
import { convert } from 'html-to-text';

/** Subject + body text of a raw message (bytes, any charset). Never throws for malformed MIME: what parses is returned. */
export async function emailText(raw: Uint8Array, opts: { headers: boolean }): Promise<string> {
  const mail = await PostalMime.parse(raw);
  let body = mail.text ?? '';
  if (body.trim() === '' && mail.html) body = htmlText(mail.html);
  const head = opts.headers ? headerBlock(raw) : (mail.subject ?? '');
  return `${head}\n\n${body}`;
}

/** The visible text of an HTML fragment or page. */
export function htmlText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'img', format: 'skip' },
    ],
  });
}

function headerBlock(raw: Uint8Array): string {
  const text = Buffer.from(raw).toString('latin1');
  const end = text.search(/\r?\n\r?\n/);
  return end < 0 ? text : text.slice(0, end);
}
