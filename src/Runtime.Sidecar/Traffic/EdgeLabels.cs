using Runtime.Sidecar.Metrics;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Traffic;

/// <summary>
/// What one edge of the service graph is, as this sidecar saw it: the series of Istio's request metrics that share
/// these labels (and differ only in response code, flags or gRPC status) add up into one edge.
/// </summary>
internal readonly record struct EdgeLabels(
    bool Outbound, PeerLabels Source, string DestinationService, string DestinationServiceName, string DestinationNamespace,
    string DestinationWorkload, string DestinationVersion, bool Grpc, bool Mtls, bool Tcp = false)
{
    /// <summary>The edge of the series <paramref name="key"/>.</summary>
    public static EdgeLabels Of(RequestSeriesKey key)
    {
        var destination = key.Destination;
        // Outbound: mTLS when both principals are known (the client sidecar sets the destination's only when it
        // originates mesh mTLS). Inbound: what the server sidecar verified.
        var mtls = key.Outbound
            ? key.Source.Principal != PeerLabels.UnknownValue && destination.Principal != PeerLabels.UnknownValue
            : key.Security == SecurityPolicy.MutualTls;
        var ns = destination.Namespace != PeerLabels.UnknownValue ? destination.Namespace : destination.ServiceNamespace;
        return new EdgeLabels(key.Outbound, key.Source, destination.Service, destination.ServiceName, ns, destination.Workload, destination.Version, key.Grpc, mtls);
    }

    /// <summary>An empty message for this edge: labels set, counters zero.</summary>
    public V1.EdgeTraffic ToMessage() => new()
    {
        Reporter = Outbound ? "source" : "destination",
        SourceWorkload = Source.Workload,
        SourceNamespace = Source.Namespace,
        SourceVersion = Source.Version,
        SourcePrincipal = Source.Principal,
        DestinationService = DestinationService,
        DestinationServiceName = DestinationServiceName,
        DestinationNamespace = DestinationNamespace,
        DestinationWorkload = DestinationWorkload,
        DestinationVersion = DestinationVersion,
        Protocol = Tcp ? "tcp" : Grpc ? "grpc" : "http",
        Mtls = Mtls,
    };
}
