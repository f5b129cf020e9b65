using System.Globalization;
using Microsoft.Extensions.Logging;

namespace Runtime.Abstractions.CommandLine;

/// <summary>Readers for the value types flags share; each returns the problem, or null when the value is good.</summary>
public static class FlagValues
{
    /// <summary>Reads a port, 0-65535 (0 picks a free port).</summary>
    public static string? ReadPort(string value, Action<int> set)
    {
        ArgumentNullException.ThrowIfNull(set);
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port > 65535)
        {
            return "is not a port number; use 0-65535 (0 picks a free port)";
        }

        set(port);
        return null;
    }

    /// <summary>Reads a log level name: trace, debug, information (info), warning (warn), error, critical or none.</summary>
    public static string? ReadLogLevel(string value, Action<LogLevel> set)
    {
        ArgumentNullException.ThrowIfNull(set);
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

        set(level.Value);
        return null;
    }
}
