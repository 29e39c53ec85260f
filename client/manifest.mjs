// Writes the extension's manifest fields (contributes, activationEvents, main, icon, ...) into
// package.json without touching any other field. Run it under the npm lock, as every package.json
// edit in this repo is: flock /tmp/callflow-npm.lock node client/manifest.mjs
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgPath = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../package.json');
const pkg = JSON.parse(readFileSync(pkgPath, 'utf8'));

const LANG = 'callflow-workflow';
const isWorkflow = `editorLangId == ${LANG}`;
const trusted = 'isWorkspaceTrusted';

/** [id, title, icon?, extra] */
const COMMANDS = [
  ['callflow.showPreview', 'Open Graph Preview to the Side', '$(type-hierarchy)'],
  ['callflow.showPlan', 'Show Plan (what a push would do)', '$(list-ordered)'],
  ['callflow.push', 'Push Workflow', '$(cloud-upload)'],
  ['callflow.activate', 'Activate Workflow', '$(play)'],
  ['callflow.pause', 'Pause Workflow', '$(debug-pause)'],
  ['callflow.resume', 'Resume Workflow', '$(debug-continue)'],
  ['callflow.cancel', 'Cancel Workflow (final)', '$(stop)'],
  ['callflow.uploadLeads', 'Upload Leads…', '$(person-add)'],
  ['callflow.pull', 'Pull Remote Workflow into a New File', '$(cloud-download)'],
  ['callflow.compareWithHead', 'Compare with HEAD (semantic diff)', '$(git-compare)'],
  ['callflow.compareWith', 'Compare with Revision… (semantic diff)', '$(git-compare)'],
  ['callflow.exportMermaid', 'Export Graph as Mermaid'],
  ['callflow.exportSvg', 'Export Graph as SVG'],
  ['callflow.validateWorkspace', 'Validate All Workflow Files'],
  ['callflow.selectTarget', 'Select Target'],
  ['callflow.setApiKey', 'Set API Key for a Target', '$(key)'],
  ['callflow.removeApiKey', 'Remove API Key for a Target'],
  ['callflow.restartServer', 'Restart Language Server'],
  ['callflow.showOutput', 'Show Output'],
  ['callflow.openRuleDoc', 'Open Rule Page'],
  ['callflow.remote.refresh', 'Refresh Remote Workflows', '$(refresh)'],
  ['callflow.remote.open', 'Open Remote Workflow (read-only)', '$(go-to-file)'],
  ['callflow.remote.compare', 'Compare Remote Workflow with Local File', '$(diff)'],
  ['callflow.remote.activate', 'Activate', '$(play)'],
  ['callflow.remote.pause', 'Pause', '$(debug-pause)'],
  ['callflow.remote.resume', 'Resume', '$(debug-continue)'],
  ['callflow.remote.cancel', 'Cancel (final)', '$(stop)'],
  ['callflow.remote.pull', 'Pull into a New File', '$(cloud-download)'],
  ['callflow.runWorkflowTestCase', 'Run Workflow Test Case', '$(play)'],
];
/** Commands that touch the platform: off in a restricted workspace. */
const ONLINE = new Set([
  'callflow.showPlan',
  'callflow.uploadLeads',
  'callflow.push',
  'callflow.activate',
  'callflow.pause',
  'callflow.resume',
  'callflow.cancel',
  'callflow.pull',
  'callflow.remote.refresh',
  'callflow.remote.open',
  'callflow.remote.compare',
  'callflow.remote.activate',
  'callflow.remote.pause',
  'callflow.remote.resume',
  'callflow.remote.cancel',
  'callflow.remote.pull',
]);
const FILE_COMMANDS = new Set([
  'callflow.showPreview',
  'callflow.uploadLeads',
  'callflow.showPlan',
  'callflow.push',
  'callflow.activate',
  'callflow.pause',
  'callflow.resume',
  'callflow.cancel',
  'callflow.compareWithHead',
  'callflow.compareWith',
  'callflow.exportMermaid',
  'callflow.exportSvg',
]);
const REMOTE_ITEM = /^callflow\.remote\.(open|compare|activate|pause|resume|cancel|pull)$/;
/**
 * Off in the web extension (github.dev, vscode.dev: `callflow.web` is set there): they need the
 * platform API, keys, git or files on disk. Hidden there; client/browser/commands.ts answers any
 * command it does not implement with a one-line reason.
 */
const WEB_OFF = new Set([
  ...ONLINE,
  'callflow.selectTarget',
  'callflow.setApiKey',
  'callflow.removeApiKey',
  'callflow.validateWorkspace',
]);
const desktop = '!callflow.web';
/** Reached from links (diagnostics' rule pages), not the palette. */
const HIDDEN = new Set(['callflow.openRuleDoc', 'callflow.runWorkflowTestCase']);

const commandPalette = COMMANDS.map(([command]) => {
  const conds = [];
  if (FILE_COMMANDS.has(command)) conds.push(isWorkflow);
  if (ONLINE.has(command)) conds.push(trusted);
  if (WEB_OFF.has(command)) conds.push(desktop);
  if (REMOTE_ITEM.test(command) || HIDDEN.has(command)) return { command, when: 'false' };
  return conds.length ? { command, when: conds.join(' && ') } : { command };
});

const remoteInline = (verb, status) => ({
  command: `callflow.remote.${verb}`,
  when: `view == callflow.remote && viewItem =~ /workflow:(${status})/`,
  group: 'inline',
});

const fields = {
  main: './dist/extension.js',
  browser: './dist/browser/extension.js',
  icon: 'media/icon.png',
  galleryBanner: { color: '#16213e', theme: 'dark' },
  keywords: ['workflow', 'voice ai', 'yaml', 'calling', 'graph'],
  activationEvents: [`onLanguage:${LANG}`, 'workspaceContains:**/*.workflow.test.yaml'],
  capabilities: {
    untrustedWorkspaces: {
      supported: 'limited',
      description:
        'In a restricted workspace Callflow validates workflow files offline; plan, push, activate, the lifecycle commands, the remote view and online checks are off, because they would send an API key to a host the workspace names.',
      restrictedConfigurations: ['callflow.defaultTarget', 'callflow.online.target', 'callflow.online.enabled'],
    },
    virtualWorkspaces: {
      supported: 'limited',
      description: 'Validation and the preview work; platform commands need files on disk.',
    },
  },
  contributes: {
    languages: [
      {
        id: LANG,
        aliases: ['Callflow Workflow', 'callflow'],
        extensions: ['.workflow.yaml'],
        filenamePatterns: ['*.workflow.yaml'],
        configuration: './syntaxes/language-configuration.json',
        icon: { light: './media/file-icon.svg', dark: './media/file-icon.svg' },
      },
    ],
    grammars: [
      { language: LANG, scopeName: 'source.callflow-workflow', path: './syntaxes/callflow-workflow.tmLanguage.json' },
      {
        scopeName: 'callflow.variables.injection',
        path: './syntaxes/callflow-variables.injection.json',
        injectTo: ['source.callflow-workflow'],
      },
    ],
    // Offered to other YAML tools (e.g. Red Hat YAML when a user maps these files to `yaml`) for
    // *.workflow.yaml only: never every *.yaml.
    yamlValidation: [
      { fileMatch: '*.workflow.yaml', url: './schemas/workflow.schema.json' },
      { fileMatch: '*.workflow.test.yaml', url: './schemas/workflow-test.schema.json' },
    ],
    snippets: [{ language: LANG, path: './snippets/callflow-workflow.code-snippets' }],
    commands: COMMANDS.map(([command, title, icon]) => ({
      command,
      title,
      category: 'Callflow',
      ...(icon ? { icon } : {}),
      ...(ONLINE.has(command) ? { enablement: trusted } : {}),
    })),
    menus: {
      commandPalette,
      'editor/title': [
        { command: 'callflow.showPreview', when: isWorkflow, group: 'navigation@1' },
        { command: 'callflow.activate', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: 'navigation@2' },
        { command: 'callflow.showPlan', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: '1_callflow@1' },
        { command: 'callflow.push', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: '1_callflow@2' },
        { command: 'callflow.uploadLeads', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: '1_callflow@3' },
        { command: 'callflow.compareWithHead', when: isWorkflow, group: '1_callflow@4' },
        { command: 'callflow.compareWith', when: isWorkflow, group: '1_callflow@5' },
      ],
      'editor/context': [
        { command: 'callflow.showPreview', when: isWorkflow, group: 'callflow@1' },
        { command: 'callflow.showPlan', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: 'callflow@2' },
        { command: 'callflow.activate', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: 'callflow@3' },
        { command: 'callflow.uploadLeads', when: `${isWorkflow} && ${trusted} && ${desktop}`, group: 'callflow@4' },
      ],
      'explorer/context': [
        { command: 'callflow.showPreview', when: `resourceFilename =~ /\\.workflow\\.yaml$/`, group: 'callflow@1' },
      ],
      'view/title': [
        { command: 'callflow.remote.refresh', when: 'view == callflow.remote', group: 'navigation' },
        { command: 'callflow.selectTarget', when: 'view == callflow.remote' },
        { command: 'callflow.setApiKey', when: 'view == callflow.remote' },
      ],
      'view/item/context': [
        remoteInline('activate', 'draft'),
        remoteInline('pause', 'active|running'),
        remoteInline('resume', 'paused'),
        {
          command: 'callflow.remote.open',
          when: 'view == callflow.remote && viewItem =~ /workflow:/',
          group: '1_open@1',
        },
        {
          command: 'callflow.remote.compare',
          when: 'view == callflow.remote && viewItem =~ /workflow:/',
          group: '1_open@2',
        },
        {
          command: 'callflow.remote.pull',
          when: 'view == callflow.remote && viewItem =~ /workflow:/',
          group: '1_open@3',
        },
        {
          command: 'callflow.remote.cancel',
          when: 'view == callflow.remote && viewItem =~ /workflow:(draft|active|running|paused)/',
          group: '9_final@1',
        },
      ],
    },
    views: {
      explorer: [
        {
          id: 'callflow.remote',
          name: 'Callflow: Remote Workflows',
          icon: 'media/file-icon.svg',
          contextualTitle: 'Callflow',
          when: desktop,
        },
      ],
    },
    viewsWelcome: [
      {
        view: 'callflow.remote',
        contents:
          'Remote workflows of the selected target appear here.\n[Select Target](command:callflow.selectTarget)\n[Set API Key](command:callflow.setApiKey)',
        when: trusted,
      },
      {
        view: 'callflow.remote',
        contents:
          'The remote view is off in a restricted workspace: trust this folder to list and manage remote workflows.',
        when: `!${trusted}`,
      },
    ],
    // Editor manners for workflow files: YAML's 2-space indentation, no word-based suggestions (the
    // language server knows every value that fits; words from other files are noise), completion
    // inside strings (for {{variables}}). Format on save is offered once, never forced
    // (client/format-offer.ts).
    configurationDefaults: {
      [`[${LANG}]`]: {
        'editor.tabSize': 2,
        'editor.insertSpaces': true,
        'editor.wordBasedSuggestions': 'off',
        'editor.quickSuggestions': { other: true, comments: false, strings: true },
        'editor.suggest.showWords': false,
      },
    },
    configuration: {
      title: 'Callflow',
      properties: {
        'callflow.defaultTarget': {
          type: 'string',
          default: '',
          scope: 'resource',
          markdownDescription:
            "Target used when none is selected (a name from `callflow.config.yaml`, or `local`). Empty: the config file's `default_target`, else `local`.",
        },
        // Read by the language server (protocol/index.ts CallflowSettings).
        'callflow.validate.run': {
          type: 'string',
          enum: ['onType', 'onSave'],
          default: 'onType',
          scope: 'resource',
          enumDescriptions: [
            'Validate as you type (coalesced by callflow.validate.debounceMs).',
            'Validate only when the file is saved.',
          ],
          description: 'When workflow files are validated.',
        },
        'callflow.validate.debounceMs': {
          type: 'number',
          default: 150,
          minimum: 0,
          maximum: 10000,
          scope: 'resource',
          description: 'Milliseconds of quiet typing before a file is validated again.',
        },
        'callflow.rules.severity': {
          type: 'object',
          default: {},
          scope: 'resource',
          markdownDescription: 'Severity per rule code, e.g. `{ "WF124": "off", "WF116": "error" }`.',
          patternProperties: { '^WF\\d{3}$': { type: 'string', enum: ['error', 'warning', 'info', 'off'] } },
          additionalProperties: false,
        },
        'callflow.workspaceLimit': {
          type: 'number',
          minimum: 1,
          scope: 'resource',
          markdownDescription:
            "The platform workspace's concurrent-call limit that `settings.max_concurrent_calls` is checked against (WF105) when no target states it.",
        },
        'callflow.online.enabled': {
          type: 'boolean',
          default: true,
          scope: 'window',
          description:
            'Check agents, phone numbers and remote variables against the target (WF2xx) from a background cache. Always off in a restricted workspace.',
        },
        'callflow.online.target': {
          type: 'string',
          default: '',
          scope: 'machine-overridable',
          description: "Target whose data the online checks use (empty: the config file's default target).",
        },
        'callflow.online.refreshMinutes': {
          type: 'number',
          default: 5,
          minimum: 1,
          scope: 'window',
          description: 'How often the online cache is refreshed.',
        },
        'callflow.index.maxFiles': {
          type: 'number',
          default: 5000,
          minimum: 0,
          scope: 'window',
          description: 'Most workflow files the server indexes in the workspace (the Problems panel covers them all).',
        },
        'callflow.preview.followActiveEditor': {
          type: 'boolean',
          default: true,
          scope: 'window',
          description: 'The graph preview shows whichever workflow file is in the active editor.',
        },
        'callflow.codeLens.enabled': {
          type: 'boolean',
          default: true,
          scope: 'window',
          description: 'Show remote status · Activate · Plan · Preview at the top of workflow files.',
        },
        'callflow.server.restartLimit': {
          type: 'number',
          default: 5,
          minimum: 0,
          scope: 'machine',
          description:
            'How many times the language server is restarted after crashes (with growing delays) before giving up.',
        },
        'callflow.trace.server': {
          type: 'string',
          enum: ['off', 'messages', 'verbose'],
          default: 'off',
          scope: 'window',
          description: 'Trace the messages between VS Code and the Callflow language server (Output: Callflow).',
        },
      },
    },
    // Step descriptions render links only (no code spans): plain words here, the details with
    // their formatting in the media pages. Each step is ticked by its real outcome (an onContext
    // key the extension sets in client/walkthrough.ts), not by a command merely being run.
    walkthroughs: [
      {
        id: 'callflow.gettingStarted',
        title: 'Get started with Callflow',
        description: 'Write a workflow, validate it, see the plan, upload leads and activate it on the local emulator.',
        steps: [
          {
            id: 'write',
            title: 'Write a workflow',
            description:
              'A workflow is one .workflow.yaml file. Start from a skeleton, or open one of the examples.\n[New workflow file](command:callflow.walkthrough.newFile)',
            media: { markdown: 'media/walkthrough/write.md' },
            completionEvents: [`onLanguage:${LANG}`],
          },
          {
            id: 'validate',
            title: 'Validate as you type',
            description:
              'Problems appear as you type; the graph preview follows the file.\n[Open the preview](command:callflow.showPreview)',
            media: { markdown: 'media/walkthrough/validate.md' },
            completionEvents: ['onContext:callflow.walkthrough.preview'],
          },
          {
            id: 'plan',
            title: 'See the plan',
            description:
              'Every API call a push would make, against the local emulator (no account needed).\n[Show plan](command:callflow.showPlan)',
            media: { markdown: 'media/walkthrough/plan.md' },
            completionEvents: ['onContext:callflow.walkthrough.plan'],
          },
          {
            id: 'leads',
            title: 'Upload leads',
            description:
              "The people to call, one CSV row each. Their columns are the variables the agent's prompt may use.\n[Upload leads](command:callflow.uploadLeads)",
            media: { markdown: 'media/walkthrough/leads.md' },
            completionEvents: ['onContext:callflow.walkthrough.leads'],
          },
          {
            id: 'activate',
            title: 'Activate',
            description:
              'Confirm, push and activate; the status bar shows the result.\n[Activate](command:callflow.activate)',
            media: { markdown: 'media/walkthrough/activate.md' },
            completionEvents: ['onContext:callflow.walkthrough.activate'],
          },
        ],
      },
    ],
  },
};
fields.contributes.commands.push({
  command: 'callflow.walkthrough.newFile',
  title: 'New Workflow File',
  category: 'Callflow',
});

Object.assign(pkg, fields);
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n');
console.log(`manifest: wrote ${Object.keys(fields).join(', ')} into package.json`);
