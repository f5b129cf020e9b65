using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Runtime.Abstractions.Security.Authorization;
using Runtime.Sidecar.Configuration;
using Runtime.Sidecar.Forwarding;
using Runtime.Sidecar.Hosting;
using Runtime.Sidecar.Proxying;

namespace Runtime.Sidecar.Security.Authorization;

/// <summary>
/// The AuthorizationPolicy step of the inbound pipeline: evaluates the current config's policies for a request
/// and answers a denied one with 403 <c>RBAC: access denied</c> and <c>x-mesh-reason: RBAC</c>.
/// </summary>
/// <remarks>
/// The reason word is <c>RBAC</c> (Envoy reports <c>rbac_access_denied_matched_policy[...]</c> in its response
/// details and sends no flag header; the mesh's own header carries the short word). The remote address
/// (<c>remoteIpBlocks</c>, <c>remote.ip</c>) is the connection peer: no proxy in front of a sidecar is trusted, so
/// <c>x-forwarded-for</c> is never read (Istio's <c>numTrustedProxies: 0</c>). The destination port is the app's
/// port (<c>--app-port</c>), the port a workload's policies name. Principals match across the mesh trust domain and
/// its aliases as the workload certificate's issuer reports them (<see cref="IWorkloadCertificateSource.TrustDomains"/>).
/// </remarks>
internal sealed partial class InboundAuthorization(ProxyConfig config, SidecarOptions options, ILogger<InboundAuthorization> logger, IWorkloadCertificateSource? certificates = null)
{
    /// <summary>The body of a denied request, as Envoy's RBAC filter writes it.</summary>
    public const string DeniedBody = "RBAC: access denied";

    /// <summary>The <c>x-mesh-reason</c> word for a denied request.</summary>
    public const string Reason = "RBAC";

    /// <summary>
    /// Decides <paramref name="context"/>; when denied, writes the 403 and returns false (the caller stops there).
    /// Without any configuration yet nothing is known about policies, so the request is refused with 503.
    /// </summary>
    public async Task<bool> AuthorizeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (config.Current is not { } state)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, MeshReasons.NoConfig, "no configuration yet").ConfigureAwait(false);
            return false;
        }

        var evaluator = state.Authorization;
        if (evaluator.Policies.Count == 0)
        {
            return true;
        }

        if (certificates?.TrustDomains is { Count: > 0 } trustDomains)
        {
            evaluator = evaluator.ForTrustDomains(trustDomains);
        }

        var decision = evaluator.Evaluate(From(context, options));
        if (decision.Audit is { } audit)
        {
            LogAudited(logger, audit, context.Request.Method, context.Request.Path.Value ?? "", decision.Allowed);
        }

        if (decision.Allowed)
        {
            return true;
        }

        if (decision.Policy is { } policy)
        {
            LogDenied(logger, context.Request.Method, context.Request.Path.Value ?? "", policy, decision.RuleIndex, decision.Reason);
        }
        else
        {
            LogDeniedByNoMatch(logger, context.Request.Method, context.Request.Path.Value ?? "", decision.Reason);
        }
        await WriteAsync(context, StatusCodes.Status403Forbidden, Reason, DeniedBody).ConfigureAwait(false);
        return false;
    }

    /// <summary>The attributes of <paramref name="context"/> that policies read.</summary>
    public static AuthorizationRequest From(HttpContext context, SidecarOptions options)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(options);
        var host = context.Request.Host;
        var connection = context.Connection;
        var headers = context.Request.Headers;
        var tls = TlsPeerConnection.Of(context);
        return new AuthorizationRequest
        {
            Method = context.Request.Method,
            Path = AuthorizationRequestPath.For(context),
            Host = AuthorizationRequestPath.HostOf(context),
            HostPort = host.Port,
            Headers = name => headers[name],
            DestinationPort = options.AppPort ?? connection.LocalPort,
            DestinationIp = connection.LocalIpAddress,
            SourceIp = connection.RemoteIpAddress,
            RemoteIp = connection.RemoteIpAddress,
            Peer = context.Features.Get<PeerIdentity>() is { } peer ? new AuthorizationPeer(peer.TrustDomain, peer.Namespace, peer.ServiceAccount) : null,
            Jwt = context.Features.Get<RequestAuthentication>() is { } jwt ? new AuthorizationToken(jwt.Principal, jwt.Audiences, jwt.Presenter, jwt.Payload) : null,
            Sni = tls?.ServerName,
        };
    }

    private static async Task WriteAsync(HttpContext context, int status, string reason, string body)
    {
        var response = context.Response;
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.Headers[ForwardErrorWriter.ReasonHeader] = reason;
        response.ContentType = "text/plain";
        // Declared, so the request metrics and access logs count the body (issue 6).
        response.ContentLength = Encoding.UTF8.GetByteCount(body);
        await response.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "RBAC denied {Method} {Path}: policy {Policy} rule {Rule} ({Reason})")]
    private static partial void LogDenied(ILogger logger, string method, string path, string policy, int rule, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "RBAC denied {Method} {Path}: {Reason}")]
    private static partial void LogDeniedByNoMatch(ILogger logger, string method, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "RBAC audit: {Method} {Path} matched AUDIT policy {Policy} (allowed: {Allowed})")]
    private static partial void LogAudited(ILogger logger, string policy, string method, string path, bool allowed);
}
