#!/usr/bin/env node
// Builds the image-layout fixtures of test/fixtures/images/ (long listings in `tar -tvf` format, gzipped)
// from Debian packages' own file lists, so no path in them is invented:
//
//   apt-get update && node scripts/image-fixtures.js [DEB_DIR]     (DEB_DIR default .tmp/debs)
//
// For each package it runs `apt-get download <pkg>` (if the .deb is not in DEB_DIR yet) and `dpkg -c`, whose
// output is the `tar -tvf` listing of the package's data. Images are then composed as their Dockerfiles
// document them (cited below): base packages, relocations (e.g. Debian's CPython moved to /usr/local as the
// python image builds it), entries created by maintainer scripts (`update-alternatives --install` lines read
// from the packages' own postinst, ld.so.cache from the libc-bin trigger) and a few entries named by the
// images' Dockerfiles. Only the Debian 12 (bookworm) archive is served on the machine that built them:
// debian:stretch (the base of mysql:5.6) is not, so the split-/usr fixture uses bookworm packages as they
// are packaged (before usrmerge moves /bin, /sbin, /lib into /usr), which is the stretch layout with
// newer file names (libc.so.6 from glibc 2.36 instead of libc-2.24.so).
// Every fixture is trimmed like Docker's "slim" images (no /usr/share/{doc,man,info,locale,lintian}).
'use strict';
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const root = path.join(__dirname, '..');
const debDir = path.resolve(process.argv[2] ?? path.join(root, '.tmp', 'debs'));
const outDir = path.join(root, 'test', 'fixtures', 'images');
const STAMP = 'root/root 0 2026-12-01 00:00';

// The Essential/required packages of a debian:12 image (a subset: enough for every directory kind).
const BASE = ['base-files', 'bash', 'coreutils', 'dash', 'libc6', 'libc-bin', 'mawk', 'sed', 'grep', 'perl-base', 'util-linux',
  'login', 'passwd', 'tar', 'gzip', 'findutils', 'debianutils', 'diffutils', 'hostname', 'ncurses-bin', 'ncurses-base',
  'libselinux1', 'libpcre2-8-0', 'libacl1', 'libattr1', 'libgmp10', 'libtinfo6', 'libcap2', 'libzstd1', 'liblzma5',
  'libbz2-1.0', 'zlib1g', 'dpkg', 'apt', 'libstdc++6', 'libgcc-s1', 'sysvinit-utils', 'bsdutils', 'init-system-helpers',
  'debconf', 'adduser', 'gpgv', 'ca-certificates', 'libssl3'];
const TRIM = /^\.\/usr\/share\/(doc|man|info|locale|lintian)\//;

function deb(pkg) {
  fs.mkdirSync(debDir, { recursive: true });
  let file = fs.readdirSync(debDir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  if (!file) {
    execFileSync('apt-get', ['download', pkg], { cwd: debDir, stdio: 'inherit' });
    file = fs.readdirSync(debDir).find((f) => f.startsWith(`${pkg}_`) && f.endsWith('.deb'));
  }
  return path.join(debDir, file);
}

/** `dpkg -c` entries of a package: { line, path } with the path as `./x/y` (directories end in '/'). */
function listing(pkg) {
  const out = execFileSync('dpkg', ['-c', deb(pkg)], { encoding: 'utf8', maxBuffer: 64 << 20 });
  return out.split('\n').filter((l) => l.length > 0).map(parseLine);
}

function parseLine(line) {
  const m = /^(\S+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
  if (!m) throw new Error(`unexpected dpkg -c line: ${line}`);
  const sep = m[1].startsWith('h') ? ' link to ' : ' -> ';
  const [name, target] = m[6].split(sep);
  return { mode: m[1], size: m[3], path: name, target };
}

/** `update-alternatives --install <link> <name> <path>` lines of the package's postinst. */
function alternatives(pkg) {
  const tmp = fs.mkdtempSync(path.join(require('os').tmpdir(), 'ctl-'));
  try {
    execFileSync('dpkg-deb', ['-e', deb(pkg), tmp]);
    const postinst = path.join(tmp, 'postinst');
    if (!fs.existsSync(postinst)) return [];
    const text = fs.readFileSync(postinst, 'utf8').replace(/\\\n/g, ' ');
    return [...text.matchAll(/update-alternatives\s+--install\s+(\S+)\s+(\S+)\s+(\S+)/g)].map((m) => ({ link: m[1], name: m[2], path: m[3] }));
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

const dir = (p) => ({ mode: 'drwxr-xr-x', size: '0', path: p });
const file = (p, mode = '-rw-r--r--') => ({ mode, size: '0', path: p });
const link = (p, target) => ({ mode: 'lrwxrwxrwx', size: '0', path: p, target });

function alternativeEntries(pkgs) {
  const out = [dir('./etc/alternatives/')];
  for (const pkg of pkgs) {
    for (const a of alternatives(pkg)) {
      out.push(link(`./etc/alternatives/${a.name}`, a.path));
      out.push(link(`.${a.link}`, `/etc/alternatives/${a.name}`));
    }
  }
  return out;
}

const MERGED = [['./bin/', './usr/bin/'], ['./sbin/', './usr/sbin/'], ['./lib/', './usr/lib/'], ['./lib64/', './usr/lib64/']];

/** Composes an image: entries de-duplicated by path (last wins), trimmed, optionally merged-/usr. */
function image(name, parts, { merged }) {
  const byPath = new Map();
  for (let e of parts.flat()) {
    if (TRIM.test(e.path)) continue;
    let p = e.path;
    if (merged) {
      const merge = (x) => MERGED.reduce((acc, [from, to]) => (acc.startsWith(from) ? to + acc.slice(from.length) : acc), x);
      p = merge(p);
      if (e.mode.startsWith('h')) e = { ...e, target: merge(e.target) };
      if (['./bin/', './sbin/', './lib/', './lib64/'].includes(p)) continue;
    }
    byPath.set(p, { ...e, path: p });
  }
  if (merged) {
    for (const [from, to] of MERGED) byPath.set(from.slice(0, -1), link(from.slice(0, -1), to.slice(2, -1)));
  }
  const lines = [...byPath.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
    .map((e) => `${e.mode} ${STAMP.replace(' 0 ', ` ${e.size.padStart(8)} `)} ${e.path}${e.target ? `${e.mode.startsWith('h') ? ' link to ' : ' -> '}${e.target}` : ''}`);
  fs.mkdirSync(outDir, { recursive: true });
  const text = `${lines.join('\n')}\n`;
  fs.writeFileSync(path.join(outDir, `${name}.tvf.gz`), zlib.gzipSync(Buffer.from(text), { level: 9 }));
  console.log(`wrote test/fixtures/images/${name}.tvf.gz (${lines.length} entries)`);
}

function relocate(entries, from, to, keep = () => true) {
  return entries.filter((e) => keep(e.path)).map((e) => (e.path.startsWith(from) ? { ...e, path: to + e.path.slice(from.length) } : e))
    .filter((e) => e.path.startsWith(to));
}

const base = BASE.flatMap(listing);
// ldconfig (libc-bin trigger) writes the cache at install time; dpkg -c does not list it.
const created = [file('./etc/ld.so.cache'), ...alternativeEntries(['mawk', 'util-linux'])];

image('debian-12', [base, created], { merged: true });

// mysql:5.6 (docker-library/mysql 5.6/Dockerfile): debian:stretch-slim, mysql-community-server 5.6 from
// repo.mysql.com, `COPY docker-entrypoint.sh /usr/local/bin/`, `RUN ln -s usr/local/bin/docker-entrypoint.sh /entrypoint.sh`,
// /docker-entrypoint-initdb.d, /var/lib/mysql and /var/run/mysqld owned by mysql; config in /etc/mysql/.
// The mysql entries are the package's documented install locations (MySQL 5.6 manual 2.5.7, "Installing MySQL on
// Linux Using Debian Packages from Oracle": /usr/sbin/mysqld, /usr/bin clients and scripts, /usr/lib/mysql/plugin).
const mysql = [dir('./docker-entrypoint-initdb.d/'), link('./entrypoint.sh', 'usr/local/bin/docker-entrypoint.sh'),
  file('./usr/local/bin/docker-entrypoint.sh', '-rwxr-xr-x'), dir('./etc/mysql/'), dir('./etc/mysql/conf.d/'),
  file('./etc/mysql/my.cnf'), file('./etc/mysql/conf.d/docker.cnf'), file('./usr/sbin/mysqld', '-rwxr-xr-x'),
  ...['mysql', 'mysqladmin', 'mysqldump', 'mysqld_safe', 'mysql_install_db', 'my_print_defaults', 'mysql_upgrade']
    .map((b) => file(`./usr/bin/${b}`, '-rwxr-xr-x')),
  dir('./usr/lib/mysql/'), dir('./usr/lib/mysql/plugin/'), file('./usr/lib/mysql/plugin/auth_socket.so'),
  file('./usr/lib/mysql/plugin/validate_password.so'), dir('./usr/share/mysql/'), file('./usr/share/mysql/fill_help_tables.sql'),
  dir('./var/lib/mysql/'), dir('./var/run/mysqld/')];
image('mysql-5.6', [base, created, listing('perl'), listing('perl-modules-5.36'), listing('libperl5.36'), mysql], { merged: false });

// python:3.12 (docker-library/python 3.12/bookworm/Dockerfile): CPython built from source into /usr/local
// (`./configure --enable-shared`, `find /usr/local -name '*.pyc' -delete`), symlinks python3 -> python3.12,
// python -> python3. Stands in: Debian's CPython 3.11 stdlib file list, relocated to /usr/local/lib/python3.12/.
const py = ['libpython3.11-minimal', 'libpython3.11-stdlib', 'python3.11-minimal', 'libpython3.11'].flatMap(listing);
const python = [
  ...relocate(py, './usr/lib/python3.11/', './usr/local/lib/python3.12/', (p) => !p.includes('/dist-packages/')),
  dir('./usr/local/lib/python3.12/site-packages/'),
  file('./usr/local/bin/python3.12', '-rwxr-xr-x'), link('./usr/local/bin/python3', 'python3.12'), link('./usr/local/bin/python', 'python3'),
  file('./usr/local/bin/pip3', '-rwxr-xr-x'), file('./usr/local/lib/libpython3.12.so.1.0'), link('./usr/local/lib/libpython3.12.so', 'libpython3.12.so.1.0'),
];
image('python-3.12', [base, created, python], { merged: true });

// eclipse-temurin:17-jre (adoptium/containers 17/jre/ubuntu/jammy/Dockerfile): JAVA_HOME=/opt/java/openjdk, the
// JRE tarball unpacked there, PATH=$JAVA_HOME/bin:$PATH, no update-alternatives. Ubuntu is not served here: the
// Debian 12 base stands in, and Debian's openjdk-17-jre-headless file list is relocated from /usr/lib/jvm/.
const jdk = relocate(listing('openjdk-17-jre-headless'), './usr/lib/jvm/java-17-openjdk-amd64/', './opt/java/openjdk/');
image('eclipse-temurin-17', [base, created, [dir('./opt/'), dir('./opt/java/')], jdk], { merged: true });

// nginx (nginxinc/docker-nginx mainline/debian/Dockerfile): nginx from nginx.org packages (binary /usr/sbin/nginx,
// modules /usr/lib/nginx/modules/, config /etc/nginx/, content /usr/share/nginx/html/), `COPY docker-entrypoint.sh /`,
// scripts in /docker-entrypoint.d/. Debian's nginx packages give the same locations.
const nginx = [file('./docker-entrypoint.sh', '-rwxr-xr-x'), dir('./docker-entrypoint.d/'),
  ...['10-listen-on-ipv6-by-default.sh', '20-envsubst-on-templates.sh', '30-tune-worker-processes.sh']
    .map((s) => file(`./docker-entrypoint.d/${s}`, '-rwxr-xr-x')),
  dir('./usr/lib/nginx/'), dir('./usr/lib/nginx/modules/'), dir('./usr/share/nginx/'), dir('./usr/share/nginx/html/'),
  file('./usr/share/nginx/html/index.html'), dir('./var/cache/nginx/')];
image('nginx', [base, created, listing('nginx'), listing('nginx-common'), nginx], { merged: true });

// wordpress:apache (docker-library/wordpress latest/php8.2/apache/Dockerfile on php:8.2-apache, docker-library/php
// 8.2/bookworm/apache/Dockerfile): apache2 from Debian, PHP built into /usr/local (bin/php, lib/php/extensions/,
// etc/php/conf.d/, docker-php-* helpers), WordPress unpacked to /usr/src/wordpress and copied to /var/www/html
// by docker-entrypoint.sh at start. Debian's wordpress package file list is relocated from /usr/share/wordpress/.
const php = [file('./usr/local/bin/php', '-rwxr-xr-x'), file('./usr/local/bin/docker-php-entrypoint', '-rwxr-xr-x'),
  file('./usr/local/bin/docker-php-ext-enable', '-rwxr-xr-x'), file('./usr/local/bin/docker-php-ext-install', '-rwxr-xr-x'),
  file('./usr/local/bin/apache2-foreground', '-rwxr-xr-x'), file('./usr/local/bin/docker-entrypoint.sh', '-rwxr-xr-x'),
  dir('./usr/local/etc/php/'), dir('./usr/local/etc/php/conf.d/'), file('./usr/local/etc/php/conf.d/docker-php-ext-opcache.ini'),
  dir('./usr/local/lib/php/'), dir('./usr/local/lib/php/extensions/'), dir('./usr/local/lib/php/extensions/no-debug-non-zts-20220829/'),
  file('./usr/local/lib/php/extensions/no-debug-non-zts-20220829/opcache.so'), file('./usr/local/lib/php/extensions/no-debug-non-zts-20220829/mysqli.so'),
  file('./usr/lib/apache2/modules/libphp.so'), dir('./var/www/'), dir('./var/www/html/')];
const wordpress = relocate(listing('wordpress'), './usr/share/wordpress/', './usr/src/wordpress/');
image('wordpress-apache', [base, created, ['apache2', 'apache2-bin', 'apache2-data'].flatMap(listing), php, wordpress], { merged: true });
