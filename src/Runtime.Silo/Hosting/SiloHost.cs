using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Runtime.Silo.Hosting;

/// <summary>Starts the control plane, in-process (tests, embedding) or as the process entry point.</summary>
public static class SiloHost
{
    /// <summary>Exit code for invalid options.</summary>
    public const int InvalidOptionsExitCode = 2;

    /// <summary>
    /// Validates <paramref name="options"/>, opens the store and starts both listeners; returns once the
    /// silo is ready. Use port 0 to pick free ports and read them from the result.
    /// </summary>
    /// <param name="options">The settings.</param>
    /// <param name="cancellationToken">Cancels start-up.</param>
    /// <exception cref="OptionsValidationException">Some options are invalid; <c>Failures</c> lists every one.</exception>
    public static Task<RunningSilo> StartAsync(SiloOptions options, CancellationToken cancellationToken) =>
        StartAsync(options, configureServices: null, cancellationToken);

    /// <summary>As <see cref="StartAsync(SiloOptions, CancellationToken)"/>, letting tests replace services.</summary>
    internal static async Task<RunningSilo> StartAsync(SiloOptions options, Action<IServiceCollection>? configureServices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var validation = new SiloOptionsValidator().Validate(Options.DefaultName, options);
        if (validation.Failed)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(SiloOptions), validation.Failures);
        }

        var application = new SiloApplication(options, configureServices);
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

    /// <summary>
    /// The process entry point: reads flags and environment, prints help or every option error
    /// (exit code 2), runs until SIGTERM/Ctrl+C. Start-up failures print one line, no stack trace (exit code 1).
    /// </summary>
    /// <param name="args">Command-line arguments.</param>
    /// <param name="environment">Environment variables (the <c>MESH_*</c> ones are read).</param>
    /// <param name="output">Where help goes.</param>
    /// <param name="error">Where errors go.</param>
    /// <param name="cancellationToken">Stops the silo.</param>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> args, IReadOnlyDictionary<string, string?> environment, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var parsed = SiloCommandLine.Parse(args, environment);
        if (parsed.HelpRequested)
        {
            await output.WriteAsync(SiloCommandLine.HelpText).ConfigureAwait(false);
            return 0;
        }

        var failures = parsed.Errors.ToList();
        var validation = new SiloOptionsValidator().Validate(Options.DefaultName, parsed.Options);
        if (validation.Failed)
        {
            failures.AddRange(validation.Failures);
        }

        if (failures.Count > 0)
        {
            await error.WriteLineAsync("silo: invalid options:").ConfigureAwait(false);
            foreach (var failure in failures)
            {
                await error.WriteLineAsync("  - " + failure).ConfigureAwait(false);
            }

            await error.WriteLineAsync("Run with --help for the flags and environment variables.").ConfigureAwait(false);
            return InvalidOptionsExitCode;
        }

        RunningSilo silo;
        try
        {
            silo = await StartAsync(parsed.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await error.WriteLineAsync($"silo: failed to start: {Describe(ex)}").ConfigureAwait(false);
            return 1;
        }

        await using (silo.ConfigureAwait(false))
        {
            try
            {
                await silo.WaitForShutdownAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Asked to stop.
            }
        }

        return 0;
    }

    private static string Describe(Exception exception)
    {
        var message = exception.Message;
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            message += " -> " + inner.Message;
        }

        return message;
    }
}
