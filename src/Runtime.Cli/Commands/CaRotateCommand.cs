using System.CommandLine;
using Runtime.Cli.Api;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl ca rotate [--step prepare|switch|finish] [--force] [--timeout 5m]</c>: rotates the CA's root in three
/// steps with no failed handshake. Without <c>--step</c> it runs every remaining step from the current phase (so an
/// interrupted rotation resumes), and before SWITCH and FINISH waits until every connected proxy has caught up
/// (polling <c>ca status</c>): all trust the combined bundle before the new root signs, all hold a leaf of the new
/// root before the old one is dropped. <c>--force</c> neither waits nor lets the control plane refuse.
/// </summary>
internal static class CaRotateCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(500);

    public static Command Create(CliConsole console)
    {
        var step = new Option<string?>("--step") { Description = "Run only this step: prepare, switch or finish (default: every remaining step, waiting for the proxies in between)" };
        step.AcceptOnlyFromAmong("prepare", "switch", "finish");
        var force = new Option<bool>("--force") { Description = "Run the step(s) even though connected proxies have not caught up (their handshakes may fail)" };
        var timeout = new Option<TimeSpan?>("--timeout") { Description = "How long to wait for the proxies before each step, e.g. 10m (default 5m)", CustomParser = r => DurationText.Parse(r) };
        var rotate = new Command("rotate", "Rotate the CA's root: publish the combined trust bundle, switch the signer, drop the old root") { step, force, timeout };
        CommandRunner.SetAction(rotate, console, async (parse, cancellationToken) =>
        {
            var wait = parse.GetValue(timeout) ?? TimeSpan.FromMinutes(5);
            if (wait <= TimeSpan.Zero)
            {
                throw new CliException("--timeout must be longer than 0, for example 5m");
            }

            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var forced = parse.GetValue(force);
            var ca = await client.GetCaStatusAsync(cancellationToken).ConfigureAwait(false);
            string[] steps = parse.GetValue(step) is { } one ? [one] : Remaining(ca.Phase);
            var single = parse.GetValue(step) is not null;
            await console.Out.WriteLineAsync($"CA generation {ca.Generation}, phase {ca.Phase}; running {string.Join(", then ", steps)}").ConfigureAwait(false);
            foreach (var next in steps)
            {
                if (!single && !forced)
                {
                    ca = await WaitAsync(client, console, next, wait, cancellationToken).ConfigureAwait(false);
                }

                ca = await client.RotateRootAsync(next, forced, cancellationToken).ConfigureAwait(false);
                await console.Out.WriteLineAsync($"{next}: done; generation {ca.Generation}, phase {ca.Phase}, {ca.Roots.Count} root{(ca.Roots.Count == 1 ? "" : "s")} trusted, signing root {ca.RootSha256}").ConfigureAwait(false);
            }

            if (!single && !forced)
            {
                // The old root is gone from the bundle once every proxy holds the final generation.
                ca = await WaitAsync(client, console, null, wait, cancellationToken).ConfigureAwait(false);
                await console.Out.WriteLineAsync($"rotation complete: every connected proxy trusts only root {ca.RootSha256}").ConfigureAwait(false);
            }

            return 0;
        });
        return rotate;
    }

    private static string[] Remaining(string phase) => phase switch
    {
        "PREPARED" => ["switch", "finish"],
        "SWITCHED" => ["finish"],
        _ => ["prepare", "switch", "finish"],
    };

    /// <summary>
    /// Polls until the proxies are ready for <paramref name="step"/> (switch: all trust the current bundle; finish: all
    /// hold a leaf of the signing root; null: all trust the current bundle), printing progress when it changes.
    /// </summary>
    private static async Task<CaStatusView> WaitAsync(MeshApiClient client, CliConsole console, string? step, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        string? printed = null;
        while (true)
        {
            var ca = await client.GetCaStatusAsync(cancellationToken).ConfigureAwait(false);
            var progress = ca.Progress;
            var ready = step == "finish" ? progress.SignedBySigningRoot : step == "prepare" ? progress.Proxies : progress.TrustingCurrentBundle;
            var line = CaCommand.ProgressLine(ca).Replace("Proxies:              ", "  waiting: ", StringComparison.Ordinal);
            if (line != printed)
            {
                await console.Out.WriteLineAsync(line).ConfigureAwait(false);
                printed = line;
            }

            if (ready >= progress.Proxies)
            {
                return ca;
            }

            if (DateTimeOffset.UtcNow >= deadline)
            {
                var what = step == "finish" ? "hold a leaf of the new root" : $"trust the bundle of generation {ca.Generation}";
                var resume = step is null ? "the rotation itself is complete" : $"the CA stays {ca.Phase}; resume with meshctl ca rotate, or run --step {step} --force at the risk of failed handshakes";
                var message = $"timed out after {timeout.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)}s: {progress.Proxies - ready} of {progress.Proxies} connected proxies do not yet {what}; {resume}";
                throw new CliException(message, ["error: " + message, .. progress.Lagging.Take(10).Select(l => "  lagging: " + l)]);
            }

            await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }
}
