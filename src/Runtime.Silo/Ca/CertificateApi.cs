using Google.Protobuf.WellKnownTypes;
using Runtime.Grpc;
using Runtime.Grpc.Server;
using Runtime.Silo.Discovery;
using ServiceDescriptor = Google.Protobuf.Reflection.ServiceDescriptor;
using V1 = Runtime.Abstractions.Api.V1;

namespace Runtime.Silo.Ca;

/// <summary>
/// <c>runtime.mesh.v1.CertificateService</c>: maps wire messages to <see cref="CertificateAuthority"/> calls and
/// refusals to gRPC statuses (INVALID_ARGUMENT, UNAUTHENTICATED, PERMISSION_DENIED, FAILED_PRECONDITION). Token
/// creation and root rotation are refused to callers on other hosts (<see cref="CaAdministration"/>). Root
/// rotation progress is measured over the proxies connected to this replica (<paramref name="registry"/>). Every
/// Sign call ends in <paramref name="metrics"/> as signed or rejected with its reason.
/// </summary>
internal sealed class CertificateApi(CaStartup ca, ProxyRegistry registry, CaMetrics metrics)
{
    private const int MaxCsrBytes = 64 * 1024;

    /// <summary>The service's descriptor.</summary>
    public static ServiceDescriptor Descriptor { get; } = V1.CaReflection.Descriptor.Services.Single(s => s.Name == "CertificateService");

    /// <summary>The service definition to map.</summary>
    public GrpcServiceDefinition Build() => GrpcServiceDefinition.For(Descriptor)
        .Unary<V1.CreateTokenRequest, V1.CreateTokenResponse>("CreateToken", CreateTokenAsync)
        .Unary<V1.CsrRequest, V1.CsrResponse>("Sign", SignAsync)
        .Unary<V1.GetCaStatusRequest, V1.CaStatus>("GetStatus", GetStatusAsync)
        .Unary<V1.RotateRootRequest, V1.CaStatus>("RotateRoot", RotateRootAsync)
        .Build();

    private Task<V1.CreateTokenResponse> CreateTokenAsync(V1.CreateTokenRequest request, GrpcCallContext context)
    {
        CaAdministration.Require(context.HttpContext, "creating a bootstrap token");
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
        IssuedCertificate issued;
        try
        {
            issued = SignCore(request);
        }
        catch (CaRequestRefusedException ex)
        {
            metrics.Rejected(ex.Reason);
            throw ToGrpc(ex);
        }

        metrics.Signed();
        var response = new V1.CsrResponse
        {
            CertificatePem = issued.LeafPem,
            ChainPem = issued.ChainPem,
            TrustBundlePem = issued.TrustBundlePem,
            SpiffeId = issued.SpiffeId.Uri,
            CaGeneration = issued.Generation,
        };
        response.TrustDomains.AddRange(issued.TrustDomains);
        return Task.FromResult(response);
    }

    /// <summary>Checks the message's shape, then asks the CA; every refusal is a <see cref="CaRequestRefusedException"/>.</summary>
    private IssuedCertificate SignCore(V1.CsrRequest request)
    {
        if (request.CsrDer.Length == 0 || request.CsrDer.Length > MaxCsrBytes)
        {
            throw new CaRequestRefusedException(CaRefusal.InvalidRequest, $"csr_der must hold a DER PKCS#10 request of 1 to {MaxCsrBytes} bytes (got {request.CsrDer.Length})");
        }

        IdentityProof proof = request.ProofCase switch
        {
            V1.CsrRequest.ProofOneofCase.Token => new TokenProof(request.Token),
            V1.CsrRequest.ProofOneofCase.Renewal => new RenewalProof([.. request.Renewal.CertificateChainDer.Select(b => b.ToByteArray())], request.Renewal.Signature.ToByteArray()),
            _ => throw new CaRequestRefusedException(CaRefusal.Unauthenticated, "no proof of identity: set token (first certificate) or renewal (current certificate and a signature over the CSR)"),
        };
        var ttl = request.TtlSeconds > 0 ? TimeSpan.FromSeconds(Math.Min(request.TtlSeconds, 10L * 365 * 24 * 3600)) : (TimeSpan?)null;
        return ca.Authority.Sign(request.CsrDer.ToByteArray(), proof, ttl);
    }

    private Task<V1.CaStatus> GetStatusAsync(V1.GetCaStatusRequest request, GrpcCallContext context)
    {
        // Follow a step another replica ran, so a status never shows an older generation than the store holds.
        ca.Refresh();
        return Task.FromResult(Status());
    }

    private Task<V1.CaStatus> RotateRootAsync(V1.RotateRootRequest request, GrpcCallContext context)
    {
        CaAdministration.Require(context.HttpContext, "rotating the root");
        var step = request.Step switch
        {
            V1.RootRotationStep.Prepare => RotationStep.Prepare,
            V1.RootRotationStep.Switch => RotationStep.Switch,
            V1.RootRotationStep.Finish => RotationStep.Finish,
            _ => throw new GrpcException(GrpcStatusCode.InvalidArgument, $"step {request.Step} is not a rotation step; use PREPARE, SWITCH or FINISH"),
        };
        ca.Refresh();
        var state = ca.Authority.State;
        if (step == RootRotationRecord.NextStep(state.Phase) && !request.Force
            && RotationProgressReport.Of(state, registry.Proxies).Blocks(step, state) is { } blocked)
        {
            throw new GrpcException(GrpcStatusCode.FailedPrecondition, $"step {step.ToString().ToUpperInvariant()} refused: {blocked}");
        }

        // Order, plugged-in mode and concurrent changes are checked against the stored state, atomically with the step.
        Call(() => ca.Rotate(step, state.Generation));
        return Task.FromResult(Status());
    }

    private V1.CaStatus Status()
    {
        var status = ca.Authority.GetStatus();
        var state = status.State;
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
            RotationPhase = state.Phase switch
            {
                RotationPhase.Prepared => V1.RootRotationPhase.Prepared,
                RotationPhase.Switched => V1.RootRotationPhase.Switched,
                _ => V1.RootRotationPhase.Stable,
            },
            Generation = state.Generation,
        };
        reply.TrustDomainAliases.AddRange(status.Settings.TrustDomainAliases);
        reply.TrustBundle.AddRange(state.Signer.Roots.Select(root => new V1.TrustedRoot
        {
            Subject = root.Subject,
            Sha256 = CaState.Sha256(root),
            NotAfter = Timestamp.FromDateTimeOffset(root.NotAfter.ToUniversalTime()),
            Signing = ReferenceEquals(root, state.SigningRoot),
        }));
        var progress = RotationProgressReport.Of(state, registry.Proxies);
        reply.Progress = new V1.RotationProgress
        {
            Proxies = progress.Proxies,
            TrustingCurrentBundle = progress.TrustingCurrentBundle,
            SignedBySigningRoot = progress.SignedBySigningRoot,
        };
        reply.Progress.Lagging.AddRange(progress.Lagging.Select(l => new V1.LaggingProxy
        {
            ProxyId = l.ProxyId,
            SpiffeId = l.SpiffeId,
            RootSha256 = l.RootSha256,
            TrustBundleGeneration = l.TrustBundleGeneration,
        }));
        return reply;
    }

    private static T Call<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (CaRequestRefusedException ex)
        {
            throw ToGrpc(ex);
        }
    }

    private static GrpcException ToGrpc(CaRequestRefusedException ex) => new(
        ex.Reason switch
        {
            CaRefusal.PermissionDenied => GrpcStatusCode.PermissionDenied,
            CaRefusal.Unauthenticated => GrpcStatusCode.Unauthenticated,
            CaRefusal.FailedPrecondition => GrpcStatusCode.FailedPrecondition,
            _ => GrpcStatusCode.InvalidArgument,
        },
        ex.Message);
}
