using Microsoft.Extensions.Logging;

namespace Runtime.Silo.Hosting;

/// <summary>
/// Start-up settings of the control plane. Each has a command-line flag and an environment variable;
/// the flag wins when both are given.
/// </summary>
public sealed class SiloOptions
{
    /// <summary>gRPC (h2c) port; <c>--grpc-port</c> / <c>MESH_GRPC_PORT</c>. Default 15010; 0 picks a free port.</summary>
    public int GrpcPort { get; set; } = 15010;

    /// <summary>HTTP port for health and metrics; <c>--http-port</c> / <c>MESH_HTTP_PORT</c>. Default 15014; 0 picks a free port.</summary>
    public int HttpPort { get; set; } = 15014;

    /// <summary>IP address both ports listen on; <c>--listen-address</c> / <c>MESH_LISTEN_ADDRESS</c>. Default 127.0.0.1.</summary>
    public string ListenAddress { get; set; } = "127.0.0.1";

    /// <summary>Directory for the database and the ports file; <c>--data-dir</c> / <c>MESH_DATA_DIR</c>. Default <c>./.mesh</c>.</summary>
    public string DataDir { get; set; } = "./.mesh";

    /// <summary>Config store backend; <c>--store</c> / <c>MESH_STORE</c>. Default <see cref="StoreKind.Sqlite"/>.</summary>
    public StoreKind Store { get; set; } = StoreKind.Sqlite;

    /// <summary>Minimum log level; <c>--log-level</c> / <c>MESH_LOG_LEVEL</c>. Default <see cref="LogLevel.Information"/>.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>How often sidecars heartbeat (told to them at registration). Default 5 s.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How long an endpoint stays registered without a heartbeat or open stream. Default 15 s.</summary>
    public TimeSpan EndpointTtl { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Directory with a plugged-in CA in Istio's <c>cacerts</c> layout (<c>ca-cert.pem</c>, <c>ca-key.pem</c>,
    /// <c>root-cert.pem</c>, <c>cert-chain.pem</c>); <c>--ca-dir</c> / <c>MESH_CA_DIR</c>. Default none: a self-signed
    /// root is generated on first start and kept in the store.
    /// </summary>
    public string? CaDir { get; set; }

    /// <summary>Mesh trust domain, the host part of every SPIFFE id; <c>--trust-domain</c> / <c>MESH_TRUST_DOMAIN</c>. Default <c>cluster.local</c>.</summary>
    public string TrustDomain { get; set; } = "cluster.local";

    /// <summary>Other trust domains accepted as this mesh's; <c>--trust-domain-alias</c> (repeatable) / <c>MESH_TRUST_DOMAIN_ALIASES</c> (comma-separated).</summary>
    public List<string> TrustDomainAliases { get; } = [];

    /// <summary>Default workload certificate lifetime; <c>--cert-ttl</c> / <c>MESH_CERT_TTL</c>. Default 24 h.</summary>
    public TimeSpan CertTtl { get; set; } = TimeSpan.FromHours(24);

    /// <summary>
    /// Prometheus whose Istio metrics the dashboard's service graph reads instead of the sidecars' reports (issue 6);
    /// <c>--prometheus-url</c> / <c>MESH_PROMETHEUS_URL</c>. Default none: the sidecars' reports only.
    /// </summary>
    public string? PrometheusUrl { get; set; }

    /// <summary>Longest workload certificate lifetime the CA issues; <c>--max-cert-ttl</c> / <c>MESH_MAX_CERT_TTL</c>. Default 90 days.</summary>
    public TimeSpan MaxCertTtl { get; set; } = TimeSpan.FromDays(90);
}
