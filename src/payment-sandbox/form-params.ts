// The SDK sends parameters form-encoded with bracket paths (`line_items[0][price_data][currency]`,
// `expand[0]`, `metadata[order_id]`). Express hands them over flat; this rebuilds the tree,
// turning objects whose keys are all indices into arrays.

export type FormValue = string | FormValue[] | { [key: string]: FormValue };
export type FormObject = { [key: string]: FormValue };

function splitPath(key: string): string[] | null {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return null;
  const parts = [match[1]!];
  for (const m of match[2]!.matchAll(/\[([^[\]]*)\]/g)) parts.push(m[1]!);
  return parts;
}

type Tree = { [key: string]: Tree | string };

function toValue(node: Tree | string): FormValue {
  if (typeof node === 'string') return node;
  const keys = Object.keys(node);
  if (keys.length > 0 && keys.every((k) => /^\d+$/.test(k))) {
    return keys
      .map(Number)
      .sort((a, b) => a - b)
      .map((k) => toValue(node[String(k)]!));
  }
  const out: FormObject = {};
  for (const k of keys) out[k] = toValue(node[k]!);
  return out;
}

/** Nests flat `a[b][0]=v` pairs (`a[]` appends). Returns the offending key when malformed. */
export function nestFormParams(flat: Record<string, unknown>): FormObject | { error: string } {
  const root: Tree = {};
  for (const [rawKey, rawValue] of Object.entries(flat)) {
    if (typeof rawValue !== 'string') return { error: rawKey };
    const parts = splitPath(rawKey);
    if (!parts) return { error: rawKey };
    let node: Tree = root;
    for (let i = 0; i < parts.length; i++) {
      const part = parts[i] === '' ? String(Object.keys(node).length) : parts[i]!;
      if (i === parts.length - 1) {
        if (part in node) return { error: rawKey };
        node[part] = rawValue;
      } else {
        const next = node[part];
        if (typeof next === 'string') return { error: rawKey };
        node = next ?? (node[part] = {});
      }
    }
  }
  return toValue(root) as FormObject;
}
