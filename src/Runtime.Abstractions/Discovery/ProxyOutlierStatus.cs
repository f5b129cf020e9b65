namespace Runtime.Abstractions.Discovery;

/// <summary>One proxy's outlier-detection report on one endpoint, as the control plane holds it.</summary>
/// <param name="ProxyId">The reporting proxy.</param>
/// <param name="Status">What its outlier detector says about the endpoint.</param>
/// <param name="Reported">When the control plane received the report.</param>
public sealed record ProxyOutlierStatus(string ProxyId, EndpointOutlierStatus Status, DateTimeOffset Reported);
