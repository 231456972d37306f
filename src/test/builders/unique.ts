let counter = 0;

/** A name no other test of the run has used: a prefix, a counter and a few random letters. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}${counter}${Math.random().toString(36).slice(2, 6)}`;
}
