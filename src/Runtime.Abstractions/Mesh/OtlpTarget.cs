namespace Runtime.Abstractions.Mesh;

/// <summary>An OTLP collector named by an <c>opentelemetry</c> extension provider.</summary>
/// <param name="Endpoint">For OTLP/HTTP the full traces URL (<c>http://service:port/v1/traces</c>); for gRPC <c>http://service:port</c>.</param>
/// <param name="Grpc">True for OTLP/gRPC (no <c>http</c> block, as in Istio), false for OTLP/HTTP protobuf.</param>
public sealed record OtlpTarget(Uri Endpoint, bool Grpc)
{
    /// <summary>The target of <paramref name="provider"/> (its service and port must be set).</summary>
    public static OtlpTarget Of(OpenTelemetryProvider provider)
    {
        ArgumentNullException.ThrowIfNull(provider);
        var root = new UriBuilder(Uri.UriSchemeHttp, provider.Service, provider.Port ?? 0).Uri;
        if (provider.Http is null)
        {
            return new OtlpTarget(root, Grpc: true);
        }

        var path = string.IsNullOrEmpty(provider.Http.Path) ? "/v1/traces" : provider.Http.Path.StartsWith('/') ? provider.Http.Path : "/" + provider.Http.Path;
        return new OtlpTarget(new Uri(root, path), Grpc: false);
    }
}
