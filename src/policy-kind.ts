/** The KubeArmor object a {@link PolicyTarget} produces. */
export enum PolicyKind {
  /** Namespaced `KubeArmorPolicy` (ksp): pods of one namespace. */
  KUBE_ARMOR_POLICY = 'KubeArmorPolicy',
  /** Cluster-scoped `KubeArmorClusterPolicy` (csp): pods across namespaces. */
  KUBE_ARMOR_CLUSTER_POLICY = 'KubeArmorClusterPolicy',
  /** Cluster-scoped `KubeArmorHostPolicy` (hsp): nodes. */
  KUBE_ARMOR_HOST_POLICY = 'KubeArmorHostPolicy',
}
