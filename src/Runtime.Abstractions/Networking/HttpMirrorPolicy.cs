using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>One mirror destination of an HTTP route.</summary>
public sealed record HttpMirrorPolicy
{
    /// <summary>Receives a copy of the traffic.</summary>
    public Destination? Destination { get; init; }

    /// <summary>Share of traffic copied.</summary>
    public Percent? Percentage { get; init; }
}
