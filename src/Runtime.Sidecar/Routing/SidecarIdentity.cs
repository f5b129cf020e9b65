namespace Runtime.Sidecar.Routing;

/// <summary>Who the sidecar is: the workload whose outbound traffic the route table routes.</summary>
/// <param name="Service">The workload's service name.</param>
/// <param name="Namespace">Its namespace: short hosts resolve relative to it, and exportTo is checked against it.</param>
/// <param name="Labels">Workload labels, matched by <c>sourceLabels</c> and DestinationRule workload selectors.</param>
/// <param name="ServiceAccount">The workload's service account.</param>
internal sealed record SidecarIdentity(string Service, string Namespace, IReadOnlyDictionary<string, string> Labels, string ServiceAccount);
