using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Runtime.Silo.Hosting;

/// <summary>
/// Reads <see cref="SiloOptions"/> from environment variables, then flags (<c>--flag value</c> or
/// <c>--flag=value</c>), so flags override variables. Every unreadable value is reported, not just the first.
/// </summary>
internal static class SiloCommandLine
{
    private static readonly Setting[] Settings =
    [
        new("--grpc-port", "MESH_GRPC_PORT", "gRPC (h2c) port; 0 picks a free port", "15010", (o, v) => ReadPort(v, p => o.GrpcPort = p)),
        new("--http-port", "MESH_HTTP_PORT", "HTTP port for /healthz, /readyz and /metrics; 0 picks a free port", "15014", (o, v) => ReadPort(v, p => o.HttpPort = p)),
        new("--listen-address", "MESH_LISTEN_ADDRESS", "IP address both ports listen on", "127.0.0.1", (o, v) => { o.ListenAddress = v; return null; }),
        new("--data-dir", "MESH_DATA_DIR", "directory for mesh.db and silo.ports.json", "./.mesh", (o, v) => { o.DataDir = v; return null; }),
        new("--store", "MESH_STORE", "config store: sqlite (postgres arrives in a later version)", "sqlite", ReadStore),
        new("--log-level", "MESH_LOG_LEVEL", "trace, debug, information, warning, error, critical or none", "information", ReadLogLevel),
    ];

    public static string HelpText
    {
        get
        {
            var text = new System.Text.StringBuilder();
            text.AppendLine("Runtime.Silo - the Runtime mesh control plane");
            text.AppendLine();
            text.AppendLine("Usage: Runtime.Silo [flags]");
            text.AppendLine();
            text.AppendLine("Flags (each can also be set by the environment variable shown; the flag wins):");
            foreach (var setting in Settings)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"  {setting.Flag + " <value>",-26} {setting.Variable,-20} {setting.Description} (default {setting.Default})");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  {"--help, -h",-26} {"",-20} print this help");
            return text.ToString();
        }
    }

    public static SiloCommandLineResult Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new SiloOptions();
        var errors = new List<string>();
        var help = false;

        foreach (var setting in Settings)
        {
            if (environment.TryGetValue(setting.Variable, out var value) && !string.IsNullOrEmpty(value)
                && setting.Apply(options, value) is { } problem)
            {
                errors.Add($"{setting.Flag} ({setting.Variable}): {setting.Variable}='{value}' {problem}");
            }
        }

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                help = true;
                continue;
            }

            var equals = arg.IndexOf('=', StringComparison.Ordinal);
            var flag = equals > 0 ? arg[..equals] : arg;
            var setting = Array.Find(Settings, s => string.Equals(s.Flag, flag, StringComparison.Ordinal));
            if (setting is null)
            {
                errors.Add($"unknown argument '{arg}'; run with --help for the flags");
                continue;
            }

            string value;
            if (equals > 0)
            {
                value = arg[(equals + 1)..];
            }
            else if (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = args[++i];
            }
            else
            {
                errors.Add($"{setting.Flag} ({setting.Variable}) needs a value: {setting.Description}");
                continue;
            }

            if (setting.Apply(options, value) is { } problem)
            {
                errors.Add($"{setting.Flag} ({setting.Variable}): {setting.Flag} '{value}' {problem}");
            }
        }

        return new SiloCommandLineResult(options, errors, help);
    }

    private static string? ReadPort(string value, Action<int> set)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return "is not a port number; use 0-65535 (0 picks a free port)";
        }

        set(port);
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

    private static string? ReadLogLevel(SiloOptions options, string value)
    {
        LogLevel? level = value.ToUpperInvariant() switch
        {
            "TRACE" => LogLevel.Trace,
            "DEBUG" => LogLevel.Debug,
            "INFO" or "INFORMATION" => LogLevel.Information,
            "WARN" or "WARNING" => LogLevel.Warning,
            "ERROR" => LogLevel.Error,
            "CRITICAL" => LogLevel.Critical,
            "NONE" => LogLevel.None,
            _ => null,
        };
        if (level is null)
        {
            return "is not a log level; use trace, debug, information, warning, error, critical or none";
        }

        options.LogLevel = level.Value;
        return null;
    }

    private sealed record Setting(string Flag, string Variable, string Description, string Default, Func<SiloOptions, string, string?> Apply);
}
