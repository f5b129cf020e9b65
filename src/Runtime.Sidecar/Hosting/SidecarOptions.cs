using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Http;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Hosting;

/// <summary>Everything a sidecar is started with; each setting is a flag and an environment variable.</summary>
public sealed class SidecarOptions
{
    /// <summary>Control-plane gRPC addresses, tried in turn (several replicas). Default <c>http://127.0.0.1:15010</c>.</summary>
    public List<Uri> ControlPlanes { get; } = [];

    /// <summary>The service this workload is an instance of; required.</summary>
    public string Service { get; set; } = "";

    /// <summary>The workload's namespace. Default <c>default</c>.</summary>
    public string Namespace { get; set; } = "default";

    /// <summary>The workload's service account (its identity). Default <c>default</c>.</summary>
    public string ServiceAccount { get; set; } = "default";

    /// <summary>Workload labels such as <c>app=reviews</c>, <c>version=v2</c>.</summary>
    public Dictionary<string, string> Labels { get; } = new(StringComparer.Ordinal);

    /// <summary>The local application's port; null for a client-only workload.</summary>
    public int? AppPort { get; set; }

    /// <summary>Port taking mesh traffic for the application. Default 15006; 0 picks a free port.</summary>
    public int InboundPort { get; set; } = 15006;

    /// <summary>Port the application sends its outbound calls to. Default 15001; 0 picks a free port.</summary>
    public int OutboundPort { get; set; } = 15001;

    /// <summary>Admin port (readiness, config dump, clusters). Default 15000; 0 picks a free port.</summary>
    public int AdminPort { get; set; } = 15000;

    /// <summary>Address other sidecars reach this one at (the inbound listener binds it). Default 127.0.0.1.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Local state: the last good config snapshot. Default <c>./.mesh-sidecar</c>.</summary>
    public string DataDir { get; set; } = "./.mesh-sidecar";

    /// <summary>Instance name shown in proxy-status; default <c>service-address-inboundport</c>.</summary>
    public string? Instance { get; set; }

    /// <summary>
    /// How request paths are normalized for authorization, routing and forwarding. Default
    /// <see cref="CanonicalPathMode.Strict"/> (stricter than Istio's default BASE); Istio's NONE, BASE,
    /// MERGE_SLASHES and DECODE_AND_MERGE_SLASHES are offered for compatibility.
    /// </summary>
    public CanonicalPathMode PathNormalization { get; set; } = CanonicalPathMode.Strict;

    /// <summary>Minimum log level. Default information.</summary>
    public LogLevel LogLevel { get; set; } = LogLevel.Information;

    /// <summary>Access-log line format (issue 6), used when a Telemetry resource enables access logs. Default text.</summary>
    public AccessLogging.AccessLogFormat AccessLogFormat { get; set; } = AccessLogging.AccessLogFormat.Text;

    /// <summary>Where access-log lines go (issue 6): <c>stdout</c> (default) or a file, appended to.</summary>
    public string AccessLogPath { get; set; } = "stdout";

    /// <summary>
    /// The workload certificate source to use instead of a registered one (in-process hosts and tests); null uses
    /// the DI registration, if any. Without a source the sidecar speaks plaintext only.
    /// </summary>
    internal Security.IWorkloadCertificateSource? CertificateSource { get; set; }

    /// <summary>
    /// File holding the bootstrap token (from <c>meshctl token create</c>) that obtains the first workload
    /// certificate; <c>--token-file</c> / <c>MESH_TOKEN_FILE</c>. Without a token the sidecar has no certificate.
    /// </summary>
    public string? TokenFile { get; set; }

    /// <summary>The bootstrap token itself, from the <c>MESH_TOKEN</c> environment variable only (never a flag: flags show in process lists).</summary>
    public string? Token { get; set; }

    /// <summary>
    /// Tracing (issue 6): the OTLP endpoint spans are exported to (<c>--tracing-endpoint</c>); null (default) exports
    /// nothing, while trace headers and <c>x-request-id</c> are still propagated.
    /// </summary>
    public Uri? TracingEndpoint { get; set; }

    /// <summary>Tracing (issue 6): the OTLP transport (<c>--tracing-protocol</c>). Default OTLP/HTTP protobuf.</summary>
    public Tracing.TracingProtocol TracingProtocol { get; set; } = Tracing.TracingProtocol.HttpProtobuf;
}
