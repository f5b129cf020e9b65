using System.CommandLine;
using System.Globalization;
using Runtime.Cli.Api;

namespace Runtime.Cli.Commands;

/// <summary>
/// <c>meshctl ca status</c>: the mesh CA's signing root, trust domains, lifetimes, counters, trust bundle and root
/// rotation progress; <c>meshctl ca rotate</c> (<see cref="CaRotateCommand"/>).
/// </summary>
internal static class CaCommand
{
    public static Command Create(CliConsole console)
    {
        var status = new Command("status", "Show the CA's signing root, trust domains, issued/rejected counts, trust bundle and root rotation progress");
        CommandRunner.SetAction(status, console, async (parse, cancellationToken) =>
        {
            using var client = new MeshApiClient(GlobalOptions.ResolveServer(parse), parse.GetValue(GlobalOptions.RequestTimeout));
            var ca = await client.GetCaStatusAsync(cancellationToken).ConfigureAwait(false);
            var lines = new[]
            {
                $"Mode:                 {ca.Mode}",
                $"Root subject:         {ca.RootSubject}",
                $"Root SHA-256:         {ca.RootSha256}",
                $"Root expires:         {Timestamp(ca.RootNotAfter)}",
                $"Trust domain:         {ca.TrustDomain}",
                $"Trust domain aliases: {(ca.TrustDomainAliases.Count == 0 ? "<none>" : string.Join(", ", ca.TrustDomainAliases))}",
                $"Certificate TTL:      {Hours(ca.DefaultTtl)} (max {Hours(ca.MaxTtl)})",
                $"Issued:               {ca.Issued}",
                $"Rejected:             {ca.Rejected}",
            };
            foreach (var line in lines.Concat(RotationLines(ca)))
            {
                await console.Out.WriteLineAsync(line).ConfigureAwait(false);
            }

            return 0;
        });
        return new Command("ca", "The mesh certificate authority") { status, CaRotateCommand.Create(console) };
    }

    /// <summary>Phase, generation, the trust bundle (signing root marked) and the proxies' progress.</summary>
    internal static IEnumerable<string> RotationLines(CaStatusView ca)
    {
        yield return $"Rotation phase:       {ca.Phase} (next step: {NextStep(ca.Phase)})";
        yield return $"Generation:           {ca.Generation}";
        yield return $"Trust bundle:         {ca.Roots.Count} root{(ca.Roots.Count == 1 ? "" : "s")}";
        foreach (var root in ca.Roots)
        {
            yield return $"  {(root.Signing ? "* signing" : "  trusted")}  {root.Sha256}  {root.Subject}  expires {Timestamp(root.NotAfter)}";
        }

        yield return ProgressLine(ca);
        foreach (var lagging in ca.Progress.Lagging)
        {
            yield return $"  lagging: {lagging}";
        }
    }

    /// <summary>One line of progress: proxies trusting the current bundle and holding a leaf of the signing root.</summary>
    internal static string ProgressLine(CaStatusView ca) =>
        $"Proxies:              {ca.Progress.Proxies} reporting a certificate; {ca.Progress.TrustingCurrentBundle} trust generation {ca.Generation}; {ca.Progress.SignedBySigningRoot} hold a leaf of the signing root";

    /// <summary>The step that follows <paramref name="phase"/>.</summary>
    internal static string NextStep(string phase) => phase switch
    {
        "PREPARED" => "switch",
        "SWITCHED" => "finish",
        _ => "prepare",
    };

    private static string Timestamp(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private static string Hours(TimeSpan value) => value.TotalHours.ToString("0.###", CultureInfo.InvariantCulture) + "h";
}
