using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Cli.Api;

/// <summary>The CA calls of the management API (<c>runtime.mesh.v1.CertificateService</c>).</summary>
internal sealed partial class MeshApiClient
{
    private const string CertificateService = "/runtime.mesh.v1.CertificateService/";

    /// <summary>Creates a bootstrap token for one namespace/service account; null TTL is the server's default.</summary>
    public async Task<CreatedToken> CreateTokenAsync(string @namespace, string serviceAccount, TimeSpan? ttl, CancellationToken cancellationToken)
    {
        var request = new V1.CreateTokenRequest { Namespace = @namespace, ServiceAccount = serviceAccount, TtlSeconds = ttl is { } t ? (long)Math.Ceiling(t.TotalSeconds) : 0 };
        var reply = await CallAsync(CertificateService, "CreateToken", request, V1.CreateTokenResponse.Parser, cancellationToken).ConfigureAwait(false);
        return new CreatedToken(reply.Token, reply.ExpiresAt.ToDateTimeOffset());
    }

    /// <summary>The CA's roots, trust domains, counters and root rotation progress.</summary>
    public async Task<CaStatusView> GetCaStatusAsync(CancellationToken cancellationToken) =>
        ToView(await CallAsync(CertificateService, "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser, cancellationToken).ConfigureAwait(false));

    /// <summary>Runs one root rotation step (<c>prepare</c>, <c>switch</c> or <c>finish</c>); the status after it.</summary>
    public async Task<CaStatusView> RotateRootAsync(string step, bool force, CancellationToken cancellationToken)
    {
        var request = new V1.RotateRootRequest
        {
            Force = force,
            Step = step switch
            {
                "prepare" => V1.RootRotationStep.Prepare,
                "switch" => V1.RootRotationStep.Switch,
                "finish" => V1.RootRotationStep.Finish,
                _ => throw new CliException($"unknown rotation step '{step}'; use prepare, switch or finish"),
            },
        };
        return ToView(await CallAsync(CertificateService, "RotateRoot", request, V1.CaStatus.Parser, cancellationToken).ConfigureAwait(false));
    }

    private static CaStatusView ToView(V1.CaStatus reply)
    {
        var progress = reply.Progress ?? new V1.RotationProgress();
        return new CaStatusView(
            reply.RootSubject, reply.RootSha256, reply.RootNotAfter.ToDateTimeOffset(), reply.TrustDomain, [.. reply.TrustDomainAliases], reply.Mode,
            reply.Issued, reply.Rejected, TimeSpan.FromSeconds(reply.DefaultTtlSeconds), TimeSpan.FromSeconds(reply.MaxTtlSeconds),
            reply.RotationPhase switch
            {
                V1.RootRotationPhase.Prepared => "PREPARED",
                V1.RootRotationPhase.Switched => "SWITCHED",
                _ => "STABLE",
            },
            reply.Generation,
            [.. reply.TrustBundle.Select(r => new TrustedRootView(r.Subject, r.Sha256, r.NotAfter?.ToDateTimeOffset() ?? default, r.Signing))],
            new RotationProgressView(
                progress.Proxies,
                progress.TrustingCurrentBundle,
                progress.SignedBySigningRoot,
                [.. progress.Lagging.Select(l => $"{l.ProxyId} (bundle generation {l.TrustBundleGeneration}, leaf root {(l.RootSha256.Length > 12 ? l.RootSha256[..12] : l.RootSha256)})")]));
    }
}
