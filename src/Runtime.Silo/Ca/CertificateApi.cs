using Google.Protobuf.WellKnownTypes;
using Runtime.Grpc;
using Runtime.Grpc.Server;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Ca;

/// <summary>
/// <c>runtime.mesh.v1.CertificateService</c>: maps wire messages to <see cref="CertificateAuthority"/> calls and
/// refusals to gRPC statuses (INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED).
/// </summary>
internal sealed class CertificateApi(CaStartup ca)
{
    private const int MaxCsrBytes = 64 * 1024;

    /// <summary>The service's descriptor.</summary>
    public static ServiceDescriptor Descriptor { get; } = V1.CaReflection.Descriptor.Services.Single(s => s.Name == "CertificateService");

    /// <summary>The service definition to map.</summary>
    public GrpcServiceDefinition Build() => GrpcServiceDefinition.For(Descriptor)
        .Unary<V1.CreateTokenRequest, V1.CreateTokenResponse>("CreateToken", CreateTokenAsync)
        .Unary<V1.CsrRequest, V1.CsrResponse>("Sign", SignAsync)
        .Unary<V1.GetCaStatusRequest, V1.CaStatus>("GetStatus", GetStatusAsync)
        .Build();

    private Task<V1.CreateTokenResponse> CreateTokenAsync(V1.CreateTokenRequest request, GrpcCallContext context)
    {
        if (request.TtlSeconds < 0)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"ttl_seconds {request.TtlSeconds} is negative; use 0 for the default (24h)");
        }

        var ttl = request.TtlSeconds == 0 ? (TimeSpan?)null : TimeSpan.FromSeconds(Math.Min(request.TtlSeconds, (long)TimeSpan.MaxValue.TotalSeconds / 2));
        var (token, expiresAt) = Call(() => ca.Authority.CreateToken(request.Namespace, request.ServiceAccount, ttl));
        return Task.FromResult(new V1.CreateTokenResponse { Token = token, ExpiresAt = Timestamp.FromDateTimeOffset(expiresAt) });
    }

    private Task<V1.CsrResponse> SignAsync(V1.CsrRequest request, GrpcCallContext context)
    {
        if (request.CsrDer.Length == 0 || request.CsrDer.Length > MaxCsrBytes)
        {
            throw new GrpcException(GrpcStatusCode.InvalidArgument, $"csr_der must hold a DER PKCS#10 request of 1 to {MaxCsrBytes} bytes (got {request.CsrDer.Length})");
        }

        IdentityProof proof = request.ProofCase switch
        {
            V1.CsrRequest.ProofOneofCase.Token => new TokenProof(request.Token),
            V1.CsrRequest.ProofOneofCase.Renewal => new RenewalProof([.. request.Renewal.CertificateChainDer.Select(b => b.ToByteArray())], request.Renewal.Signature.ToByteArray()),
            _ => throw new GrpcException(GrpcStatusCode.Unauthenticated, "no proof of identity: set token (first certificate) or renewal (current certificate and a signature over the CSR)"),
        };
        var ttl = request.TtlSeconds > 0 ? TimeSpan.FromSeconds(Math.Min(request.TtlSeconds, 10L * 365 * 24 * 3600)) : (TimeSpan?)null;
        var issued = Call(() => ca.Authority.Sign(request.CsrDer.ToByteArray(), proof, ttl));
        var response = new V1.CsrResponse
        {
            CertificatePem = issued.LeafPem,
            ChainPem = issued.ChainPem,
            TrustBundlePem = issued.TrustBundlePem,
            SpiffeId = issued.SpiffeId.Uri,
        };
        response.TrustDomains.AddRange(issued.TrustDomains);
        return Task.FromResult(response);
    }

    private Task<V1.CaStatus> GetStatusAsync(V1.GetCaStatusRequest request, GrpcCallContext context)
    {
        var status = ca.Authority.GetStatus();
        var reply = new V1.CaStatus
        {
            RootSubject = status.RootSubject,
            RootSha256 = status.RootSha256,
            RootNotAfter = Timestamp.FromDateTimeOffset(status.RootNotAfter),
            TrustDomain = status.Settings.TrustDomain,
            Mode = status.Mode,
            Issued = status.Issued,
            Rejected = status.Rejected,
            DefaultTtlSeconds = (long)status.Settings.DefaultTtl.TotalSeconds,
            MaxTtlSeconds = (long)status.Settings.MaxTtl.TotalSeconds,
        };
        reply.TrustDomainAliases.AddRange(status.Settings.TrustDomainAliases);
        return Task.FromResult(reply);
    }

    private static T Call<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CaRequestRefusedException ex)
        {
            var status = ex.Reason switch
            {
                CaRefusal.PermissionDenied => GrpcStatusCode.PermissionDenied,
                CaRefusal.Unauthenticated => GrpcStatusCode.Unauthenticated,
                _ => GrpcStatusCode.InvalidArgument,
            };
            throw new GrpcException(status, ex.Message);
        }
    }
}
