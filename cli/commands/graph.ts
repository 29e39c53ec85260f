// `callflow graph FILE --format mermaid|dot|svg`: the workflow graph for docs and pull requests.
// The SVG is laid out by core/layout.ts, the same layout the editor's preview draws.
import { analyze } from '../../core/validate';
import { toDot, toMermaid, toSvg } from '../../core/export';
import { defineCommand } from '../args';
import { command } from '../command';
import { readTextFile } from '../files';
import { CliError, EXIT } from '../io';

export const GRAPH_SPEC = defineCommand({
  name: 'graph',
  summary: 'Prints the workflow graph on stdout. Edges to unknown nodes are left out (validate reports them).',
  positionals: { name: 'FILE', min: 1, max: 1 },
  flags: {
    format: { type: 'string', choices: ['mermaid', 'dot', 'svg'], default: 'mermaid', description: 'output format' },
  },
  notes: 'exit codes: 0 printed, 2 could not run (bad arguments, unreadable file, YAML syntax error)',
});

export const graph = command({
  spec: GRAPH_SPEC,
  async run(args) {
    const file = args.positionals[0];
    const a = analyze(readTextFile(file));
    const syntax = a.diagnostics.find((d) => d.code === 'WF001' || d.code === 'WF004');
    if (!a.model || syntax) {
      const where = syntax ? `:${syntax.range.start.line + 1}:${syntax.range.start.character + 1}` : '';
      throw new CliError(`${file}${where}: cannot draw the graph: ${syntax?.message ?? 'not a workflow'}`, EXIT.usage);
    }
    const format = args.flags.format;
    const out =
      format === 'dot'
        ? toDot(a.model, a.graph)
        : format === 'svg'
          ? await toSvg(a.model, a.graph)
          : toMermaid(a.model, a.graph);
    process.stdout.write(out);
    return EXIT.ok;
  },
});
