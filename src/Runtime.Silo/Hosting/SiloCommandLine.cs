using Runtime.Abstractions.CommandLine;
using Runtime.Abstractions.Common;

namespace Runtime.Silo.Hosting;

/// <summary>
/// Reads <see cref="SiloOptions"/> from environment variables, then flags (<c>--flag value</c> or
/// <c>--flag=value</c>), so flags override variables. Every unreadable value is reported, not just the first.
/// </summary>
internal static class SiloCommandLine
{
    private static readonly FlagSet<SiloOptions> Flags = new(
        "Runtime.Silo - the Runtime mesh control plane",
        "Runtime.Silo [flags]",
        [
            new("--grpc-port", "MESH_GRPC_PORT", "gRPC (h2c) port; 0 picks a free port", "15010", (o, v) => FlagValues.ReadPort(v, p => o.GrpcPort = p)),
            new("--http-port", "MESH_HTTP_PORT", "HTTP port for /healthz, /readyz and /metrics; 0 picks a free port", "15014", (o, v) => FlagValues.ReadPort(v, p => o.HttpPort = p)),
            new("--listen-address", "MESH_LISTEN_ADDRESS", "IP address both ports listen on", "127.0.0.1", (o, v) => { o.ListenAddress = v; return null; }),
            new("--data-dir", "MESH_DATA_DIR", "directory for mesh.db and silo.ports.json", "./.mesh", (o, v) => { o.DataDir = v; return null; }),
            new("--store", "MESH_STORE", "config store: sqlite (postgres arrives in a later version)", "sqlite", ReadStore),
            new("--heartbeat-interval", "MESH_HEARTBEAT_INTERVAL", "how often sidecars heartbeat, e.g. 5s", "5s", (o, v) => ReadDuration(v, d => o.HeartbeatInterval = d)),
            new("--endpoint-ttl", "MESH_ENDPOINT_TTL", "how long an endpoint stays registered without a heartbeat, e.g. 15s", "15s", (o, v) => ReadDuration(v, d => o.EndpointTtl = d)),
            new("--ca-dir", "MESH_CA_DIR", "plugged-in CA directory (ca-cert.pem, ca-key.pem, root-cert.pem, cert-chain.pem); none generates a root kept in the store", "none", (o, v) => { o.CaDir = v; return null; }),
            new("--trust-domain", "MESH_TRUST_DOMAIN", "mesh trust domain of SPIFFE ids", "cluster.local", (o, v) => { o.TrustDomain = v; return null; }),
            new("--trust-domain-alias", "MESH_TRUST_DOMAIN_ALIASES", "another trust domain accepted as this mesh's; repeatable", "none", (o, v) => { o.TrustDomainAliases.Add(v); return null; }, o => o.TrustDomainAliases.Clear()),
            new("--cert-ttl", "MESH_CERT_TTL", "default workload certificate lifetime, e.g. 24h", "24h", (o, v) => ReadDuration(v, d => o.CertTtl = d)),
            new("--max-cert-ttl", "MESH_MAX_CERT_TTL", "longest workload certificate lifetime issued, e.g. 2160h", "2160h", (o, v) => ReadDuration(v, d => o.MaxCertTtl = d)),
            new("--prometheus-url", "MESH_PROMETHEUS_URL", "Prometheus (http or https URL) the service graph reads Istio metrics from; none uses the sidecars' reports", "none", (o, v) => { o.PrometheusUrl = v.Length == 0 ? null : v; return null; }), // issue 6
            new("--log-level", "MESH_LOG_LEVEL", "trace, debug, information, warning, error, critical or none", "information", (o, v) => FlagValues.ReadLogLevel(v, l => o.LogLevel = l)),
        ]);

    public static string HelpText => Flags.HelpText;

    public static SiloCommandLineResult Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        var parsed = Flags.Parse(args, environment);
        return new SiloCommandLineResult(parsed.Options, parsed.Errors, parsed.HelpRequested);
    }

    private static string? ReadDuration(string value, Action<TimeSpan> set)
    {
        if (!MeshDuration.TryParse(value, out var duration, out var error) || duration.Value <= TimeSpan.Zero)
        {
            return error is null ? "is not a positive duration such as 500ms, 5s or 1m" : $"is not a duration: {error}";
        }

        set(duration.Value);
        return null;
    }

    private static string? ReadStore(SiloOptions options, string value)
    {
        if (string.Equals(value, "sqlite", StringComparison.OrdinalIgnoreCase))
        {
            options.Store = StoreKind.Sqlite;
            return null;
        }

        if (string.Equals(value, "postgres", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "postgresql", StringComparison.OrdinalIgnoreCase))
        {
            options.Store = StoreKind.Postgres;
            return null;
        }

        return "is not a store; use sqlite";
    }
}
