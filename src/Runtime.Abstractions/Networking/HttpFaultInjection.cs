namespace Runtime.Abstractions.Networking;

/// <summary>Faults injected to test resilience; at least one of delay and abort.</summary>
public sealed record HttpFaultInjection
{
    /// <summary>Adds latency.</summary>
    public FaultDelay? Delay { get; init; }

    /// <summary>Fails requests early.</summary>
    public FaultAbort? Abort { get; init; }
}
