/** Lower-case, accents removed, spaces collapsed: the form search compares on both sides. */
export function normalizeForSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

// Characters that change how text around them looks without being seen themselves: C0 and C1
// control characters (NUL among them) and the bidirectional embeddings, overrides and isolates
// (and the marks), which can make "Toko Siti" display as someone else's name or reverse a price.
// Tab, line feed and carriage return are the only controls a form legitimately sends.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const invisibleControls = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const lineBreaksAndTabs = /[\t\r\n]+/g;

/** Text as a person typed it, without control and direction-changing characters; line breaks kept. */
export function stripInvisibleControls(text: string): string {
  return text.replace(invisibleControls, '');
}

/** One line of text: control and direction-changing characters removed, tabs and line breaks become spaces. */
export function toSingleLine(text: string): string {
  return stripInvisibleControls(text).replace(lineBreaksAndTabs, ' ');
}
