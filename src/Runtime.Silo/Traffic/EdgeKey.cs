namespace Runtime.Silo.Traffic;

/// <summary>One edge as one proxy reported it, with Istio's label meanings (unknown values are <c>unknown</c>).</summary>
/// <param name="SourceReporter">True for the client sidecar's view (<c>reporter="source"</c>), false for the server's.</param>
/// <param name="SourceWorkload">The calling workload.</param>
/// <param name="SourceNamespace">The calling workload's namespace.</param>
/// <param name="SourceVersion">The calling workload's <c>version</c> label.</param>
/// <param name="SourcePrincipal">The caller's SPIFFE id when proven or known.</param>
/// <param name="DestinationService">The destination host as routed.</param>
/// <param name="DestinationServiceName">The destination service's short name.</param>
/// <param name="DestinationNamespace">The destination's namespace.</param>
/// <param name="DestinationWorkload">The destination workload.</param>
/// <param name="DestinationVersion">The destination workload's <c>version</c> label.</param>
/// <param name="Protocol"><c>http</c>, <c>grpc</c> or <c>tcp</c>.</param>
internal readonly record struct EdgeKey(
    bool SourceReporter, string SourceWorkload, string SourceNamespace, string SourceVersion, string SourcePrincipal,
    string DestinationService, string DestinationServiceName, string DestinationNamespace, string DestinationWorkload, string DestinationVersion,
    string Protocol)
{
    /// <summary>Istio's word for a label value nobody knows.</summary>
    public const string Unknown = "unknown";

    /// <summary>The graph node that sent the requests: <c>namespace/workload/version</c>.</summary>
    public string SourceNode => NodeId.Of(SourceNamespace, SourceWorkload, SourceVersion);

    /// <summary>The graph node that served them; a destination without a known workload is named by its service.</summary>
    public string TargetNode => NodeId.Of(DestinationNamespace, TargetService, DestinationVersion);

    /// <summary>The workload, else the service name, of the destination.</summary>
    public string TargetService => DestinationWorkload != Unknown ? DestinationWorkload : DestinationServiceName;
}
