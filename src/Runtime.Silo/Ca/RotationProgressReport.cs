using Runtime.Silo.Discovery;

namespace Runtime.Silo.Ca;

/// <summary>
/// How far the connected proxies that report a certificate have followed the CA's current state: the gate of the
/// SWITCH step (all must trust the current bundle) and of the FINISH step (all must hold a leaf of the signing root).
/// </summary>
/// <param name="Proxies">Connected proxies reporting a certificate.</param>
/// <param name="TrustingCurrentBundle">Of those, how many verify peers with a bundle of the current generation (or later).</param>
/// <param name="SignedBySigningRoot">Of those, how many hold a leaf chaining to the signing root.</param>
/// <param name="Lagging">Proxies behind on either count, at most <see cref="MaxLagging"/>, ordered by proxy id.</param>
internal sealed record RotationProgressReport(int Proxies, int TrustingCurrentBundle, int SignedBySigningRoot, IReadOnlyList<LaggingProxyReport> Lagging)
{
    /// <summary>Most lagging proxies listed.</summary>
    public const int MaxLagging = 20;

    /// <summary>The progress of <paramref name="proxies"/> towards <paramref name="state"/>.</summary>
    public static RotationProgressReport Of(CaState state, IEnumerable<RegisteredProxy> proxies)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(proxies);
        int count = 0, trusting = 0, signed = 0;
        var lagging = new List<LaggingProxyReport>();
        foreach (var proxy in proxies.Where(p => p.Connected).OrderBy(p => p.Id, StringComparer.Ordinal))
        {
            if (proxy.Certificate is not { } report)
            {
                continue;
            }

            count++;
            var trusts = report.TrustBundleGeneration >= state.Generation;
            var holds = string.Equals(report.RootSha256, state.SigningRootSha256, StringComparison.Ordinal);
            trusting += trusts ? 1 : 0;
            signed += holds ? 1 : 0;
            if ((!trusts || !holds) && lagging.Count < MaxLagging)
            {
                lagging.Add(new LaggingProxyReport(proxy.Id, report.SpiffeId, report.RootSha256, report.TrustBundleGeneration));
            }
        }

        return new RotationProgressReport(count, trusting, signed, lagging);
    }

    /// <summary>
    /// Why <paramref name="step"/> would break handshakes now, or null when every reporting proxy is ready for it:
    /// SWITCH needs every proxy to trust the current bundle, FINISH every proxy to hold a leaf of the signing root.
    /// </summary>
    public string? Blocks(RotationStep step, CaState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var (ready, what) = step switch
        {
            RotationStep.Switch => (TrustingCurrentBundle, $"trust the bundle of generation {state.Generation} (old and new root)"),
            RotationStep.Finish => (SignedBySigningRoot, $"hold a leaf of the new root {state.SigningRootSha256[..12]}"),
            _ => (Proxies, ""),
        };
        if (ready >= Proxies)
        {
            return null;
        }

        const int Named = 5;
        var behind = Lagging.Where(l => step == RotationStep.Switch
            ? l.TrustBundleGeneration < state.Generation
            : !string.Equals(l.RootSha256, state.SigningRootSha256, StringComparison.Ordinal));
        var names = string.Join(", ", behind.Take(Named));
        var more = Proxies - ready > Named ? $" and {Proxies - ready - Named} more" : "";
        return $"{Proxies - ready} of {Proxies} connected proxies do not yet {what}: {names}{more}; wait (meshctl ca status shows progress) or pass --force, at the risk of failed handshakes";
    }
}
