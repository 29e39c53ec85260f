// Placeholder until the schema checker lands: no WF002 diagnostics.
import type { Diagnostic } from './diagnostic';
import type { ValidateOptions } from './options';
import type { ParsedText } from './parse';

export function checkSchema(_parsed: ParsedText, _options: ValidateOptions): Diagnostic[] { return []; }
