/**
 * Issue 10: `JSON.parse` keeps the last of two equal keys (`{"role":"viewer","role":"admin"}`), so what a reviewer
 * reads and what the server does can differ. This finds the first key repeated within one object of a text that is
 * already known to be valid JSON, with its path, in one linear pass.
 */
export function findDuplicateJsonKey(text: string): string | null {
  const stack: Array<{ keys: Set<string> | null; path: string }> = [];
  let expectKey = false;
  let lastKey = '';
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (expectKey && top?.keys != null) {
        const key = JSON.parse(text.slice(i, j + 1)) as string;
        if (top.keys.has(key)) return top.path === '' ? key : `${top.path}.${key}`;
        top.keys.add(key);
        lastKey = key;
        expectKey = false;
      }
      i = j;
    } else if (ch === '{' || ch === '[') {
      const parent = stack[stack.length - 1];
      const path = parent === undefined ? '' : parent.keys === null ? `${parent.path}[]` : parent.path === '' ? lastKey : `${parent.path}.${lastKey}`;
      stack.push({ keys: ch === '{' ? new Set() : null, path });
      expectKey = ch === '{';
    } else if (ch === '}' || ch === ']') {
      stack.pop();
      expectKey = false;
    } else if (ch === ',') {
      expectKey = stack[stack.length - 1]?.keys != null;
    }
  }
  return null;
}
