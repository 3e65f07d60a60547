/**
 * RouterOS API query words (`?name=value`, `?name`, `?-name`, `?<name=v`, `?>name=v`, `?#|`, `?#&`, `?#!`) evaluated
 * against one row, as the router does: each word pushes a result on a stack, `#` words combine the top of it, and the
 * row matches when every value left on the stack is true.
 */
export type Row = Record<string, string>;

function compare(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

export function rowMatches(row: Row, queries: readonly string[]): boolean {
  const stack: boolean[] = [];
  for (const q of queries) {
    if (q.startsWith('#')) {
      for (const op of q.slice(1)) {
        if (op === '!') stack.push(!(stack.pop() ?? true));
        else if (op === '|' || op === '&') {
          const b = stack.pop() ?? true;
          const a = stack.pop() ?? true;
          stack.push(op === '|' ? a || b : a && b);
        } else if (op === '.') stack.push(stack[stack.length - 1] ?? true);
      }
      continue;
    }
    const kind = q[0];
    if (kind === '-') stack.push(!(q.slice(1) in row));
    else if (kind === '<' || kind === '>') {
      const eq = q.indexOf('=');
      const name = q.slice(1, eq < 0 ? undefined : eq);
      const value = eq < 0 ? '' : q.slice(eq + 1);
      const have = row[name];
      stack.push(have !== undefined && (kind === '<' ? compare(have, value) < 0 : compare(have, value) > 0));
    } else {
      const eq = q.indexOf('=');
      if (eq < 0) stack.push(q in row);
      else stack.push(row[q.slice(0, eq)] === q.slice(eq + 1));
    }
  }
  return stack.every(Boolean);
}
