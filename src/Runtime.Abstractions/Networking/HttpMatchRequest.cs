using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>Conditions an HTTP request must meet; all set conditions must hold.</summary>
public sealed record HttpMatchRequest
{
    /// <summary>Match name, concatenated with the route name in logs.</summary>
    public string? Name { get; init; }

    /// <summary>Matches the path.</summary>
    public StringMatch? Uri { get; init; }

    /// <summary>Matches the URI scheme.</summary>
    public StringMatch? Scheme { get; init; }

    /// <summary>Matches the HTTP method.</summary>
    public StringMatch? Method { get; init; }

    /// <summary>Matches the Host/:authority header.</summary>
    public StringMatch? Authority { get; init; }

    /// <summary>Matches request headers by lower-case name.</summary>
    public IReadOnlyDictionary<string, StringMatch>? Headers { get; init; }

    /// <summary>Matches the destination port.</summary>
    public int? Port { get; init; }

    /// <summary>Matches workloads sending the request by label.</summary>
    public IReadOnlyDictionary<string, string>? SourceLabels { get; init; }

    /// <summary>Restricts the match to these gateways.</summary>
    public IReadOnlyList<string>? Gateways { get; init; }

    /// <summary>Matches query parameters.</summary>
    public IReadOnlyDictionary<string, StringMatch>? QueryParams { get; init; }

    /// <summary>Makes the URI match case-insensitive.</summary>
    public bool? IgnoreUriCase { get; init; }

    /// <summary>Headers that must not match.</summary>
    public IReadOnlyDictionary<string, StringMatch>? WithoutHeaders { get; init; }

    /// <summary>Matches the namespace of the sending workload.</summary>
    public string? SourceNamespace { get; init; }

    /// <summary>Prefix for route-level stats.</summary>
    public string? StatPrefix { get; init; }
}
