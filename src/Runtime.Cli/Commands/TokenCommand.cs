using System.CommandLine;
using Runtime.Cli.Api;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl token create --namespace NS --service-account SA [--ttl 24h]</c>: prints a bootstrap token (and only
/// it) on stdout, so <c>meshctl token create ... &gt; token</c> makes a file for the sidecar's <c>--token-file</c>.
/// </summary>
internal static class TokenCommand
{
    public static Command Create(CliConsole console)
    {
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace the token proves", Required = true };
        var serviceAccount = new Option<string>("--service-account") { Description = "Service account the token proves", Required = true };
        var ttl = new Option<TimeSpan?>("--ttl") { Description = "How long the token is accepted, e.g. 1h (default 24h)", CustomParser = r => DurationText.Parse(r) };
        var create = new Command("create", "Create a bootstrap token bound to one namespace and service account; printed on stdout") { ns, serviceAccount, ttl };
        CommandRunner.SetAction(create, console, async (parse, cancellationToken) =>
        {
            var lifetime = parse.GetValue(ttl);
            if (lifetime is { } given && given <= TimeSpan.Zero)
            {
                throw new CliException("--ttl must be longer than 0, for example 24h");
            }

            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var token = await client.CreateTokenAsync(parse.GetValue(ns)!, parse.GetValue(serviceAccount)!, lifetime, cancellationToken).ConfigureAwait(false);
            await console.Out.WriteLineAsync(token.Token).ConfigureAwait(false);
            await console.Error.WriteLineAsync($"token for namespace {parse.GetValue(ns)}, service account {parse.GetValue(serviceAccount)}, expires {token.ExpiresAt.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}; keep it secret").ConfigureAwait(false);
            return 0;
        });
        return new Command("token", "Bootstrap tokens that let a sidecar obtain its first certificate") { create };
    }
}
