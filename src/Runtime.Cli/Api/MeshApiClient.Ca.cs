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

    /// <summary>The CA's root, trust domains and counters.</summary>
    public async Task<CaStatusView> GetCaStatusAsync(CancellationToken cancellationToken)
    {
        var reply = await CallAsync(CertificateService, "GetStatus", new V1.GetCaStatusRequest(), V1.CaStatus.Parser, cancellationToken).ConfigureAwait(false);
        return new CaStatusView(
            reply.RootSubject, reply.RootSha256, reply.RootNotAfter.ToDateTimeOffset(), reply.TrustDomain, [.. reply.TrustDomainAliases], reply.Mode,
            reply.Issued, reply.Rejected, TimeSpan.FromSeconds(reply.DefaultTtlSeconds), TimeSpan.FromSeconds(reply.MaxTtlSeconds));
    }
}
