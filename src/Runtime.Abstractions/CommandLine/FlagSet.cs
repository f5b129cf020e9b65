using System.Globalization;
using System.Text;

namespace Runtime.Abstractions.CommandLine;

/// <summary>
/// Reads a process's options from environment variables, then from flags (<c>--flag value</c> or
/// <c>--flag=value</c>), so flags win. Every unreadable value is reported, not just the first — the way the
/// control plane and the sidecar both start.
/// </summary>
/// <typeparam name="TOptions">The options type; a new instance is created per parse.</typeparam>
public sealed class FlagSet<TOptions>
    where TOptions : new()
{
    private readonly string _title;
    private readonly string _usage;
    private readonly IReadOnlyList<FlagSetting<TOptions>> _settings;

    /// <summary>Creates a flag set.</summary>
    /// <param name="title">First line of <c>--help</c>.</param>
    /// <param name="usage">Usage line of <c>--help</c>, e.g. <c>Runtime.Silo [flags]</c>.</param>
    /// <param name="settings">The settings, in the order help lists them.</param>
    public FlagSet(string title, string usage, IReadOnlyList<FlagSetting<TOptions>> settings)
    {
        _title = title;
        _usage = usage;
        _settings = settings;
    }

    /// <summary>The <c>--help</c> text: every flag with its variable, description and default.</summary>
    public string HelpText
    {
        get
        {
            var text = new StringBuilder();
            text.AppendLine(_title).AppendLine().AppendLine(CultureInfo.InvariantCulture, $"Usage: {_usage}").AppendLine();
            text.AppendLine("Flags (each can also be set by the environment variable shown; the flag wins):");
            foreach (var setting in _settings)
            {
                var repeat = setting.Repeatable ? " (repeatable; the variable takes a comma-separated list)" : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"  {setting.Flag + " <value>",-26} {setting.Variable,-20} {setting.Description}{repeat} (default {setting.Default})");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  {"--help, -h",-26} {"",-20} print this help");
            return text.ToString();
        }
    }

    /// <summary>Parses <paramref name="args"/> over the values of <paramref name="environment"/>.</summary>
    public FlagParseResult<TOptions> Parse(IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(environment);
        var options = new TOptions();
        var errors = new List<string>();
        var help = false;

        foreach (var setting in _settings)
        {
            if (!environment.TryGetValue(setting.Variable, out var value) || string.IsNullOrEmpty(value))
            {
                continue;
            }

            var values = setting.Repeatable ? value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [value];
            foreach (var one in values)
            {
                if (setting.Apply(options, one) is { } problem)
                {
                    errors.Add($"{setting.Flag} ({setting.Variable}): {setting.Variable}='{one}' {problem}");
                }
            }
        }

        var resetDone = new HashSet<FlagSetting<TOptions>>();
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
            var setting = _settings.FirstOrDefault(s => string.Equals(s.Flag, flag, StringComparison.Ordinal));
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

            if (setting.Reset is { } reset && resetDone.Add(setting))
            {
                reset(options);
            }

            if (setting.Apply(options, value) is { } problem)
            {
                errors.Add($"{setting.Flag} ({setting.Variable}): {setting.Flag} '{value}' {problem}");
            }
        }

        return new FlagParseResult<TOptions>(options, errors, help);
    }
}
