#!/usr/bin/env node
// What the request check at the API's door costs a create: decodes the docker CLI's full
// `docker run` body (test/fixtures/docker-run-create-body.json) N times against the Engine API
// schema, beside JSON.parse of the same text. Needs the build (dist/). Usage:
//   node bench/validation-cost.mjs [N=20000]
import { readFileSync } from 'node:fs';
import { decodeValue } from '../dist/src/api/validation/check-value.js';
import { containerCreateBody } from '../dist/src/api/validation/engine-types.js';

const n = Number(process.argv[2] ?? 20000);
const text = readFileSync(new URL('../test/fixtures/docker-run-create-body.json', import.meta.url), 'utf8');
const parsed = JSON.parse(text);
const per = (fn) => {
  for (let i = 0; i < n / 10; i++) fn(); // warm up
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn();
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
};
console.log(`json_parse ${per(() => JSON.parse(text)).toFixed(1)} us`);
console.log(`schema_check ${per(() => decodeValue(containerCreateBody, parsed)).toFixed(1)} us`);
