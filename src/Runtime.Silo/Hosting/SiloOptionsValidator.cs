using System.Net;
using Microsoft.Extensions.Options;

namespace Runtime.Silo.Hosting;

/// <summary>Checks every <see cref="SiloOptions"/> value and reports all problems at once, naming flag and variable.</summary>
internal sealed class SiloOptionsValidator : IValidateOptions<SiloOptions>
{
    public ValidateOptionsResult Validate(string? name, SiloOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        CheckPort(options.GrpcPort, "--grpc-port", "MESH_GRPC_PORT", failures);
        CheckPort(options.HttpPort, "--http-port", "MESH_HTTP_PORT", failures);
        if (options.GrpcPort != 0 && options.GrpcPort == options.HttpPort)
        {
            failures.Add($"--grpc-port (MESH_GRPC_PORT) and --http-port (MESH_HTTP_PORT) are both {options.GrpcPort}; give them different ports");
        }

        if (TryParseAddress(options.ListenAddress) is null)
        {
            failures.Add($"--listen-address (MESH_LISTEN_ADDRESS): '{options.ListenAddress}' is not an IP address; use for example 127.0.0.1, 0.0.0.0 or ::");
        }

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add("--data-dir (MESH_DATA_DIR) is empty; give a directory for the database, for example ./.mesh");
        }
        else if (File.Exists(options.DataDir))
        {
            failures.Add($"--data-dir (MESH_DATA_DIR): '{options.DataDir}' is a file; give a directory");
        }

        if (options.Store == StoreKind.Postgres)
        {
            failures.Add("--store (MESH_STORE): the PostgreSQL store arrives in a later version of Runtime mesh; use --store sqlite (the default) for now");
        }
        else if (!Enum.IsDefined(options.Store))
        {
            failures.Add($"--store (MESH_STORE): '{options.Store}' is not a store; use sqlite");
        }

        if (options.EndpointTtl <= options.HeartbeatInterval)
        {
            failures.Add($"--endpoint-ttl (MESH_ENDPOINT_TTL) {options.EndpointTtl.TotalSeconds:0.###}s must be longer than --heartbeat-interval (MESH_HEARTBEAT_INTERVAL) {options.HeartbeatInterval.TotalSeconds:0.###}s, or sidecars expire between heartbeats; use about three intervals");
        }

        Ca.CaSettings.Validate(options, failures);
        Traffic.PrometheusUrl.Validate(options.PrometheusUrl, failures); // issue 6

        if (!Enum.IsDefined(options.LogLevel))
        {
            failures.Add($"--log-level (MESH_LOG_LEVEL): '{options.LogLevel}' is not a log level; use trace, debug, information, warning, error, critical or none");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>The address to bind, or <see langword="null"/> when the text is not one.</summary>
    public static IPAddress? TryParseAddress(string? text) =>
        string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase) ? IPAddress.Loopback
        : IPAddress.TryParse(text, out var address) ? address
        : null;

    private static void CheckPort(int port, string flag, string variable, List<string> failures)
    {
        if (port is < 0 or > 65535)
        {
            failures.Add($"{flag} ({variable}): {port} is out of range; use 0-65535 (0 picks a free port)");
        }
    }
}
