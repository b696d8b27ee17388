/**
 * Image families, recognised from the files an image contains. The known breakages of the presets
 * (fim-presets.ts `knownBreakages[].imageFamilies`) name these keys; the coverage report lists a breakage
 * when its family is found. A marker is a file (exact path) or a directory (ending in '/': the directory
 * or anything under it).
 */
export interface ImageFamilyRow {
  readonly key: string;
  readonly description: string;
  readonly markers: readonly string[];
}

export const IMAGE_FAMILIES: readonly ImageFamilyRow[] = [
  { key: 'debian', description: 'Debian, Ubuntu and derivatives (dpkg)', markers: ['/etc/debian_version', '/var/lib/dpkg/', '/usr/bin/dpkg', '/bin/dpkg'] },
  { key: 'alpine', description: 'Alpine Linux (apk)', markers: ['/etc/alpine-release', '/sbin/apk'] },
  { key: 'fedora', description: 'Fedora 36+, RHEL 10 and derivatives: rpm database in /usr/lib/sysimage/rpm/', markers: ['/usr/lib/sysimage/rpm/'] },
  { key: 'python', description: 'a CPython interpreter', markers: ['/usr/local/bin/python3', '/usr/bin/python3'] },
  { key: 'cuda', description: 'NVIDIA CUDA images (GPU workloads)', markers: ['/usr/local/cuda', '/usr/local/cuda/', '/usr/local/nvidia/'] },
  { key: 'java', description: 'a Java runtime', markers: ['/opt/java/openjdk/', '/usr/lib/jvm/'] },
  { key: 'bitnami', description: 'Bitnami images', markers: ['/opt/bitnami/'] },
  { key: 'tomcat', description: 'Apache Tomcat images', markers: ['/usr/local/tomcat/'] },
  { key: 'nginx', description: 'nginx', markers: ['/usr/sbin/nginx'] },
  { key: 'apache', description: 'Apache httpd', markers: ['/usr/sbin/apache2', '/usr/sbin/httpd', '/usr/local/apache2/'] },
  { key: 'php', description: 'a PHP interpreter', markers: ['/usr/local/bin/php', '/usr/bin/php'] },
  {
    key: 'docker-library',
    description: 'Docker official images (docker-library): entrypoint script in /usr/local/bin/ or /',
    markers: ['/usr/local/bin/docker-entrypoint.sh', '/docker-entrypoint.sh'],
  },
];

/** Every marker of every family. */
export function familyMarkers(): string[] {
  return IMAGE_FAMILIES.flatMap((f) => f.markers);
}

/** The family keys whose markers occur among `paths` (given as a set with every ancestor directory ending in '/'). */
export function detectFamilies(pathsAndDirs: ReadonlySet<string>): string[] {
  return IMAGE_FAMILIES.filter((f) => f.markers.some((m) => pathsAndDirs.has(m))).map((f) => f.key);
}
