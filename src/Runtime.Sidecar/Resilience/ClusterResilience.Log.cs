using Microsoft.Extensions.Logging;
using Runtime.Sidecar.Routing;

namespace Runtime.Sidecar.Resilience;

/// <summary>Logging for <see cref="ClusterResilience"/>.</summary>
internal sealed partial class ClusterResilience
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Outlier detection ejected {Address}:{Port} from {Cluster} for {Duration}: {Reason} (ejection #{Ejections})")]
    private static partial void LogEjected(ILogger logger, ClusterKey cluster, string address, int port, string reason, TimeSpan duration, int ejections);

    [LoggerMessage(Level = LogLevel.Information, Message = "Outlier detection readmitted {Address}:{Port} to {Cluster}")]
    private static partial void LogReadmitted(ILogger logger, ClusterKey cluster, string address, int port);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Outlier detection did not eject {Address}:{Port} from {Cluster} ({Reason}): {Ejected} already ejected, maxEjectionPercent {MaxEjectionPercent}")]
    private static partial void LogEjectionRefused(ILogger logger, ClusterKey cluster, string address, int port, string reason, int ejected, int maxEjectionPercent);
}
