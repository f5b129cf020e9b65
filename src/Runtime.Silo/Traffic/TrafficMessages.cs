using Runtime.Abstractions.Telemetry;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Traffic;

/// <summary>Maps heartbeats' <c>TrafficReport</c>s to <see cref="ReceivedTraffic"/>, dropping edges whose numbers cannot be right.</summary>
internal static class TrafficMessages
{
    /// <summary>Longest label value kept; longer ones are cut (a report must not grow the control plane's memory at will).</summary>
    private const int MaxLabelLength = 253;

    /// <summary>The report as the store keeps it; null for a heartbeat without one.</summary>
    public static ReceivedTraffic? FromMessage(V1.TrafficReport? report)
    {
        if (report is null)
        {
            return null;
        }

        var start = report.WindowStart?.ToDateTimeOffset();
        var end = report.WindowEnd?.ToDateTimeOffset();
        var covered = start is { } s && end is { } e && e > s ? e - s : TimeSpan.Zero;
        var edges = new List<KeyValuePair<EdgeKey, EdgeCounts>>(report.Edges.Count);
        var dropped = 0;
        foreach (var edge in report.Edges)
        {
            if (!Plausible(edge))
            {
                dropped++;
                continue;
            }

            var key = new EdgeKey(
                edge.Reporter != "destination", Label(edge.SourceWorkload), Label(edge.SourceNamespace), Label(edge.SourceVersion), Label(edge.SourcePrincipal),
                Label(edge.DestinationService), Label(edge.DestinationServiceName), Label(edge.DestinationNamespace), Label(edge.DestinationWorkload),
                Label(edge.DestinationVersion), edge.Protocol is "grpc" or "tcp" ? edge.Protocol : "http");
            edges.Add(new(key, EdgeCounts.Of(
                edge.Requests, edge.Errors, edge.Mtls, edge.DurationBuckets, edge.DurationSumMs, edge.ResponseCodes, edge.RequestBytes, edge.ResponseBytes)));
        }

        return new ReceivedTraffic(
            covered, edges, dropped, report.ReporterSession.Length > MaxLabelLength ? report.ReporterSession[..MaxLabelLength] : report.ReporterSession, report.Sequence);
    }

    private static bool Plausible(V1.EdgeTraffic edge) =>
        edge.Requests >= 0 && edge.Errors >= 0 && edge.Errors <= edge.Requests && edge.RequestBytes >= 0 && edge.ResponseBytes >= 0
        && (edge.DurationBuckets.Count == 0 || edge.DurationBuckets.Count == IstioBuckets.Bounds.Count + 1)
        && edge.DurationBuckets.All(c => c >= 0) && edge.ResponseCodes.Values.All(c => c >= 0)
        && double.IsFinite(edge.DurationSumMs) && edge.Reporter is "source" or "destination";

    private static string Label(string value) =>
        value.Length == 0 ? EdgeKey.Unknown : value.Length > MaxLabelLength ? value[..MaxLabelLength] : value;
}
