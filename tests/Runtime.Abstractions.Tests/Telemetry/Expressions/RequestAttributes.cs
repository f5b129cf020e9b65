using Runtime.Abstractions.Telemetry.Expressions;

namespace Runtime.Abstractions.Tests.Telemetry.Expressions;

/// <summary>A request's filter attributes written out by a test; headers keyed by lower-case name.</summary>
internal readonly record struct RequestAttributes : IAccessLogAttributes
{
    public RequestAttributes()
    {
    }

    public int ResponseCode { get; init; } = 200;

    public string ResponseFlags { get; init; } = "-";

    public string Method { get; init; } = "GET";

    public string Path { get; init; } = "/";

    public string Host { get; init; } = "reviews";

    public string Protocol { get; init; } = "HTTP/1.1";

    public bool Mtls { get; init; }

    public string SourcePrincipal { get; init; } = "";

    public string DestinationPrincipal { get; init; } = "";

    public string UpstreamCluster { get; init; } = "";

    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public string? RequestHeader(string name) => Headers.GetValueOrDefault(name);

    /// <summary>A request answered with <paramref name="code"/>.</summary>
    public static RequestAttributes Answered(int code) => new() { ResponseCode = code };
}
