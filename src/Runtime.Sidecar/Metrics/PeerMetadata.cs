namespace Runtime.Sidecar.Metrics;

/// <summary>
/// The workload metadata one sidecar tells its peer, as Istio's metadata exchange does, so the server's
/// <c>reporter="destination"</c> series can name the calling workload, app and version. The client sidecar sends it
/// in <see cref="HeaderName"/> on requests to other sidecars; the server sidecar trusts it only over mTLS and only
/// when its namespace is the one the peer certificate proves, and removes it before the app.
/// </summary>
/// <param name="Workload">The calling workload (its sidecar's <c>--service</c>).</param>
/// <param name="Namespace">The workload's namespace.</param>
/// <param name="App">The workload's <c>app</c> label, or <c>unknown</c>.</param>
/// <param name="Version">The workload's <c>version</c> label, or <c>unknown</c>.</param>
/// <param name="Cluster">The workload's cluster id.</param>
internal sealed record PeerMetadata(string Workload, string Namespace, string App, string Version, string Cluster)
{
    /// <summary>The request header that carries the metadata between sidecars.</summary>
    public const string HeaderName = "x-mesh-peer-metadata";

    /// <summary>Longest header value read; anything longer is ignored.</summary>
    public const int MaxLength = 512;

    /// <summary>The header value: <c>workload=W;namespace=N;app=A;version=V;cluster=C</c>.</summary>
    public string Format() => $"workload={Workload};namespace={Namespace};app={App};version={Version};cluster={Cluster}";

    /// <summary>
    /// Reads a header value written by <see cref="Format"/>; null when it is malformed (unknown or repeated keys,
    /// missing workload or namespace, or characters that a workload name or label value cannot hold).
    /// </summary>
    public static PeerMetadata? Parse(string value)
    {
        if (value.Length is 0 or > MaxLength)
        {
            return null;
        }

        string? workload = null, ns = null, app = null, version = null, cluster = null;
        foreach (var part in value.Split(';'))
        {
            var equals = part.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || !IsLabelValue(part.AsSpan(equals + 1)))
            {
                return null;
            }

            var field = part[(equals + 1)..];
            switch (part[..equals])
            {
                case "workload" when workload is null: workload = field; break;
                case "namespace" when ns is null: ns = field; break;
                case "app" when app is null: app = field; break;
                case "version" when version is null: version = field; break;
                case "cluster" when cluster is null: cluster = field; break;
                default: return null;
            }
        }

        return workload is null || ns is null ? null
            : new PeerMetadata(workload, ns, app ?? PeerLabels.UnknownValue, version ?? PeerLabels.UnknownValue, cluster ?? PeerLabels.UnknownValue);
    }

    // Kubernetes names and label values: letters, digits, '-', '_', '.' (so nothing a Prometheus label needs escaped).
    private static bool IsLabelValue(ReadOnlySpan<char> value)
    {
        if (value.IsEmpty)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }
}
