using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>Retry policy of an HTTP route.</summary>
public sealed record HttpRetry
{
    /// <summary>Number of retries; 0 disables retries.</summary>
    public int? Attempts { get; init; }

    /// <summary>Timeout of each attempt.</summary>
    public MeshDuration? PerTryTimeout { get; init; }

    /// <summary>Comma-separated conditions, for example <c>5xx,connect-failure</c>.</summary>
    public string? RetryOn { get; init; }

    /// <summary>Whether retries may go to other localities.</summary>
    public bool? RetryRemoteLocalities { get; init; }

    /// <summary>Whether a retry avoids hosts already tried for this request.</summary>
    public bool? RetryIgnorePreviousHosts { get; init; }

    /// <summary>Base interval of the exponential back-off between retries.</summary>
    public MeshDuration? Backoff { get; init; }
}
