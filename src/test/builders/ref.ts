/** A row or its id: builders take either, so a test passes whatever it holds. */
export type Ref = number | { id: number };

export const idOf = (ref: Ref): number => (typeof ref === 'number' ? ref : ref.id);
