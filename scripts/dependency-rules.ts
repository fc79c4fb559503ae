/**
 * The dependency rules of ARCHITECTURE.md as data, and the check that applies them to source
 * files. `check-dependencies.ts` runs it over the repository; CI fails on any violation.
 */
import { builtinModules } from 'node:module';
import { dirname, posix, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Where a file sits in the architecture. */
export type Zone =
  | 'protocol'
  | 'core'
  | 'gateway'
  | 'api'
  | `adapter:${string}`
  | 'jobs'
  | 'ingest'
  | 'composition'
  | 'web'
  | 'simulator'
  | 'tooling';

interface Rule {
  /** Zones of ours this zone may import (its own zone is always allowed). */
  readonly ours: readonly (Zone | 'adapter:*')[];
  /** node: built-ins this zone may not import (production code only; tests may). */
  readonly forbiddenBuiltins: readonly string[] | 'all';
  /** npm packages allowed; undefined means any. Entries ending in `/*` match a scope. */
  readonly packages?: readonly string[];
}

const IO_BUILTINS = [
  'net',
  'tls',
  'dgram',
  'http',
  'https',
  'http2',
  'fs',
  'fs/promises',
  'timers',
  'timers/promises',
  'child_process',
  'worker_threads',
  'cluster',
  'dns',
  'readline',
];

export const RULES: Readonly<Record<string, Rule>> = {
  protocol: { ours: [], forbiddenBuiltins: IO_BUILTINS, packages: [] },
  core: { ours: [], forbiddenBuiltins: 'all', packages: ['@turf/*', 'flatbush', 'cheap-ruler'] },
  gateway: { ours: ['protocol', 'core'], forbiddenBuiltins: [] },
  api: { ours: ['core'], forbiddenBuiltins: [] },
  adapter: { ours: ['core'], forbiddenBuiltins: [] },
  jobs: { ours: ['core'], forbiddenBuiltins: [] },
  ingest: { ours: ['core'], forbiddenBuiltins: [] },
  composition: {
    ours: ['protocol', 'core', 'gateway', 'api', 'adapter:*', 'jobs', 'ingest'],
    forbiddenBuiltins: [],
  },
  web: { ours: [], forbiddenBuiltins: 'all' },
  simulator: { ours: ['protocol'], forbiddenBuiltins: [] },
  tooling: {
    ours: [
      'protocol',
      'core',
      'gateway',
      'api',
      'adapter:*',
      'jobs',
      'ingest',
      'composition',
      'simulator',
    ],
    forbiddenBuiltins: [],
  },
};

/** The zone of a repository-relative path (POSIX separators). */
export function zoneOf(path: string): Zone {
  const parts = path.split('/');
  if (parts[0] !== 'packages') return 'tooling';
  const pkg = parts[1];
  // The web app is what runs in the browser (packages/web/src); its build configuration and
  // scripts run in Node at build time.
  if (pkg === 'web') return parts[2] === 'src' ? 'web' : 'tooling';
  if (pkg === 'protocol' || pkg === 'core' || pkg === 'simulator') return pkg;
  if (pkg !== 'server') return 'tooling';
  const area = parts[3];
  if (area === 'gateway' || area === 'api' || area === 'jobs' || area === 'ingest') return area;
  if (area === 'adapters') return `adapter:${parts[4] ?? ''}`;
  return 'composition';
}

function ruleOf(zone: Zone): Rule {
  const rule = RULES[zone.startsWith('adapter:') ? 'adapter' : zone];
  if (rule === undefined) throw new Error(`no rule for zone ${zone}`);
  return rule;
}

const WORKSPACE_PACKAGES: Readonly<Record<string, Zone>> = {
  '@kinwatch/protocol': 'protocol',
  '@kinwatch/core': 'core',
  '@kinwatch/server': 'composition',
  '@kinwatch/simulator': 'simulator',
  '@kinwatch/web': 'web',
};

const BUILTINS = new Set(builtinModules);

function packageName(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? `${parts[0] ?? ''}/${parts[1] ?? ''}` : (parts[0] ?? '');
}

function isTestCode(path: string): boolean {
  return /\.test\.tsx?$/.test(path) || path.includes('/src/testing/');
}

function allowsPackage(rule: Rule, name: string): boolean {
  if (rule.packages === undefined) return true;
  return rule.packages.some(
    (p) => p === name || (p.endsWith('/*') && name.startsWith(p.slice(0, -1))),
  );
}

function allowsZone(rule: Rule, from: Zone, to: Zone): boolean {
  if (from === to) return true;
  return rule.ours.some((z) => z === to || (z === 'adapter:*' && to.startsWith('adapter:')));
}

export interface SourceFile {
  /** Repository-relative, POSIX separators. */
  readonly path: string;
  readonly text: string;
}

/** Every import in `files` that breaks a rule, as readable messages. */
export function findViolations(files: readonly SourceFile[]): string[] {
  const violations: string[] = [];
  for (const file of files) {
    const zone = zoneOf(file.path);
    const rule = ruleOf(zone);
    const isTest = isTestCode(file.path);
    const imports = ts.preProcessFile(file.text, true, true).importedFiles.map((f) => f.fileName);
    for (const specifier of imports) {
      const problem = checkImport(file.path, zone, rule, isTest, specifier);
      if (problem !== undefined) violations.push(`${file.path}: ${problem}`);
    }
  }
  return violations;
}

function checkImport(
  path: string,
  zone: Zone,
  rule: Rule,
  isTest: boolean,
  specifier: string,
): string | undefined {
  if (specifier.startsWith('.')) {
    const target = posix.normalize(posix.join(posix.dirname(path), specifier));
    const to = zoneOf(target);
    return allowsZone(rule, zone, to) ? undefined : `${zone} may not import ${to} (${specifier})`;
  }
  const bare = specifier.startsWith('node:') ? specifier.slice(5) : specifier;
  if (specifier.startsWith('node:') || BUILTINS.has(bare)) {
    if (isTest) return undefined;
    const forbidden = rule.forbiddenBuiltins;
    const isForbidden = forbidden === 'all' || forbidden.includes(bare);
    return isForbidden ? `${zone} may not import the built-in ${specifier}` : undefined;
  }
  const name = packageName(specifier);
  const ours = WORKSPACE_PACKAGES[name];
  if (ours !== undefined) {
    return allowsZone(rule, zone, ours) ? undefined : `${zone} may not import ${name}`;
  }
  if (isTest) return undefined;
  return allowsPackage(rule, name) ? undefined : `${zone} may not import the package ${name}`;
}

/** Repository-relative POSIX path of an absolute path under `root`. */
export function repoPath(root: string, absolute: string): string {
  return relative(root, absolute).split('\\').join('/');
}

export const REPO_ROOT = resolve(dirname(new URL(import.meta.url).pathname), '..');
