import type { Provider } from '../model';

/** The checks each provider runs, by stable rule id (RULES.md). */
export const PROVIDER_CHECKS: Record<Provider, string[]> = {
  aws: [
    'aws.ebs.unattached',
    'aws.ebs.on_stopped_instance',
    'aws.ebs.gp2_to_gp3',
    'aws.ec2.stopped',
    'aws.eip.unassociated',
    'aws.snapshot.orphaned',
    'aws.snapshot.old',
    'aws.ami.unused',
    'aws.nat.unused',
    'aws.eni.public_ip_unused',
    'aws.ipv4.public_on_stopped',
  ],
  azure: [
    'azure.disk.unattached',
    'azure.disk.on_deallocated_vm',
    'azure.vm.stopped_not_deallocated',
    'azure.snapshot.old',
    'azure.publicip.unassociated',
    'azure.nic.orphaned',
    'azure.image.unused',
  ],
  alibaba: [
    'alibaba.disk.unattached',
    'alibaba.disk.on_stopped_instance',
    'alibaba.ecs.stopped_keep_charging',
    'alibaba.eip.unbound',
    'alibaba.snapshot.old',
    'alibaba.snapshot.orphaned',
    'alibaba.nat.idle',
  ],
  kubernetes: [
    'k8s.pv.unbound',
    'k8s.pvc.unused',
    'k8s.service.lb_no_endpoints',
    'k8s.workload.zero_replicas',
    'k8s.workload.overrequested',
    'k8s.pod.no_requests',
    'k8s.node.underutilized',
    'k8s.configmap.unused',
    'k8s.secret.unused',
    'k8s.job.finished',
  ],
};
