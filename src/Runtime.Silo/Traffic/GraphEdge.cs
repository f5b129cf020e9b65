namespace Runtime.Silo.Traffic;

/// <summary>An edge of the service graph: the requests from one node to another in the window.</summary>
/// <param name="Id"><c>source-&gt;target</c>.</param>
/// <param name="Source">The calling node's id.</param>
/// <param name="Target">The serving node's id.</param>
/// <param name="DestinationService">The host the requests were addressed to (the busiest one if several).</param>
/// <param name="Protocol"><c>http</c>, <c>grpc</c> or <c>tcp</c> (the busiest one if several).</param>
/// <param name="Mtls">True when every request of the edge went over mutual TLS.</param>
/// <param name="Rps">Requests per second over the time the reports cover.</param>
/// <param name="ErrorRate">Errors (5xx, or failed by the mesh) / requests, 0..1.</param>
/// <param name="P50Ms">Median duration from the merged histogram; null without requests.</param>
/// <param name="P99Ms">99th percentile duration; null without requests.</param>
/// <param name="Split">Share of the source's requests to the same destination service, when it reached several versions; else null.</param>
/// <param name="ResponseCodes">Requests per response code ("0": no response).</param>
/// <param name="Requests">Requests counted in the window (exact).</param>
/// <param name="Errors">Errors counted in the window (exact).</param>
internal sealed record GraphEdge(
    string Id, string Source, string Target, string DestinationService, string Protocol, bool Mtls, double Rps, double ErrorRate,
    double? P50Ms, double? P99Ms, double? Split, IReadOnlyDictionary<string, long> ResponseCodes, long Requests, long Errors);
