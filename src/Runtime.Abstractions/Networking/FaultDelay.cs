using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>Injected latency.</summary>
public sealed record FaultDelay
{
    /// <summary>How long to wait before forwarding.</summary>
    public MeshDuration? FixedDelay { get; init; }

    /// <summary>Mean of an exponential delay.</summary>
    public MeshDuration? ExponentialDelay { get; init; }

    /// <summary>Share of requests delayed.</summary>
    public Percent? Percentage { get; init; }

    /// <summary>Deprecated integer share of requests delayed; use <c>percentage</c>.</summary>
    [MeshDeprecated("percentage")]
    public int? Percent { get; init; }
}
