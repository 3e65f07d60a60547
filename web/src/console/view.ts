/** What every console view receives and returns. */
import type { Me } from '../api/types.ts';

export interface ViewCtx {
  me: Me;
  /** The rest of the hash route after the view name (e.g. a device id), or null. */
  param: string | null;
  /** Changes the hash route without a reload. */
  navigate: (hash: string) => void;
}

/** Mounts into the element; returns what stops timers and removes maps. */
export type View = (el: HTMLElement, ctx: ViewCtx) => () => void;
