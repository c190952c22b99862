// Facts of a few interpreters, for the table-driven condition tests (test-only module).
import type { PythonFacts } from '../../python/types.js';

export const LINUX_311: PythonFacts = {
  executable: '/usr/bin/python3',
  version: '3.11.2',
  versionInfo: [3, 11, 2],
  releaseLevel: 'final',
  serial: 0,
  implementation: 'cpython',
  implementationVersion: '3.11.2',
  sysVersion: '3.11.2 (main, Apr 28 2025, 14:11:48) [GCC 12.2.0]',
  platform: 'linux',
  osName: 'posix',
  system: 'Linux',
  machine: 'x86_64',
  release: '6.1.0-18-amd64',
  platformVersion: '#1 SMP PREEMPT_DYNAMIC Debian 6.1.76-1 (2024-02-01)',
  pythonImplementation: 'CPython',
  byteorder: 'little',
  pointerBits: 64,
};

export const WINDOWS_27_32: PythonFacts = {
  executable: 'C:\\Python27\\python.exe',
  version: '2.7.18',
  versionInfo: [2, 7, 18],
  releaseLevel: 'final',
  serial: 0,
  implementation: 'cpython',
  implementationVersion: '2.7.18',
  sysVersion: '2.7.18 (v2.7.18:8d21aa21f2, Apr 20 2020, 13:19:08) [MSC v.1500 32 bit (Intel)]',
  platform: 'win32',
  osName: 'nt',
  system: 'Windows',
  machine: 'AMD64',
  release: '10',
  platformVersion: '10.0.19041',
  pythonImplementation: 'CPython',
  byteorder: 'little',
  pointerBits: 32,
};

export const MAC_PYPY_310: PythonFacts = {
  executable: '/opt/pypy/bin/pypy3',
  version: '3.10.13',
  versionInfo: [3, 10, 13],
  releaseLevel: 'final',
  serial: 0,
  implementation: 'pypy',
  implementationVersion: '7.3.15',
  sysVersion: '3.10.13 (f1607341da97, Dec 18 2023, 14:11:48)\n[PyPy 7.3.15 with GCC Apple LLVM 15.0.0 (clang-1500.1.0.2.5)]',
  platform: 'darwin',
  osName: 'posix',
  system: 'Darwin',
  machine: 'arm64',
  release: '23.2.0',
  platformVersion: 'Darwin Kernel Version 23.2.0',
  pythonImplementation: 'PyPy',
  byteorder: 'little',
  pointerBits: 64,
};

/** A pre-release on a big-endian machine: exercises pre-release and byte-order rules. */
export const S390_313RC: PythonFacts = {
  executable: '/usr/local/bin/python3.13',
  version: '3.13.0rc1',
  versionInfo: [3, 13, 0],
  releaseLevel: 'candidate',
  serial: 1,
  implementation: 'cpython',
  implementationVersion: '3.13.0rc1',
  sysVersion: '3.13.0rc1 (main, Aug  1 2024, 10:00:00) [GCC 13.2.0]',
  platform: 'linux',
  osName: 'posix',
  system: 'Linux',
  machine: 's390x',
  release: '5.14.0',
  platformVersion: '#1 SMP',
  pythonImplementation: 'CPython',
  byteorder: 'big',
  pointerBits: 64,
};

export const CTX = { loc: { file: '/srv/site/buildout.cfg', line: 12 }, section: 'versions' };
