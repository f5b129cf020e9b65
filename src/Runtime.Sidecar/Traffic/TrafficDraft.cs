using Runtime.Sidecar.Metrics;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Sidecar.Traffic;

/// <summary>
/// A traffic report ready to go with one heartbeat, and the readings it was computed from: committing it (once the
/// control plane took the heartbeat) makes those readings the base of the next report.
/// </summary>
/// <param name="Report">The deltas; null when nothing was served since the last committed report.</param>
/// <param name="Readings">Every series' counters (request and TCP series) as read for this report.</param>
/// <param name="WindowEnd">When the counters were read.</param>
internal sealed record TrafficDraft(V1.TrafficReport? Report, IReadOnlyDictionary<object, SeriesReading> Readings, DateTimeOffset WindowEnd);
