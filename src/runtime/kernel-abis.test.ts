import { test } from 'node:test';
import assert from 'node:assert/strict';
import { missingSubArchitectures } from './kernel-abis.js';

test('x32 is dropped only where the kernel configuration leaves it out', () => {
  assert.deepEqual([...missingSubArchitectures('CONFIG_IA32_EMULATION=y\n# CONFIG_X86_X32_ABI is not set\n')], ['SCMP_ARCH_X32']);
  assert.deepEqual([...missingSubArchitectures('CONFIG_IA32_EMULATION=y\nCONFIG_X86_X32_ABI=y\n')], []);
  assert.deepEqual([...missingSubArchitectures(undefined)], []);
  assert.deepEqual([...missingSubArchitectures('')], []);
});
