namespace Runtime.Abstractions.Networking;

/// <summary>A fixed response returned instead of forwarding.</summary>
public sealed record HttpDirectResponse
{
    /// <summary>HTTP status code.</summary>
    public int? Status { get; init; }

    /// <summary>Optional body.</summary>
    public HttpBody? Body { get; init; }
}
