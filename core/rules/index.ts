// Every rule family, in the order their diagnostics are produced.
import type { Rule } from '../validate';

export const RULES: Rule[] = [];
