namespace Runtime.Sidecar.Security.Jwt;

/// <summary>Where a token may be: a header (with the prefix before the token), a query parameter or a cookie.</summary>
/// <param name="Header">The header name, or null.</param>
/// <param name="Prefix">The text before the token in the header, e.g. <c>Bearer </c>; empty when none.</param>
/// <param name="Parameter">The query parameter name, or null.</param>
/// <param name="Cookie">The cookie name, or null.</param>
internal sealed record TokenLocation(string? Header, string Prefix, string? Parameter, string? Cookie = null)
{
    /// <summary>Istio's default when a rule names no location: <c>Authorization: Bearer &lt;token&gt;</c>.</summary>
    public static readonly TokenLocation AuthorizationBearer = FromHeader("authorization", "Bearer ");

    /// <summary>Istio's other default: the <c>access_token</c> query parameter.</summary>
    public static readonly TokenLocation AccessTokenParameter = FromParameter("access_token");

    public static TokenLocation FromHeader(string name, string? prefix) => new(name.ToLowerInvariant(), prefix ?? "", null);

    public static TokenLocation FromParameter(string name) => new(null, "", name);

    public static TokenLocation FromCookie(string name) => new(null, "", null, name);

    public override string ToString() => Header is not null ? $"header {Header}" : Parameter is not null ? $"query parameter {Parameter}" : $"cookie {Cookie}";
}
