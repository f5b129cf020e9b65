using System.Text.Json;

namespace Runtime.Abstractions.Mesh;

/// <summary>
/// Istio's MeshConfig (the <c>meshConfig</c> of an IstioOperator, or the <c>mesh</c> key of the <c>istio</c>
/// ConfigMap). The typed fields are applied by the mesh; the <see cref="JsonElement"/> fields are Istio's other
/// MeshConfig fields, accepted with a warning that they are not applied.
/// </summary>
public sealed record MeshConfigSpec
{
    /// <summary>Where every sidecar writes access logs: empty for off, <c>/dev/stdout</c>, or a file path.</summary>
    public string? AccessLogFile { get; init; }

    /// <summary>Access-log line encoding, TEXT (default) or JSON.</summary>
    public AccessLogEncoding? AccessLogEncoding { get; init; }

    /// <summary>Envoy format string for access-log lines (see <see cref="AccessLogTemplate"/> for the operators supported).</summary>
    public string? AccessLogFormat { get; init; }

    /// <summary>Whether sidecars trace requests (Istio's default: true).</summary>
    public bool? EnableTracing { get; init; }

    /// <summary>Default proxy settings; only <c>tracing.sampling</c> is applied.</summary>
    public ProxyDefaults? DefaultConfig { get; init; }

    /// <summary>Named telemetry providers that Telemetry resources refer to.</summary>
    public IReadOnlyList<ExtensionProvider>? ExtensionProviders { get; init; }

    /// <summary>Providers used when a Telemetry resource names none.</summary>
    public DefaultProviders? DefaultProviders { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? OutboundTrafficPolicy { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? InboundTrafficPolicy { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyListenPort { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyInboundListenPort { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyHttpPort { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ConnectTimeout { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProtocolDetectionTimeout { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? TcpKeepalive { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? IngressClass { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? IngressService { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? IngressControllerMode { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? IngressSelector { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnableEnvoyAccessLogService { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DisableEnvoyListenerLog { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ConfigSources { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnableAutoMtls { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? TrustDomain { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? TrustDomainAliases { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? CaCertificates { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DefaultServiceExportTo { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DefaultVirtualServiceExportTo { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DefaultDestinationRuleExportTo { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? RootNamespace { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? LocalityLbSetting { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DnsRefreshRate { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? H2UpgradePolicy { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? InboundClusterStatName { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? OutboundClusterStatName { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Certificates { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ServiceSettings { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnablePrometheusMerge { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? VerifyCertificateAtClient { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Ca { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DiscoverySelectors { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? PathNormalization { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DefaultHttpRetryPolicy { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? MeshMTLS { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? TlsDefaults { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ServiceScopeConfigs { get; init; }
}
