using System.Diagnostics;
using System.Globalization;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Tracing;

/// <summary>The span tags that are the same for every span of this sidecar (Istio's node and workload tags), computed once.</summary>
internal sealed class SpanTags
{
    /// <summary>Istio's default mesh id, used in <c>istio.mesh_id</c>.</summary>
    public const string MeshId = "cluster.local";

    private readonly KeyValuePair<string, string>[] _tags;

    private SpanTags(KeyValuePair<string, string>[] tags, string inboundCluster, string inboundName)
    {
        _tags = tags;
        InboundCluster = inboundCluster;
        InboundName = inboundName;
    }

    /// <summary>The inbound cluster name, <c>inbound|PORT||</c>, Istio's spelling.</summary>
    public string InboundCluster { get; }

    /// <summary>The inbound span name: this service's host and port, <c>/*</c>.</summary>
    public string InboundName { get; }

    /// <summary>The tags for the sidecar of <paramref name="identity"/>.</summary>
    public static SpanTags For(SidecarIdentity identity, SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(options);
        var labels = identity.Labels;
        var canonicalService = labels.GetValueOrDefault("service.istio.io/canonical-name") ?? labels.GetValueOrDefault("app") ?? identity.Service;
        var canonicalRevision = labels.GetValueOrDefault("service.istio.io/canonical-revision") ?? labels.GetValueOrDefault("version") ?? "latest";
        var fqdn = $"{identity.Service}.{identity.Namespace}.svc.cluster.local";
        var port = (options.AppPort ?? options.InboundPort).ToString(CultureInfo.InvariantCulture);
        return new SpanTags(
            [
                new("node_id", $"sidecar~{options.Address}~{options.Instance ?? identity.Service}.{identity.Namespace}~{identity.Namespace}.svc.cluster.local"),
                new("component", "proxy"),
                new("istio.canonical_service", canonicalService),
                new("istio.canonical_revision", canonicalRevision),
                new("istio.namespace", identity.Namespace),
                new("istio.mesh_id", MeshId),
            ],
            $"inbound|{port}||",
            $"{fqdn}:{port}/*");
    }

    /// <summary>Sets the tags on <paramref name="span"/>.</summary>
    public void Apply(Activity span)
    {
        ArgumentNullException.ThrowIfNull(span);
        foreach (var (name, value) in _tags)
        {
            span.SetTag(name, value);
        }
    }
}
