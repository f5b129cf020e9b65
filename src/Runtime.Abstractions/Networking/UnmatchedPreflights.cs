namespace Runtime.Abstractions.Networking;

/// <summary>Handling of preflight requests from origins that do not match.</summary>
public enum UnmatchedPreflights
{
    /// <summary><c>UNSPECIFIED</c>: Defaults to forwarding.</summary>
    Unspecified,

    /// <summary><c>FORWARD</c>: Forward the preflight to the upstream.</summary>
    Forward,

    /// <summary><c>IGNORE</c>: Answer the preflight without CORS headers.</summary>
    Ignore,
}
