import {
  DELIVERY_ALERT_AFTER_SECONDS,
  deliveryWatchdogLua,
  S3_UPLOAD_ATTEMPTS_MIN,
  SHIPPER_LUA_CALLS,
} from '../../../core/audit-defaults';
import { isLoopbackAddress } from '../../../core/formats';
import { block, isExpression, isObject } from '../../../model/json';
import {
  configOf,
  fluentBitBytes,
  isOn,
  kubernetesBytes,
  pipelinePlugins,
  pluginLabel,
  pluginName,
  receives,
} from '../../../model/audit';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { type Evaluation, type Rule } from '../../rule';
import { Verdict } from '../../verdict';
import { mountOfPath, workloadShippers } from './shipper';

const UNLIMITED = ['no_limits', 'false', 'off'];

/** A retry limit that never gives a record up: unlimited (engine outputs) or at least the floor. */
function neverGivesUp(value: unknown, engineUnlimitedOk: boolean): boolean {
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value).toLowerCase();
  if (UNLIMITED.includes(text)) return engineUnlimitedOk;
  return /^\d+$/.test(text) && Number(text) >= S3_UPLOAD_ATTEMPTS_MIN;
}

const positiveInteger = (value: unknown): boolean => typeof value === 'string' && /^[1-9]\d*$/.test(value);

/** MCP-AUD-6: a shipper buffers on a bounded volume, never gives a record up, checks its health and raises a delivery alert. */
export const MCP_AUD_6: Rule = {
  id: 'MCP-AUD-6',
  level: 'error',
  layer: 'audit',
  cause:
    'an audit shipper could lose records or fail quietly: no bounded filesystem buffer, a retry limit, no health check or no delivery alert',
  explanation: `When the bucket cannot be reached, records must wait on disk and nobody may lose them quietly. Fluent Bit's s3 output treats retry_limit no_limits as 5 attempts (it replaces a negative limit with MAX_UPLOAD_ERRORS: plugins/out_s3/s3.c, fluent/fluent-bit issue 8595 and PR 10825), so the s3 output needs an explicit number of at least ${S3_UPLOAD_ATTEMPTS_MIN} for retry_limit and for its file and part delivery attempt limits. Its buffer (store_dir with store_dir_limit_size, plus storage.total_limit_size) must sit on the shipper's emptyDir volume, and the limits added up must stay below the volume's sizeLimit: a disk-backed emptyDir over its limit gets the pod evicted, buffer and all. The tail input buffers in the filesystem (storage.path) and keeps its offsets in a database. Fluent Bit's health check runs on a loopback HTTP server. The delivery watchdog (the library's Lua filter on Fluent Bit's own logs and a clock tick) raises an alert when uploads have failed for ${DELIVERY_ALERT_AFTER_SECONDS} s, to the alert webhook and to stdout.`,
  requires: [
    "service: storage.path on the shipper's emptyDir volume; http_server on, http_listen 127.0.0.1; health_check on with hc_errors_count, hc_retry_failure_count and hc_period",
    'the tail input: storage.type filesystem, a db, read_from_head, skip_long_lines on',
    `the s3 output: retry_limit, file_delivery_attempt_limit and part_delivery_attempt_limit of at least ${S3_UPLOAD_ATTEMPTS_MIN}; use_put_object and send_content_md5 on; store_dir on the same volume with store_dir_limit_size; storage.total_limit_size`,
    "every other output: retry_limit no_limits (or at least the floor); the sum of every output's limits below the volume's sizeLimit",
    `a fluentbit_logs input and the Lua filter ${SHIPPER_LUA_CALLS.watchdog}, exactly as the library writes it, with an output that receives its alerts`,
  ],
  fix: 'keep the shipper configuration TenantAuditTrail writes (set audit.alertWebhookUrl so that delivery alerts also reach the webhook); do not override its buffer, retry or health settings',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    const results: Evaluation[] = [];
    for (const s of workloadShippers(stack)) {
      if (!s.config || !s.container || s.problem || s.tenant === undefined) continue; // MCP-AUD-5 reports it
      const config = configOf(s.config)!;
      const v = new Verdict(s.config.entry.address);
      const pod = s.workload.pod;
      const container = s.container.body;
      const service = isObject(config.service) ? config.service : {};

      // The volume every buffer lives on.
      const storagePath = service['storage.path'];
      const storageMount = typeof storagePath === 'string' ? mountOfPath(pod, container, storagePath) : undefined;
      const emptyDir = storageMount?.body ? block(storageMount.body.empty_dir) : undefined;
      const sizeLimit = kubernetesBytes(emptyDir?.size_limit);
      if (storageMount === undefined || emptyDir === undefined || storageMount.body?.empty_dir === undefined) {
        v.fail(
          `service storage.path ${JSON.stringify(storagePath ?? null)} is not on an emptyDir volume of the shipper`,
        );
      } else if (isExpression(emptyDir.size_limit)) {
        v.unknown(`the sizeLimit of the buffer volume ${storageMount.volume}`);
      } else if (sizeLimit === undefined) {
        v.fail(`the buffer volume ${storageMount.volume} has no sizeLimit`);
      }

      // Health check on loopback.
      v.expect(isOn(service.http_server), 'service http_server is not on (the health check needs it)');
      v.expect(
        typeof service.http_listen === 'string' && isLoopbackAddress(service.http_listen),
        `service http_listen is ${JSON.stringify(service.http_listen ?? null)}, not loopback (the API is unauthenticated)`,
      );
      v.expect(isOn(service.health_check), 'service health_check is not on');
      for (const key of ['hc_errors_count', 'hc_retry_failure_count', 'hc_period']) {
        v.expect(positiveInteger(service[key]), `service ${key} is ${JSON.stringify(service[key] ?? null)}`);
      }

      // The tail input buffers on disk.
      const tails = pipelinePlugins(config, 'inputs').filter((i) => pluginName(i) === 'tail');
      for (const tail of tails) {
        const label = pluginLabel('input', tail);
        v.expect(
          tail['storage.type'] === 'filesystem',
          `${label} storage.type is ${JSON.stringify(tail['storage.type'] ?? null)}, not filesystem`,
        );
        v.expect(typeof tail.db === 'string' && tail.db !== '', `${label} keeps no offsets database (db)`);
        v.expect(isOn(tail.read_from_head), `${label} does not read_from_head`);
        v.expect(
          isOn(tail.skip_long_lines),
          `${label} does not skip_long_lines (a long line would stop it following the file)`,
        );
      }

      // Outputs never give up, and their buffers fit the volume.
      let buffered = 0;
      for (const output of pipelinePlugins(config, 'outputs')) {
        const label = pluginLabel('output', output);
        const name = pluginName(output);
        if (name === 'stdout') continue;
        const total = fluentBitBytes(output['storage.total_limit_size']);
        if (name === 's3') {
          for (const key of ['retry_limit', 'file_delivery_attempt_limit', 'part_delivery_attempt_limit']) {
            if (isExpression(output[key])) {
              v.unknown(`${label} ${key}`);
              continue;
            }
            v.expect(
              neverGivesUp(output[key], false),
              `${label} ${key} is ${JSON.stringify(output[key] ?? null)} (at least ${S3_UPLOAD_ATTEMPTS_MIN}; no_limits means 5 for s3)`,
            );
          }
          v.expect(isOn(output.use_put_object), `${label} does not use_put_object (Content-MD5 covers PutObject only)`);
          v.expect(isOn(output.send_content_md5), `${label} does not send_content_md5`);
          const storeDir = output.store_dir;
          const storeMount = typeof storeDir === 'string' ? mountOfPath(pod, container, storeDir) : undefined;
          v.expect(
            storeMount !== undefined && storeMount.volume === storageMount?.volume,
            `${label} store_dir ${JSON.stringify(storeDir ?? null)} is not on the buffer volume`,
          );
          const store = fluentBitBytes(output.store_dir_limit_size);
          if (store === undefined || store === 0) v.fail(`${label} has no store_dir_limit_size`);
          else buffered += store;
        } else {
          v.expect(
            neverGivesUp(output.retry_limit, true),
            `${label} retry_limit is ${JSON.stringify(output.retry_limit ?? null)}, not no_limits`,
          );
        }
        if (total === undefined || total === 0) v.fail(`${label} has no storage.total_limit_size`);
        else buffered += total;
      }
      if (sizeLimit !== undefined && buffered >= sizeLimit) {
        v.fail(
          `the outputs' buffer limits add up to ${buffered} bytes, not below the volume's sizeLimit of ${sizeLimit} bytes`,
        );
      }

      // The delivery watchdog.
      const logs = pipelinePlugins(config, 'inputs').filter((i) => pluginName(i) === 'fluentbit_logs');
      v.expect(logs.length > 0, 'no fluentbit_logs input feeds the delivery watchdog');
      const healthTag = typeof logs[0]?.tag === 'string' ? logs[0].tag : undefined;
      const watchdog = pipelinePlugins(config, 'filters').find(
        (f) => pluginName(f) === 'lua' && f.call === SHIPPER_LUA_CALLS.watchdog,
      );
      if (!watchdog) v.fail(`no ${SHIPPER_LUA_CALLS.watchdog} filter raises delivery alerts`);
      else {
        v.expect(
          watchdog.code === deliveryWatchdogLua(s.tenant),
          `filter ${SHIPPER_LUA_CALLS.watchdog} is not the library's watchdog for tenant ${s.tenant}`,
        );
        v.expect(
          healthTag !== undefined && receives(watchdog, healthTag),
          `filter ${SHIPPER_LUA_CALLS.watchdog} does not read Fluent Bit's logs`,
        );
      }
      const alertOutputs =
        healthTag === undefined
          ? []
          : pipelinePlugins(config, 'outputs').filter((o: JsonObject) => receives(o, healthTag));
      v.expect(alertOutputs.length > 0, 'no output receives the delivery alerts');
      results.push(v.result());
    }
    return results;
  },
};
