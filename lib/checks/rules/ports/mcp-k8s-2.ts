import { RESTRICTED_VOLUME_TYPES } from '../../../core/ports-defaults';
import { block, blocks } from '../../../model/json';
import type { JsonObject, SynthesizedStack } from '../../../model/stack';
import { isTrue, workloads } from '../../../model/pods';
import type { Verdict } from '../../verdict';
import type { Evaluation, Rule } from '../../rule';
import { blockOf, literal, shown, UNREADABLE, workloadVerdict } from './read';

const HOST_NAMESPACES = ['host_network', 'host_pid', 'host_ipc'] as const;
const ALLOWED_VOLUME_KEYS = new Set(['name', ...RESTRICTED_VOLUME_TYPES]);
/** SELinux types the baseline and restricted profiles allow (and none: the runtime's default). */
const SELINUX_TYPES = new Set(['', 'container_t', 'container_init_t', 'container_kvm_t', 'container_engine_t']);
const APPARMOR_ANNOTATION = 'container.apparmor.security.beta.kubernetes.io/';

/** Host-level settings of one security context (the pod's or a container's). */
function judgeSecurityContext(stack: SynthesizedStack, verdict: Verdict, who: string, sc: JsonObject): void {
  const hostProcess = literal(
    stack,
    verdict,
    `${who} windows_options.host_process`,
    block(sc.windows_options).host_process,
  );
  if (hostProcess !== UNREADABLE) verdict.expect(!isTrue(hostProcess), `${who} runs as a Windows host process`);
  const selinux = block(sc.se_linux_options);
  const type = literal(stack, verdict, `${who} se_linux_options.type`, selinux.type);
  if (type !== UNREADABLE && type !== undefined) {
    verdict.expect(SELINUX_TYPES.has(String(type)), `${who} sets SELinux type ${shown(type)}`);
  }
  for (const key of ['user', 'role'] as const) {
    if (selinux[key] !== undefined) verdict.fail(`${who} sets SELinux ${key} ${shown(selinux[key])}`);
  }
  const procMount = literal(stack, verdict, `${who} proc_mount`, sc.proc_mount);
  if (procMount !== UNREADABLE && procMount !== undefined) {
    verdict.expect(procMount === 'Default', `${who} mounts /proc ${shown(procMount)}`);
  }
  const appArmor = literal(stack, verdict, `${who} app_armor_profile.type`, block(sc.app_armor_profile).type);
  if (appArmor !== UNREADABLE) verdict.expect(appArmor !== 'Unconfined', `${who} runs without an AppArmor profile`);
  for (const sysctl of blocks(sc.sysctl)) verdict.fail(`${who} sets sysctl ${shown(sysctl.name)}`);
}

/** MCP-K8S-2: pods share nothing with their node. */
export const MCP_K8S_2: Rule = {
  id: 'MCP-K8S-2',
  level: 'error',
  layer: 'ports',
  cause:
    'a pod uses host namespaces, a host port, a privileged container, a volume outside the restricted list, or another host-level setting the restricted profile forbids',
  explanation:
    "A pod on the host's network, PID or IPC namespace, with a host port, a privileged container or a hostPath-like volume can reach the node and through it every other tenant's pods. Leave `host_network`, `host_pid` and `host_ipc` false, declare no `host_port`, never set `privileged`, and use only the volume types the restricted Pod Security Standard allows: configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret. The other host-level settings of the Pod Security Standards are refused too: Windows host processes, SELinux types other than the container ones (and any SELinux user or role), an unmasked /proc, an unconfined AppArmor profile (field or annotation), and sysctls (the library sets none). Pods declared through `kubernetes_manifest` are judged the same way.",
  requires: [
    'host_network, host_pid and host_ipc absent or false',
    'no container or init container with privileged true or a host_port other than 0',
    'volumes only of the types config_map, csi, downward_api, empty_dir, ephemeral, persistent_volume_claim, projected, secret',
    'no Windows host process, SELinux type only container_t, container_init_t, container_kvm_t or container_engine_t, no SELinux user or role, proc_mount absent or Default, no Unconfined AppArmor profile, no sysctl',
  ],
  fix: 'do not override host_network, host_pid, host_ipc, host_port, privileged, the security contexts or the volumes of the pod; addons (PodAddon.volumes) may use only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret volumes',
  evaluate(stack: SynthesizedStack): Evaluation[] {
    return workloads(stack).map((workload) => {
      const { pod, containers, podAnnotations } = workload;
      const verdict = workloadVerdict(workload);
      for (const key of HOST_NAMESPACES) {
        const value = literal(stack, verdict, key, pod[key]);
        if (value !== UNREADABLE) verdict.expect(!isTrue(value), `${key} is true`);
      }
      const podSc = blockOf(pod.security_context);
      if (podSc !== UNREADABLE) judgeSecurityContext(stack, verdict, 'the pod', podSc);
      for (const c of containers) {
        const sc = blockOf(c.body.security_context);
        if (sc !== UNREADABLE) {
          const privileged = literal(stack, verdict, `${c.label} security_context.privileged`, sc.privileged);
          if (privileged !== UNREADABLE) verdict.expect(!isTrue(privileged), `${c.label} is privileged`);
          judgeSecurityContext(stack, verdict, c.label, sc);
        }
        for (const port of blocks(c.body.port)) {
          const hostPort = literal(stack, verdict, `${c.label} host_port`, port.host_port);
          if (hostPort !== UNREADABLE) {
            verdict.expect(
              hostPort === undefined || Number(hostPort) === 0,
              `${c.label} binds host port ${String(hostPort)}`,
            );
          }
        }
      }
      for (const [key, value] of Object.entries(podAnnotations)) {
        if (key.startsWith(APPARMOR_ANNOTATION) && value === 'unconfined') {
          verdict.fail(`annotation ${key} is 'unconfined'`);
        }
      }
      blocks(pod.volume).forEach((volume, i) => {
        const name = typeof volume.name === 'string' ? volume.name : `#${i}`;
        for (const key of Object.keys(volume)) {
          verdict.expect(
            ALLOWED_VOLUME_KEYS.has(key),
            `volume '${name}' is of type ${key}, outside the restricted list`,
          );
        }
      });
      return verdict.result();
    });
  },
};
