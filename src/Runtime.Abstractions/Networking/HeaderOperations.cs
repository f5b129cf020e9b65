namespace Runtime.Abstractions.Networking;

/// <summary>Header changes for requests and responses.</summary>
public sealed record HeaderOperations
{
    /// <summary>Applied to the request before forwarding.</summary>
    public HeaderOperation? Request { get; init; }

    /// <summary>Applied to the response before returning it.</summary>
    public HeaderOperation? Response { get; init; }
}
