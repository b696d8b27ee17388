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
      + '(/bin/ and /usr/bin/, /sbin/ and /usr/sbin/) because enforcement sees resolved paths.',
    directories: ['/bin/', '/sbin/', '/usr/bin/', '/usr/sbin/', '/usr/libexec/', '/usr/local/bin/', '/usr/local/sbin/'],
    paths: [],
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1036', 'MITRE_ATTACK:T1554', 'MITRE_ATTACK:T1565'],
    breaks: 'In-container package installs and upgrades (apt, apk, dnf, yum), `pip install` or `npm install -g` of tools with '
      + 'entry points, self-updating binaries, entrypoints that copy or symlink executables at start, `update-alternatives`.',
  },
  {
    name: 'SYSTEM_LIBRARIES',
    description: 'Shared libraries, language runtimes installed system-wide, and the dynamic linker configuration '
      + '(/etc/ld.so.*), in both merged-/usr spellings (/lib/ and /usr/lib/, /lib32/ and /usr/lib32/, /lib64/ and /usr/lib64/).',
    directories: ['/etc/ld.so.conf.d/', '/lib/', '/lib32/', '/lib64/', '/usr/lib/', '/usr/lib32/', '/usr/lib64/', '/usr/local/lib/'],
    paths: ['/etc/ld.so.cache', '/etc/ld.so.conf', '/etc/ld.so.preload'],
    controls: [...FIM_CORE, 'MITRE_ATTACK:T1554', 'MITRE_ATTACK:T1565', 'MITRE_ATTACK:T1574.006'],
    breaks: 'In-container package installs (they write /usr/lib/ and run ldconfig, which rewrites /etc/ld.so.cache), '
      + '`pip install` into system site-packages (/usr/lib/python3*/, /usr/local/lib/python3*/), `npm install -g` '
      + '(/usr/lib/node_modules/, /usr/local/lib/node_modules/), Java `keytool` writes to a JDK cacerts under /usr/lib/jvm/, '
      + 'and runtimes that cache compiled files next to their sources (Python `__pycache__` under /usr/lib/) when run as root.',
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
