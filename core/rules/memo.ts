// Per-node memo of the node-local checks: "this check found nothing in this node". An incremental
// step (core/incremental.ts) hands the next analysis the very declaration objects of the nodes the
// edit did not touch, so a check that found nothing in a declaration, with the same facts from
// outside the node (its `deps`), finds nothing again and is skipped. Only empty results are kept:
// a diagnostic's range, message ("line 12") or fixes (the other nodes a fix offers) may depend on
// the rest of the file, and nodes with a problem are few, so they are simply checked again.
import type { Diagnostic } from '../diagnostic';
import type { NodeDecl } from '../model';

/** The node-local checks, each a slot in a declaration's memo. */
export const NodeCheck = { Wf101: 0, Wf102103: 1, Wf114: 2, Wf121: 3, Wf122: 4, Edges: 5 } as const;
type Slot = (typeof NodeCheck)[keyof typeof NodeCheck];
const SLOTS = 6;

/**
 * Per declaration, per check: the deps with which the check last found nothing (undefined: not
 * known quiet). Held on the declaration under a symbol, not enumerable (no walk, copy or comparison
 * of a model sees it): a WeakMap lookup per node and check was the larger part of a pass.
 */
const QUIET = Symbol('quiet checks');
type Slots = (string | number | undefined)[];
const slotsOf = (n: NodeDecl): Slots | undefined => (n as { [QUIET]?: Slots })[QUIET];

/**
 * Runs `check` on every node whose memo does not say it is quiet with these `deps` (a primitive, or
 * one per node: every fact outside the declaration the check's silence depends on), in file order,
 * and records the nodes where it reported nothing.
 */
export function eachNode(
  nodes: readonly NodeDecl[],
  which: Slot,
  out: Diagnostic[],
  deps: number | ((n: NodeDecl) => string | number),
  check: (n: NodeDecl) => void,
): void {
  for (const n of nodes) {
    const d = typeof deps === 'number' ? deps : deps(n);
    let slots = slotsOf(n);
    if (slots !== undefined && slots[which] === d) continue;
    const before = out.length;
    check(n);
    if (out.length === before) {
      if (slots === undefined) {
        slots = new Array<string | number | undefined>(SLOTS);
        Object.defineProperty(n, QUIET, { value: slots });
      }
      slots[which] = d;
    } else if (slots !== undefined) slots[which] = undefined;
  }
}

/** The deps of a check whose silence depends on the node alone and on whether its key is repeated (WF003). */
export function duplicateDeps(dups: ReadonlySet<string>): number | ((n: NodeDecl) => number) {
  return dups.size === 0 ? 0 : (n) => (dups.has(n.key) ? 1 : 0);
}
