using System.Reflection;

namespace Runtime.Sidecar.Hosting;

/// <summary>Starts sidecars: in-process for tests, or as the process entry point.</summary>
public static class SidecarHost
{
    /// <summary>The sidecar's version, reported to the control plane.</summary>
    public static string Version { get; } =
        typeof(SidecarHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "unknown";

    /// <summary>Validates <paramref name="options"/> and starts a sidecar; throws <see cref="ArgumentException"/> listing every problem.</summary>
    public static async Task<RunningSidecar> StartAsync(SidecarOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = SidecarCommandLine.Validate(options);
        if (problems.Count > 0)
        {
            throw new ArgumentException("invalid sidecar options:\n  - " + string.Join("\n  - ", problems), nameof(options));
        }

        var application = new SidecarApplication(options);
        try
        {
            return await application.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await application.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The process entry point: 0 after a clean stop, 2 for bad flags, 1 when start-up fails.</summary>
    public static async Task<int> RunAsync(string[] args, IReadOnlyDictionary<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parsed = SidecarCommandLine.Flags.Parse(args, environment);
        parsed.Options.Token = environment.TryGetValue("MESH_TOKEN", out var token) && !string.IsNullOrWhiteSpace(token) ? token.Trim() : null;
        if (parsed.HelpRequested)
        {
            await output.WriteAsync(SidecarCommandLine.Flags.HelpText).ConfigureAwait(false);
            return 0;
        }

        var problems = parsed.Errors.Concat(SidecarCommandLine.Validate(parsed.Options)).ToList();
        if (problems.Count > 0)
        {
            await error.WriteLineAsync("sidecar: invalid options:\n  - " + string.Join("\n  - ", problems) + "\nRun with --help for the flags and environment variables.").ConfigureAwait(false);
            return 2;
        }

        RunningSidecar running;
        try
        {
            running = await StartAsync(parsed.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (IOException ex)
        {
            await error.WriteLineAsync($"sidecar: could not start: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await using (running.ConfigureAwait(false))
        {
            await running.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }
}
