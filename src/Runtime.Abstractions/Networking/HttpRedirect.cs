namespace Runtime.Abstractions.Networking;

/// <summary>Answers with a redirect.</summary>
public sealed record HttpRedirect
{
    /// <summary>Replaces the path.</summary>
    public string? Uri { get; init; }

    /// <summary>Replaces the authority.</summary>
    public string? Authority { get; init; }

    /// <summary>Replaces the port.</summary>
    public int? Port { get; init; }

    /// <summary>Derives the port from the protocol or the request.</summary>
    public RedirectPortSelection? DerivePort { get; init; }

    /// <summary>Replaces the scheme.</summary>
    public string? Scheme { get; init; }

    /// <summary>Status code: 301 (default), 302, 303, 307 or 308.</summary>
    public int? RedirectCode { get; init; }
}
