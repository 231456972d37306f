// Reading a page as a person does: its visible text and the CSRF token of its form. The data
// and the signed-in agents come from ./builders.

/** The CSRF token of a page, read from its first form as a browser would. */
export function csrfFrom(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('No CSRF token on the page');
  return match[1]!;
}

/** Reads the entities a page writes as the characters a browser shows: EJS's &lt; &gt; &amp; and the numeric references every character beyond Latin-1 is written as (src/http/render.ts). */
export function decodeEntities(html: string): string {
  return html
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCodePoint(Number(code)))
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

/** A page's text as a person reads it: tags gone, entities read, whitespace collapsed. */
export function text(html: string): string {
  return decodeEntities(html.replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ');
}
