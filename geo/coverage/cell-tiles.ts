/** Sparse per-cell storage: square tiles of TILE x TILE cells, allocated when first written. */
export const TILE = 32;
const OFFSET = 2 ** 15;
const SPAN = 2 ** 16;

export function tileKey(i: number, j: number): number {
  return (Math.floor(i / TILE) + OFFSET) * SPAN + (Math.floor(j / TILE) + OFFSET);
}

export function tileIndex(i: number, j: number): number {
  return (j - Math.floor(j / TILE) * TILE) * TILE + (i - Math.floor(i / TILE) * TILE);
}

/** Unique number of a cell, for maps. */
export function cellKey(i: number, j: number): number {
  return (i + 2 ** 25) * 2 ** 26 + (j + 2 ** 25);
}

export function cellFromKey(key: number): [number, number] {
  const i = Math.floor(key / 2 ** 26) - 2 ** 25;
  const j = key - (i + 2 ** 25) * 2 ** 26 - 2 ** 25;
  return [i, j];
}

/**
 * Splits the span [a, b) of row j at tile borders and calls back once per tile piece with the tile key and
 * the flat index of the piece's first cell (the piece is contiguous in the tile).
 */
export function forEachTilePiece(j: number, a: number, b: number, callback: (key: number, firstIndex: number, length: number) => void): void {
  let i = a;
  while (i < b) {
    const tileEnd = (Math.floor(i / TILE) + 1) * TILE;
    const end = Math.min(b, tileEnd);
    callback(tileKey(i, j), tileIndex(i, j), end - i);
    i = end;
  }
}
