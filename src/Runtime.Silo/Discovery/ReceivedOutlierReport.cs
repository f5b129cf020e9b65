using Runtime.Abstractions.Discovery;

namespace Runtime.Silo.Discovery;

/// <summary>A proxy's complete outlier-detection report as received with a heartbeat.</summary>
/// <param name="Endpoints">Endpoints its detector has ejected now or before; empty when none.</param>
/// <param name="Received">When the control plane received it.</param>
internal sealed record ReceivedOutlierReport(IReadOnlyList<EndpointOutlierStatus> Endpoints, DateTimeOffset Received);
