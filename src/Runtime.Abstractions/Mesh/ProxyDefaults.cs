using System.Text.Json;

namespace Runtime.Abstractions.Mesh;

/// <summary>MeshConfig <c>defaultConfig</c> (Istio's ProxyConfig); only <c>tracing.sampling</c> is applied.</summary>
public sealed record ProxyDefaults
{
    /// <summary>Tracing defaults.</summary>
    public ProxyTracing? Tracing { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? HoldApplicationUntilProxyStarts { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ConfigPath { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? BinaryPath { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ServiceCluster { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DrainDuration { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? DiscoveryAddress { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? StatsdUdpAddress { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyAdminPort { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ControlPlaneAuthPolicy { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? CustomConfigFile { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? StatNameLength { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Concurrency { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyBootstrapTemplatePath { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? InterceptionMode { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyAccessLogService { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? EnvoyMetricsService { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyMetadata { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? RuntimeValues { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? StatusPort { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ExtraStatTags { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? GatewayTopology { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? TerminationDrainDuration { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? MeshId { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ReadinessProbe { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyStatsMatcher { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? Image { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? PrivateKeyProvider { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? ProxyHeaders { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? FileFlushInterval { get; init; }

    /// <summary>Not applied.</summary>
    public JsonElement? FileFlushMinSizeKb { get; init; }
}
