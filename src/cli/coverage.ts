/**
 * `cdk8s-kubearmor coverage --image-contents FILE POLICY_FILES...`: which executables, libraries, modules,
 * loader and configuration files of an image the workload's policies leave unprotected, which protected
 * paths it must write, and which known breakages apply (ImageCoverage).
 */
import * as fs from 'fs';
import { Io } from './lint';
import { FileIntegrityPreset } from '../file-integrity-preset';
import { ImageContents, ImageContentsFormat } from '../image-contents';
import { ImageCoverage } from '../image-coverage';
import { checkSource } from '../private/policy-source';
import { yamlFiles } from '../private/yaml-files';

export const COVERAGE_USAGE = `Usage: cdk8s-kubearmor coverage --image-contents FILE [options] <policy files or directories>...
       cdk8s-kubearmor coverage --image-contents FILE --presets NAME,... [options]

Reports the executables, shared libraries, loader files, interpreter modules and configuration of an image
that the readOnly rules of the KubeArmor policies selecting the workload leave unprotected (grouped under
the smallest set of directories that would cover them), the protected paths the workload must write
(writable volume mounts, runtime writers such as __pycache__ or ld.so.cache) and the known breakages that
apply. FILE is a path list (find / -xdev, tar -tf), a long listing (tar -tvf, ls -lR), or a CycloneDX or
SPDX JSON SBOM (syft); .gz is decompressed.

Options:
  --format text|json|markdown   output format (default text)
  --input-format FORMAT         auto (default), path-list, long-listing, cyclonedx-json, spdx-json
  --workload NAME               the workload running the image (Kind/namespace/name, namespace/name or name)
                                when the files hold several
  --container NAME              only this container's volume mounts count as writable
  --presets NAME,...            check built-in presets (e.g. SYSTEM_BINARIES,SYSTEM_LIBRARIES) instead of policies

Exit status: 0 no critical file unprotected, 1 executables, libraries or loader files unprotected,
2 usage error or malformed input.
`;

const FORMATS = ['text', 'json', 'markdown'];
const INPUT_FORMATS = Object.values(ImageContentsFormat) as string[];

export function runCoverage(args: readonly string[], io: Io): number {
  const fail = (msg: string) => {
    io.err(`cdk8s-kubearmor coverage: ${msg}\n`);
    return 2;
  };
  const opts: Record<string, string | undefined> = {};
  const paths: string[] = [];
  const valued = ['--image-contents', '--format', '--input-format', '--workload', '--container', '--presets'];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const name = a.includes('=') ? a.slice(0, a.indexOf('=')) : a;
    if (valued.includes(name)) {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
      if (v === undefined) return fail(`${name} needs a value\n${COVERAGE_USAGE}`);
      opts[name] = v;
    } else if (a === '--help' || a === '-h') {
      io.out(COVERAGE_USAGE);
      return 0;
    } else if (a.startsWith('-')) {
      return fail(`unknown option '${a}'\n${COVERAGE_USAGE}`);
    } else {
      paths.push(a);
    }
  }
  const format = opts['--format'] ?? 'text';
  if (!FORMATS.includes(format)) return fail(`--format must be text, json or markdown, got '${format}'`);
  const inputFormat = opts['--input-format'] ?? 'auto';
  if (!INPUT_FORMATS.includes(inputFormat)) return fail(`--input-format must be one of ${INPUT_FORMATS.join(', ')}, got '${inputFormat}'`);
  const file = opts['--image-contents'];
  if (file === undefined) return fail(`--image-contents FILE is required\n${COVERAGE_USAGE}`);
  if (paths.length === 0 && opts['--presets'] === undefined) return fail(`give policy files or directories, or --presets\n${COVERAGE_USAGE}`);
  if (paths.length > 0 && opts['--presets'] !== undefined) return fail('give either policy files or --presets, not both');

  let report: ImageCoverage;
  try {
    const contents = ImageContents.fromFile(file, { format: inputFormat as ImageContentsFormat });
    if (opts['--presets'] !== undefined) {
      const presets = opts['--presets'].split(',').map((n) => n.trim()).filter((n) => n.length > 0).map((n) => {
        const p = FileIntegrityPreset.all().find((x) => x.name === n);
        if (!p) throw new Error(`--presets: '${n}' is not a preset; use ${FileIntegrityPreset.all().map((x) => x.name).join(', ')}`);
        return p;
      });
      report = ImageCoverage.ofPresets(contents, presets);
    } else {
      const files = yamlFiles(paths);
      if (files.length === 0) throw new Error(`no .yaml or .yml files under ${paths.join(', ')}`);
      const manifests: any[] = [];
      for (const f of files) {
        const checked = checkSource(fs.readFileSync(f, 'utf8'), f);
        const yamlErrors = checked.documents.flatMap((d) => d.issues).filter((i) => i.id === 'KA-YAML');
        if (yamlErrors.length > 0) throw new Error(yamlErrors.map((i) => `${i.source}:${i.line}: ${i.message}`).join('\n'));
        manifests.push(...checked.documents.map((d) => d.value).filter((v) => v !== null && typeof v === 'object'));
      }
      report = ImageCoverage.ofManifests(contents, manifests, { workload: opts['--workload'], container: opts['--container'] });
    }
  } catch (e) {
    return fail((e as Error).message);
  }
  io.out(format === 'json' ? `${JSON.stringify(report.toJson(), null, 2)}\n` : format === 'markdown' ? report.toMarkdown() : report.toText());
  return report.hasCriticalGaps ? 1 : 0;
}
