namespace Runtime.Sidecar.Metrics;

/// <summary>
/// The labels one side of a request contributes to Istio's metrics: its workload and, for a destination, the
/// service it was addressed as. Interned by <see cref="RequestMetrics"/>, so series keys compare them by reference.
/// </summary>
/// <param name="Workload">The workload name (the sidecar's service), or <c>unknown</c>.</param>
/// <param name="Namespace">The workload's namespace, or <c>unknown</c>.</param>
/// <param name="Principal">The SPIFFE id proven by mTLS, or <c>unknown</c>.</param>
/// <param name="App">The workload's <c>app</c> label, or <c>unknown</c>.</param>
/// <param name="Version">The workload's <c>version</c> label, or <c>unknown</c>.</param>
/// <param name="Service">The destination service host (FQDN), or <c>unknown</c>.</param>
/// <param name="ServiceName">The destination service's short name, or <c>unknown</c>.</param>
/// <param name="ServiceNamespace">The destination service's namespace, or <c>unknown</c>.</param>
/// <param name="Cluster">The cluster the workload runs in, or <c>unknown</c>.</param>
internal sealed record PeerLabels(
    string Workload, string Namespace, string Principal, string App, string Version,
    string Service, string ServiceName, string ServiceNamespace, string Cluster)
{
    /// <summary>Istio's word for a label it cannot know.</summary>
    public const string UnknownValue = "unknown";

    /// <summary>Istio's default cluster id, used for every workload of this single-cluster mesh.</summary>
    public const string LocalCluster = "Kubernetes";

    /// <summary>A peer nothing is known about.</summary>
    public static PeerLabels Unknown { get; } = new(UnknownValue, UnknownValue, UnknownValue, UnknownValue, UnknownValue, UnknownValue, UnknownValue, UnknownValue, UnknownValue);

    /// <summary>Istio's canonical service: the <c>app</c> label, else the workload name.</summary>
    public string CanonicalService => App != UnknownValue ? App : Workload;

    /// <summary>Istio's canonical revision: the <c>version</c> label, else <c>latest</c>.</summary>
    public string CanonicalRevision => Version != UnknownValue ? Version : "latest";

    /// <summary>Reads <paramref name="key"/> from <paramref name="labels"/>, or <c>unknown</c>.</summary>
    public static string Label(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) && value.Length > 0 ? value : UnknownValue;
}
