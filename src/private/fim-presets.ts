/**
 * The FileIntegrityPreset table: what each preset protects, which controls it implements (keys into
 * compliance-table.ts) and what it breaks when enforced. `test/file-integrity-preset.test.ts` checks
 * the invariants (dirs end in '/', paths do not, merged-/usr twins, no globs, texts present).
 *
 * Sources: PRESETS-AND-COMPLIANCE.md §b (KubeArmor policy-templates, Falco, Tetragon path sets).
 */

export interface PresetRow {
  /** Name of the static constant. */
  readonly name: string;
  readonly description: string;
  readonly directories: readonly string[];
  readonly paths: readonly string[];
  /** `<framework>:<id>` keys into CONTROLS. */
  readonly controls: readonly string[];
  /** What enforcing it (Block) breaks. */
  readonly breaks: string;
  /** Known deviations from the invariants, with the reason (e.g. the upstream mirror). */
  readonly exemptions?: readonly string[];
  /** Specific breakages, each with the image families it applies to (keys of IMAGE_FAMILIES in image-families.ts). */
  readonly knownBreakages?: readonly BreakageRow[];
}

/** One known breakage of enforcing a preset (Block), as data: what, on which images, which protected paths. */
export interface BreakageRow {
  /** Stable id (upper snake case), used by the coverage report. */
  readonly id: string;
  readonly description: string;
  /** Image families (IMAGE_FAMILIES keys) it applies to; empty = every image. */
  readonly imageFamilies: readonly string[];
  /** The protected directories (ending in '/') or files the breaking write goes to. */
  readonly paths: readonly string[];
  /** How to avoid it without dropping the protection. */
  readonly fix: string;
  /** True when the image's own processes write there on every start (a runtime writer), not only during maintenance or debugging. */
  readonly atStart: boolean;
}

/**
 * What a readOnly rule set on system files provides, whatever the paths: event type (AU-2) and records (AU-12),
 * change restriction (CM-5, CM-5(1): Block only), monitoring (SI-4), change detection (SI-7, SI-7(8)), PCI DSS
 * change detection (11.5.2), creation/deletion records (10.2.1.7) and the alerts the response plan uses (12.10.5).
 * Coverage levels and what is not met: compliance-rows.ts.
 */
const FIM_CORE = ['NIST_800_53:AU-2', 'NIST_800_53:AU-12', 'NIST_800_53:CM-5', 'NIST_800_53:CM-5(1)', 'NIST_800_53:SI-4',
  'NIST_800_53:SI-7', 'NIST_800_53:SI-7(8)', 'PCI_DSS:10.2.1.7', 'PCI_DSS:11.5.2', 'PCI_DSS:12.10.5'];

export const PRESETS: readonly PresetRow[] = [
  {
    name: 'SYSTEM_BINARIES',
    description: 'Executables of the operating system and of locally installed software, in both merged-/usr spellings '
      + '(/bin/ and /usr/bin/, /sbin/ and /usr/sbin/) because enforcement sees resolved paths; /etc/alternatives/, whose links '
      + '/usr/bin/java, awk, pager ... resolve through (replacing one takes over the command without touching /usr/bin/); '
      + 'and the entrypoints Docker official images keep at the root (/docker-entrypoint.sh, /entrypoint.sh, /docker-entrypoint.d/).',
    directories: ['/bin/', '/docker-entrypoint.d/', '/etc/alternatives/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/usr/libexec/', '/usr/local/bin/',
      '/usr/local/sbin/'],
    paths: ['/docker-entrypoint.sh', '/entrypoint.sh'],
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1036', 'MITRE_ATTACK:T1554', 'MITRE_ATTACK:T1565'],
    breaks: 'In-container package installs and upgrades (apt, apk, dnf, yum), `pip install` or `npm install -g` of tools with '
      + 'entry points, self-updating binaries, entrypoints that copy or symlink executables at start, `update-alternatives`.',
    knownBreakages: [
      {
        id: 'UPDATE_ALTERNATIVES',
        description: '`update-alternatives --set` at start (e.g. Java images choosing a JDK) rewrites the /etc/alternatives/ links '
          + 'that /usr/bin/java, awk, pager ... point to.',
        imageFamilies: ['debian'],
        paths: ['/etc/alternatives/'],
        fix: 'Choose the alternative in the image build (`RUN update-alternatives --set ...`), not at container start.',
        atStart: false,
      },
      {
        id: 'ENTRYPOINT_LOCAL_BIN',
        description: 'Entrypoints that `chmod`, copy or symlink scripts into /usr/local/bin/ at start '
          + '(docker-library images keep their entrypoint there).',
        imageFamilies: ['docker-library'],
        paths: ['/usr/local/bin/'],
        fix: 'Make the files executable and create the links in the image build (`COPY --chmod=755`, `RUN ln -s`).',
        atStart: false,
      },
      {
        id: 'KUBECTL_DEBUG',
        description: '`kubectl debug` ephemeral containers join the pod and are selected by the same labels: installing tools in them '
          + '(apt-get install, apk add) is blocked and alerts like an attack.',
        imageFamilies: [],
        paths: ['/usr/bin/', '/usr/sbin/', '/usr/local/bin/'],
        fix: 'Use a debug image that already contains the tools, or `kubectl debug --copy-to` a pod the policy does not select.',
        atStart: false,
      },
    ],
  },
  {
    name: 'SYSTEM_LIBRARIES',
    description: 'Shared libraries, language runtimes installed system-wide, and the dynamic linker configuration '
      + '(/etc/ld.so.*), in both merged-/usr spellings (/lib/ and /usr/lib/, /lib32/ and /usr/lib32/, /lib64/ and /usr/lib64/), '
      + 'plus the architecture-independent code in /usr/share/ (perl modules, debconf, jars, executable helper scripts).',
    directories: ['/etc/ld.so.conf.d/', '/lib/', '/lib32/', '/lib64/', '/usr/lib/', '/usr/lib32/', '/usr/lib64/', '/usr/local/lib/', '/usr/share/'],
    paths: ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.preload'],
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1554', 'MITRE_ATTACK:T1565', 'MITRE_ATTACK:T1574.006'],
    breaks: 'In-container package installs (they write /usr/lib/ and run ldconfig, which rewrites /etc/ld.so.cache), '
      + '`pip install` into system site-packages (/usr/lib/python3*/, /usr/local/lib/python3*/), `npm install -g` '
      + '(/usr/lib/node_modules/, /usr/local/lib/node_modules/), Java `keytool` writes to a JDK cacerts under /usr/lib/jvm/, '
      + 'and runtimes that cache compiled files next to their sources (Python `__pycache__` under /usr/lib/) when run as root, '
      + 'content deployed into /usr/share/nginx/html/ at runtime.',
    knownBreakages: [
      {
        id: 'PYTHON_BYTECODE',
        description: 'Python run as root (or as the owner of the files) writes `__pycache__/*.pyc` next to every module it imports '
          + 'for the first time; the python images delete the .pyc files at build time, so every import raises a Block alert '
          + '(not throttled) and runs uncached.',
        imageFamilies: ['python'],
        paths: ['/usr/lib/', '/usr/local/lib/'],
        fix: 'Set `PYTHONDONTWRITEBYTECODE=1` in the container, or run `python -m compileall` in the image build, or run as non-root.',
        atStart: true,
      },
      {
        id: 'LDCONFIG_AT_START',
        description: '`ldconfig` at start rewrites /etc/ld.so.cache (GPU images: the NVIDIA container toolkit runs it after '
          + 'mounting the driver libraries; entrypoints that add libraries).',
        imageFamilies: ['cuda'],
        paths: ['/etc/ld.so.cache'],
        fix: 'Use an Audit policy for /etc/ld.so.cache on GPU workloads, or protect SYSTEM_LIBRARIES without it via a custom preset.',
        atStart: true,
      },
      {
        id: 'RPM_DATABASE',
        description: 'On Fedora 36 and later (and RHEL 10) the rpm database lives in /usr/lib/sysimage/rpm/: any rpm or dnf '
          + 'transaction, including `rpm --rebuilddb`, writes there.',
        imageFamilies: ['fedora'],
        paths: ['/usr/lib/sysimage/rpm/'],
        fix: 'Install packages in the image build; keep package managers out of running containers (blockPackageManagers).',
        atStart: false,
      },
      {
        id: 'NGINX_CONTENT',
        description: 'Content written into /usr/share/nginx/html/ at runtime (sidecars such as git-sync sharing the directory, '
          + 'entrypoints that copy or render the site).',
        imageFamilies: ['nginx'],
        paths: ['/usr/share/nginx/html/'],
        fix: 'Mount the content as a volume (a ConfigMap or an emptyDir shared with the sidecar) and serve it from there.',
        atStart: false,
      },
    ],
  },
  {
    name: 'BOOT',
    description: 'Kernel images, initramfs and boot loader configuration (/boot/). Mostly relevant for host policies; '
      + 'in containers /boot/ is usually empty.',
    directories: ['/boot/'],
    paths: [],
    // T1542 is meaningful on nodes (host policies); its row says NOT_ADDRESSED in containers.
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1542', 'MITRE_ATTACK:T1565'],
    breaks: 'On nodes (host policies): kernel package upgrades, `update-initramfs`, `grub-install` / `update-grub`, '
      + 'firmware updates. Switch the policy to Audit during node maintenance.',
  },
  {
    name: 'SYSTEM_CONFIGURATION',
    description: 'All system configuration under /etc/ (a superset of CREDENTIALS, TRUST_STORES, CRON and the /etc parts '
      + 'of SHELL_CONFIGURATION and SYSTEM_LIBRARIES; combined with them, those items collapse into /etc/).',
    directories: ['/etc/'],
    paths: [],
    controls: [...FIM_CORE, 'NIST_800_53:CM-6', 'CIS_LINUX:4.1.6', 'CIS_LINUX:4.1.8', 'MITRE_ATTACK:T1036', 'MITRE_ATTACK:T1565'],
    breaks: 'Entrypoints that render configuration into /etc/ at start (envsubst or templating of /etc/nginx/, /etc/mysql/ ...), '
      + 'images that add the runtime UID to /etc/passwd (OpenShift-style), `useradd`/`passwd` at runtime, `update-ca-certificates`, '
      + 'timezone or locale changes, package installs. Files the kubelet bind-mounts (/etc/hosts, /etc/resolv.conf, '
      + '/etc/hostname) are written by the kubelet outside the container and are not affected; writes to them from inside are blocked.',
  },
  {
    name: 'CREDENTIALS',
    description: 'Account and authentication files: passwd/shadow/group/gshadow and their `-` backups, sudoers, PAM, '
      + 'login.defs, SSH daemon configuration and host keys (/etc/ssh/), and root\'s SSH directory. '
      + 'Per-user /home/<user>/.ssh/ directories need globs, which KubeArmor cannot enforce consistently; add them with addDirectory().',
    directories: ['/etc/pam.d/', '/etc/security/', '/etc/ssh/', '/etc/sudoers.d/', '/root/.ssh/'],
    paths: ['/etc/group', '/etc/group-', '/etc/gshadow', '/etc/gshadow-', '/etc/login.defs', '/etc/pam.conf', '/etc/passwd',
      '/etc/passwd-', '/etc/shadow', '/etc/shadow-', '/etc/sudoers'],
    controls: [...FIM_CORE, 'NIST_800_53:IA-5', 'PCI_DSS:10.2.1.5',
      'CIS_LINUX:4.1.6', 'CIS_LINUX:4.1.16', 'CIS_LINUX:6.1', 'MITRE_ATTACK:T1098', 'MITRE_ATTACK:T1098.004', 'MITRE_ATTACK:T1548.003',
      'MITRE_ATTACK:T1556.003'],
    breaks: '`useradd`, `adduser`, `usermod`, `passwd`, `chpasswd` at runtime; entrypoints that append the runtime UID to '
      + '/etc/passwd (OpenShift arbitrary UIDs, nss_wrapper setups that edit /etc/passwd in place); SSH server containers that '
      + 'generate host keys on first start (`ssh-keygen -A`); `ssh-copy-id` into /root/.ssh/.',
  },
  {
    name: 'TRUST_STORES',
    description: 'Certificate authority bundles and their sources: /etc/ssl/, /etc/pki/, /etc/ca-certificates/, '
      + '/usr/share/ca-certificates/, /usr/local/share/ca-certificates/ and /etc/ca-certificates.conf.',
    directories: ['/etc/ca-certificates/', '/etc/pki/', '/etc/ssl/', '/usr/local/share/ca-certificates/', '/usr/share/ca-certificates/'],
    paths: ['/etc/ca-certificates.conf'],
    controls: [...FIM_CORE, 'NIST_800_53:SC-17', 'MITRE_ATTACK:T1553'],
    breaks: 'Entrypoints that install a corporate CA at start (`update-ca-certificates`, `update-ca-trust`), '
      + 'Java `keytool -importcert` into /etc/ssl/certs/java/cacerts, tools that write private keys or certificates under /etc/ssl/ at runtime '
      + '(e.g. self-signed certificate generation on first start).',
  },
  {
    name: 'CRON',
    description: 'Scheduled jobs: /etc/crontab, /etc/cron.{d,daily,hourly,weekly,monthly}/, Alpine\'s /etc/crontabs/, '
      + 'users\' crontabs in /var/spool/cron/, anacrontab and cron.allow/deny.',
    directories: ['/etc/cron.d/', '/etc/cron.daily/', '/etc/cron.hourly/', '/etc/cron.monthly/', '/etc/cron.weekly/',
      '/etc/crontabs/', '/var/spool/cron/'],
    paths: ['/etc/anacrontab', '/etc/cron.allow', '/etc/cron.deny', '/etc/crontab'],
    controls: [...FIM_CORE, 'CIS_LINUX:5.1', 'MITRE_ATTACK:T1053.003'],
    breaks: '`crontab -e` / `crontab <file>` inside the container, entrypoints that copy a crontab (e.g. from a ConfigMap) '
      + 'into /etc/cron.d/ or /etc/crontabs/ at start. Mount crontabs from a ConfigMap instead.',
  },
  {
    name: 'SHELL_CONFIGURATION',
    description: 'Files every login or interactive shell sources: /etc/profile, /etc/profile.d/, /etc/bash.bashrc, '
      + '/etc/bashrc, /etc/environment, csh and zsh system files, /etc/shells, and root\'s dot files. '
      + 'History files are deliberately left out: shells append to them, so read-only would break interactive shells. '
      + 'Per-user /home/<user>/ dot files need globs; add them with addPath().',
    directories: ['/etc/profile.d/', '/etc/zsh/'],
    paths: ['/etc/bash.bashrc', '/etc/bashrc', '/etc/csh.cshrc', '/etc/csh.login', '/etc/environment', '/etc/profile', '/etc/shells',
      '/etc/zshenv', '/etc/zshrc', '/root/.bash_login', '/root/.bash_logout', '/root/.bash_profile', '/root/.bashrc', '/root/.cshrc',
      '/root/.profile', '/root/.zshrc'],
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1546.004'],
    breaks: 'Runtime installers that append to shell start-up files (conda init, nvm, sdkman, rustup), entrypoints that export '
      + 'variables by writing /etc/profile.d/ or /etc/environment at start.',
  },
  {
    name: 'ADD_ON_SOFTWARE',
    description: 'Software installed outside the package manager\'s directories: /opt/ (eclipse-temurin\'s /opt/java/openjdk/, '
      + 'bitnami images\' /opt/bitnami/) and all of /usr/local/ (tomcat\'s /usr/local/tomcat/, openjdk\'s /usr/local/openjdk-*/, '
      + 'PHP\'s /usr/local/etc/php/). Opt-in: these trees often hold the application\'s own writable state.',
    directories: ['/opt/', '/usr/local/'],
    paths: [],
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1036', 'MITRE_ATTACK:T1554', 'MITRE_ATTACK:T1565'],
    breaks: 'Applications that write inside their install tree: bitnami images (/opt/bitnami/<app>/tmp/, conf/, logs/), tomcat '
      + '(/usr/local/tomcat/logs/, temp/, work/), JDK cacerts updates under /opt/java/openjdk/lib/security/, '
      + 'plugin installs at runtime. Mount emptyDirs over the writable subdirectories.',
    knownBreakages: [
      {
        id: 'BITNAMI_STATE',
        description: 'Bitnami images keep runtime state under /opt/bitnami/<app>/ (tmp/, conf/, logs/, the volume directory); '
          + 'their scripts write it at every start.',
        imageFamilies: ['bitnami'],
        paths: ['/opt/bitnami/'],
        fix: 'Mount emptyDirs over /opt/bitnami/<app>/tmp/, conf/ and logs/ (as the bitnami read-only-root-filesystem docs do).',
        atStart: true,
      },
      {
        id: 'TOMCAT_STATE',
        description: 'Tomcat writes /usr/local/tomcat/logs/, temp/ and work/ (compiled JSPs), and expands WARs in webapps/.',
        imageFamilies: ['tomcat'],
        paths: ['/usr/local/tomcat/'],
        fix: 'Mount emptyDirs over /usr/local/tomcat/logs/, temp/ and work/; deploy exploded WARs in the image.',
        atStart: true,
      },
    ],
  },
  {
    name: 'USER_LOCAL_SOFTWARE',
    description: 'root\'s user-local software: /root/.local/bin/ and /root/.local/lib/ (Python\'s user site-packages, searched '
      + 'before the system site-packages; a `usercustomize.py` there runs at every interpreter start). Opt-in: other users\' '
      + '/home/<user>/.local/ need globs; add them with addDirectory().',
    directories: ['/root/.local/bin/', '/root/.local/lib/'],
    paths: [],
    controls: ['NIST_800_53:CM-5', 'NIST_800_53:SI-7', 'PCI_DSS:11.5.2', 'MITRE_ATTACK:T1554'],
    breaks: '`pip install --user`, `pipx install` and other per-user installers run as root inside the container.',
  },
  {
    name: 'KUBEARMOR_FIM_TEMPLATE',
    description: 'Exactly the upstream KubeArmor file-integrity template (policy-templates generic/system/'
      + 'ksp-file-integrity-monitoring.yaml, the AccuKnox FIM use case): /sbin/ /usr/bin/ /usr/lib/ /usr/sbin/ /bin/ /boot/, '
      + 'tagged NIST AU-2, SI-4, MITRE T1036, T1565. Use it to reproduce that policy; prefer the other presets for new policies '
      + '(it omits /lib/, /lib64/, /usr/local/ and the linker configuration).',
    directories: ['/bin/', '/boot/', '/sbin/', '/usr/bin/', '/usr/lib/', '/usr/sbin/'],
    paths: [],
    controls: ['NIST_800_53:AU-2', 'NIST_800_53:SI-4', 'MITRE_ATTACK:T1036', 'MITRE_ATTACK:T1565'],
    breaks: 'In-container package installs and upgrades, `pip install` into system site-packages, `npm install -g`, '
      + 'self-updating binaries; on nodes, kernel and boot loader updates.',
    exemptions: ['/usr/lib/ without /lib/: mirrors upstream exactly; on merged-/usr images /lib resolves to /usr/lib/ and is covered, '
      + 'on split-/usr images /lib/ is not protected'],
  },
];
