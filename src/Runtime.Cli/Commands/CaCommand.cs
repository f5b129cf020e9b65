using System.CommandLine;
using System.Globalization;
using Runtime.Cli.Api;

namespace Runtime.Cli.Commands;

/// <summary><c>meshctl ca status</c>: the mesh CA's root, trust domains, lifetimes and counters.</summary>
internal static class CaCommand
{
    public static Command Create(CliConsole console)
    {
        var status = new Command("status", "Show the CA's root (subject, SHA-256 fingerprint, expiry), trust domains and issued/rejected counts");
        CommandRunner.SetAction(status, console, async (parse, cancellationToken) =>
        {
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var ca = await client.GetCaStatusAsync(cancellationToken).ConfigureAwait(false);
            var lines = new[]
            {
                $"Mode:                 {ca.Mode}",
                $"Root subject:         {ca.RootSubject}",
                $"Root SHA-256:         {ca.RootSha256}",
                $"Root expires:         {ca.RootNotAfter.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)}",
                $"Trust domain:         {ca.TrustDomain}",
                $"Trust domain aliases: {(ca.TrustDomainAliases.Count == 0 ? "<none>" : string.Join(", ", ca.TrustDomainAliases))}",
                $"Certificate TTL:      {Hours(ca.DefaultTtl)} (max {Hours(ca.MaxTtl)})",
                $"Issued:               {ca.Issued}",
                $"Rejected:             {ca.Rejected}",
            };
            foreach (var line in lines)
            {
                await console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return 0;
        });
        return new Command("ca", "The mesh certificate authority") { status };
    }

    private static string Hours(TimeSpan value) => value.TotalHours.ToString("0.###", CultureInfo.InvariantCulture) + "h";
}
