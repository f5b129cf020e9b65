using Runtime.Abstractions.Binding;
using Runtime.Abstractions.Common;

namespace Runtime.Abstractions.Networking;

/// <summary>Cross-origin resource sharing policy.</summary>
public sealed record CorsPolicy
{
    /// <summary>Origins allowed to make requests.</summary>
    public IReadOnlyList<StringMatch>? AllowOrigins { get; init; }

    /// <summary>Deprecated exact origins; use <c>allowOrigins</c>.</summary>
    [MeshDeprecated("allowOrigins")]
    public IReadOnlyList<string>? AllowOrigin { get; init; }

    /// <summary>Methods allowed.</summary>
    public IReadOnlyList<string>? AllowMethods { get; init; }

    /// <summary>Request headers allowed.</summary>
    public IReadOnlyList<string>? AllowHeaders { get; init; }

    /// <summary>Response headers browsers may read.</summary>
    public IReadOnlyList<string>? ExposeHeaders { get; init; }

    /// <summary>How long preflight results are cached.</summary>
    public MeshDuration? MaxAge { get; init; }

    /// <summary>Whether credentials are allowed.</summary>
    public bool? AllowCredentials { get; init; }

    /// <summary>What happens to preflights from origins that do not match.</summary>
    public UnmatchedPreflights? UnmatchedPreflights { get; init; }
}
