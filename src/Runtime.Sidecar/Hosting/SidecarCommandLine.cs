using System.Globalization;
using Runtime.Abstractions.CommandLine;
using Runtime.Abstractions.Http;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Hosting;

/// <summary>The sidecar's flags and environment variables (Kubernetes injection sets the variables).</summary>
internal static class SidecarCommandLine
{
    public const string DefaultControlPlane = "http://127.0.0.1:15010";

    public static FlagSet<SidecarOptions> Flags { get; } = new(
        "Runtime.Sidecar - the Runtime mesh sidecar",
        "Runtime.Sidecar --service NAME [flags]",
        [
            new("--control-plane", "MESH_CONTROL_PLANE", "control-plane gRPC address; give several for replicas, tried in turn", DefaultControlPlane, ReadControlPlane, o => o.ControlPlanes.Clear()),
            new("--service", "MESH_SERVICE", "the service this workload is an instance of (required)", "none", (o, v) => { o.Service = v; return null; }),
            new("--namespace", "MESH_NAMESPACE", "the workload's namespace", "default", (o, v) => { o.Namespace = v; return null; }),
            new("--service-account", "MESH_SERVICE_ACCOUNT", "the workload's service account", "default", (o, v) => { o.ServiceAccount = v; return null; }),
            new("--label", "MESH_LABELS", "workload label key=value, e.g. app=reviews", "none", ReadLabel, o => o.Labels.Clear()),
            new("--app-port", "MESH_APP_PORT", "the local application's port; omit for a client-only workload", "none", (o, v) => FlagValues.ReadPort(v, p => o.AppPort = p)),
            new("--inbound-port", "MESH_INBOUND_PORT", "port for mesh traffic to the application; 0 picks a free port", "15006", (o, v) => FlagValues.ReadPort(v, p => o.InboundPort = p)),
            new("--outbound-port", "MESH_OUTBOUND_PORT", "port the application sends outbound calls to; 0 picks a free port", "15001", (o, v) => FlagValues.ReadPort(v, p => o.OutboundPort = p)),
            new("--admin-port", "MESH_ADMIN_PORT", "admin port (/ready, /config_dump, /clusters); 0 picks a free port", "15000", (o, v) => FlagValues.ReadPort(v, p => o.AdminPort = p)),
            new("--address", "MESH_ADDRESS", "IP address other sidecars reach this one at", "127.0.0.1", (o, v) => { o.Address = v; return null; }),
            new("--data-dir", "MESH_DATA_DIR", "local state: the last good config", "./.mesh-sidecar", (o, v) => { o.DataDir = v; return null; }),
            new("--instance", "MESH_INSTANCE", "instance name shown by meshctl proxy-status", "service-address-port", (o, v) => { o.Instance = v; return null; }),
            new("--path-normalization", "MESH_PATH_NORMALIZATION", "request path normalization: STRICT, or Istio's NONE, BASE, MERGE_SLASHES, DECODE_AND_MERGE_SLASHES", "STRICT", ReadPathNormalization),
            new("--token-file", "MESH_TOKEN_FILE", "file holding the bootstrap token for the first workload certificate (or set MESH_TOKEN)", "none", (o, v) => { o.TokenFile = v; return null; }),
            new("--access-log-format", "MESH_ACCESS_LOG_FORMAT", "access-log lines (when a Telemetry enables them): text (Envoy's default format) or json", "text", ReadAccessLogFormat),
            new("--access-log-path", "MESH_ACCESS_LOG_PATH", "where access-log lines go: stdout or a file path (appended to)", "stdout", (o, v) => { o.AccessLogPath = v; return null; }),
            new("--tracing-endpoint", "MESH_TRACING_ENDPOINT", "OTLP collector URL spans are exported to, e.g. http://otel-collector:4318 (http) or http://otel-collector:4317 (grpc)", "none: no export", ReadTracingEndpoint),
            new("--tracing-protocol", "MESH_TRACING_PROTOCOL", "OTLP transport for spans: http (HTTP/protobuf, /v1/traces) or grpc", "http", ReadTracingProtocol),
            new("--log-level", "MESH_LOG_LEVEL", "trace, debug, information, warning, error, critical or none", "information", (o, v) => FlagValues.ReadLogLevel(v, l => o.LogLevel = l)),
        ]);

    private static string? ReadControlPlane(SidecarOptions options, string value)
    {
        var text = value.Contains("://", StringComparison.Ordinal) ? value : "http://" + value;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return $"is not an http:// or https:// address such as {DefaultControlPlane}";
        }

        options.ControlPlanes.Add(uri);
        return null;
    }

    private static string? ReadPathNormalization(SidecarOptions options, string value)
    {
        var mode = CanonicalPathModeNames.Parse(value);
        if (mode is null)
        {
            return "is not one of " + CanonicalPathModeNames.All;
        }

        options.PathNormalization = mode.Value;
        return null;
    }

    // Access logs (issue 6).
    private static string? ReadAccessLogFormat(SidecarOptions options, string value)
    {
        switch (value.ToLowerInvariant())
        {
            case "text":
                options.AccessLogFormat = AccessLogging.AccessLogFormat.Text;
                return null;
            case "json":
                options.AccessLogFormat = AccessLogging.AccessLogFormat.Json;
                return null;
            default:
                return "is not text or json";
        }
    }

    // Tracing (issue 6); with http, SpanExport adds /v1/traces to a URL without a path, once the protocol is known.
    private static string? ReadTracingEndpoint(SidecarOptions options, string value)
    {
        if (!Uri.TryCreate(value, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
        {
            return "is not an http:// or https:// URL such as http://otel-collector:4318";
        }

        options.TracingEndpoint = uri;
        return null;
    }

    private static string? ReadTracingProtocol(SidecarOptions options, string value)
    {
        switch (value.ToLowerInvariant())
        {
            case "http" or "http/protobuf":
                options.TracingProtocol = Tracing.TracingProtocol.HttpProtobuf;
                return null;
            case "grpc":
                options.TracingProtocol = Tracing.TracingProtocol.Grpc;
                return null;
            default:
                return "is not http or grpc";
        }
    }

    private static string? ReadLabel(SidecarOptions options, string value)
    {
        var equals = value.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0)
        {
            return "is not key=value, e.g. version=v2";
        }

        options.Labels[value[..equals].Trim()] = value[(equals + 1)..].Trim();
        return null;
    }

    /// <summary>Checks the options as a whole; every problem is returned, each naming its flag.</summary>
    public static IReadOnlyList<string> Validate(SidecarOptions options)
    {
        var problems = new List<string>();
        if (options.Service.Length == 0)
        {
            problems.Add("--service (MESH_SERVICE) is required: the service this workload is an instance of, e.g. --service reviews");
        }
        else if (!IsDnsLabel(options.Service))
        {
            problems.Add($"--service (MESH_SERVICE) '{options.Service}' is not a DNS label (lower-case letters, digits and '-', at most 63)");
        }

        if (!IsDnsLabel(options.Namespace))
        {
            problems.Add($"--namespace (MESH_NAMESPACE) '{options.Namespace}' is not a DNS label (lower-case letters, digits and '-', at most 63)");
        }

        if (options.TokenFile is { Length: > 0 } tokenFile && !File.Exists(tokenFile))
        {
            problems.Add($"--token-file (MESH_TOKEN_FILE) '{tokenFile}' does not exist; create it with: meshctl token create --namespace {options.Namespace} --service-account {options.ServiceAccount} > {tokenFile}");
        }

        if (!System.Net.IPAddress.TryParse(options.Address, out _))
        {
            problems.Add($"--address (MESH_ADDRESS) '{options.Address}' is not an IP address");
        }

        var ports = new (string Flag, int? Port)[] { ("--inbound-port", options.InboundPort), ("--outbound-port", options.OutboundPort), ("--admin-port", options.AdminPort), ("--app-port", options.AppPort) };
        foreach (var clash in ports.Where(p => p.Port is > 0).GroupBy(p => p.Port).Where(g => g.Count() > 1))
        {
            problems.Add(string.Create(CultureInfo.InvariantCulture, $"{string.Join(" and ", clash.Select(p => p.Flag))} are all {clash.Key}; each needs its own port"));
        }

        if (options.AppPort == 0)
        {
            problems.Add("--app-port (MESH_APP_PORT) 0 is not a port the application can listen on; omit it for a client-only workload");
        }

        return problems;
    }

    private static bool IsDnsLabel(string value) =>
        value.Length is > 0 and <= 63 && value.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-') && value[0] != '-' && value[^1] != '-';
}
